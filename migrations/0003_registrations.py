from tortoise import migrations
from tortoise.migrations import operations as ops
from booking.models import RegistrationStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('venskab', '0002_event_published_at')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Registration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurrence', fields.ForeignKeyField('venskab.Occurrence', source_field='occurrence_id', db_constraint=True, to_field='id', related_name='registrations', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(db_index=True, description='HELD: held\nCONFIRMED: confirmed\nWAITLISTED: waitlisted\nOFFERED: offered\nCANCELLED: cancelled\nEXPIRED: expired', enum_type=RegistrationStatus, max_length=12)),
                ('seats', fields.IntField()),
                ('name', fields.CharField(max_length=200)),
                ('email', fields.CharField(db_index=True, max_length=254)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('accessibility_needs', fields.CharField(default='', max_length=1000)),
                ('language', fields.CharField(max_length=2)),
                ('idempotency_key', fields.CharField(unique=True, max_length=64)),
                ('token_nonce', fields.CharField(max_length=32)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('queued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('times_passed', fields.IntField(default=0, db_default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminder_sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'registration', 'app': 'venskab', 'indexes': [Index(fields=['occurrence_id', 'status'])], 'pk_attr': 'id', 'table_description': "A party's registration for one occurrence (seats, not single tickets)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Occurrence',
            name='offer_hours',
            field=fields.IntField(default=24, db_default=24),
        ),
    ]
