from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from booking.models import AllocationRule, ApplicationStatus, LanguageLevel, Swimming
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('venskab', '0005_event_withdrawn_at')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Camp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.OneToOneField('venskab.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='camp', on_delete=OnDelete.CASCADE)),
                ('allocation', fields.CharEnumField(default=AllocationRule.FIRST_COME, description='FIRST_COME: first-come\nLOTTERY: lottery', enum_type=AllocationRule, max_length=12)),
                ('applications_open_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('applications_close_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('edits_close_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('max_children', fields.IntField(default=6, db_default=6)),
                ('drawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'camp', 'app': 'venskab', 'pk_attr': 'id', 'table_description': "A camp's own settings: how places are allocated and when families may apply and edit."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CampApplication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('camp', fields.ForeignKeyField('venskab.Camp', source_field='camp_id', db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(db_index=True, description='SUBMITTED: submitted\nALLOCATED: allocated\nWITHDRAWN: withdrawn\nDELETED: deleted', enum_type=ApplicationStatus, max_length=12)),
                ('guardian_name', fields.CharField(max_length=200)),
                ('guardian_email', fields.CharField(db_index=True, max_length=254)),
                ('guardian_phone', fields.CharField(max_length=40)),
                ('guardian_address', fields.CharField(max_length=500)),
                ('language', fields.CharField(max_length=2)),
                ('second_guardian_name', fields.CharField(default='', max_length=200)),
                ('second_guardian_phone', fields.CharField(default='', max_length=40)),
                ('second_guardian_email', fields.CharField(default='', max_length=254)),
                ('emergency_name', fields.CharField(max_length=200)),
                ('emergency_phone', fields.CharField(max_length=40)),
                ('emergency_relation', fields.CharField(default='', max_length=100)),
                ('consent_data', fields.BooleanField()),
                ('consent_photos', fields.BooleanField(default=False)),
                ('consent_emergency_treatment', fields.BooleanField(default=False)),
                ('keep_siblings_together', fields.BooleanField(default=True)),
                ('idempotency_key', fields.CharField(unique=True, max_length=64)),
                ('token_nonce', fields.CharField(max_length=32)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('medical_erased_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('personal_erased_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'camp_application', 'app': 'venskab', 'pk_attr': 'id', 'table_description': "One family's application: guardians, emergency contact, consents and children."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CampDraw',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('camp', fields.ForeignKeyField('venskab.Camp', source_field='camp_id', db_constraint=True, to_field='id', related_name='draws', on_delete=OnDelete.CASCADE)),
                ('seed', fields.CharField(max_length=100)),
                ('input_hash', fields.CharField(max_length=64)),
                ('result', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('applications', fields.IntField()),
                ('drawn_by', fields.CharField(max_length=254)),
                ('drawn_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'camp_draw', 'app': 'venskab', 'pk_attr': 'id', 'table_description': 'A lottery draw as run: the seed, a hash of the applications it drew from, the result.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Child',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('venskab.CampApplication', source_field='application_id', db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('name', fields.CharField(max_length=200)),
                ('date_of_birth', fields.DateField(null=True)),
                ('preferences', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('allergies_diet', fields.TextField(default='', unique=False)),
                ('medical_notes', fields.TextField(default='', unique=False)),
                ('medication', fields.TextField(default='', unique=False)),
                ('swimming', fields.CharEnumField(default=Swimming.CANNOT, description='CANNOT: cannot\nWITH_AID: with-aid\nBEGINNER: beginner\nCONFIDENT: confident', enum_type=Swimming, max_length=12)),
                ('danish_level', fields.CharEnumField(default=LanguageLevel.NONE, description='NONE: none\nSOME: some\nGOOD: good\nFLUENT: fluent', enum_type=LanguageLevel, max_length=8)),
                ('english_level', fields.CharEnumField(default=LanguageLevel.NONE, description='NONE: none\nSOME: some\nGOOD: good\nFLUENT: fluent', enum_type=LanguageLevel, max_length=8)),
                ('registration', fields.ForeignKeyField('venskab.Registration', source_field='registration_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.SET_NULL)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'child', 'app': 'venskab', 'unique_together': (('application', 'number'),), 'pk_attr': 'id', 'table_description': 'A child of an application: who they are, what staff must know, and where they are placed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CampAttendance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('child', fields.ForeignKeyField('venskab.Child', source_field='child_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_out_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_in_by', fields.CharField(default='', max_length=254)),
                ('checked_out_by', fields.CharField(default='', max_length=254)),
            ],
            options={'table': 'camp_attendance', 'app': 'venskab', 'unique_together': (('child', 'day'),), 'pk_attr': 'id', 'table_description': "A child's arrival and departure on one camp day, as the staff recorded them."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Registration',
            name='camp_application',
            field=fields.ForeignKeyField('venskab.CampApplication', source_field='camp_application_id', null=True, db_constraint=True, to_field='id', related_name='registrations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Registration',
            name='erased_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
