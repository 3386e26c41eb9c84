from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from events.models import Audience, Category, EventStatus, OccurrenceStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from venskab.models import Role
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Organiser',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('name', fields.CharField(default='', max_length=200)),
                ('password_hash', fields.CharField(max_length=255)),
                ('role', fields.CharEnumField(default=Role.ORGANISER, description='ADMIN: admin\nORGANISER: organiser\nCAMP_STAFF: camp-staff', enum_type=Role, max_length=20)),
                ('language', fields.CharField(default='da', max_length=2)),
                ('is_active', fields.BooleanField(default=True, db_default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'organiser', 'app': 'venskab', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor', fields.ForeignKeyField('venskab.Organiser', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.SET_NULL)),
                ('actor_email', fields.CharField(default='', max_length=254)),
                ('action', fields.CharField(max_length=60)),
                ('subject', fields.CharField(default='', max_length=120)),
                ('detail', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'audit_entry', 'app': 'venskab', 'pk_attr': 'id', 'table_description': "Who did what, when: organiser actions and every view of children's data."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('category', fields.CharEnumField(db_index=True, description='EXHIBITION: exhibition\nFILM: film\nWORKSHOP: workshop\nVETERANS: veterans\nCAMP: camp', enum_type=Category, max_length=20)),
                ('audience', fields.CharEnumField(default=Audience.EVERYONE, description='EVERYONE: everyone\nFAMILIES: families\nCHILDREN: children\nADULTS: adults', enum_type=Audience, max_length=20)),
                ('spoken_language', fields.CharField(default='', max_length=2)),
                ('subtitles_language', fields.CharField(default='', max_length=2)),
                ('poster_url', fields.CharField(default='', max_length=500)),
                ('price_ore', fields.IntField(default=0, db_default=0)),
                ('status', fields.CharEnumField(default=EventStatus.DRAFT, db_index=True, description='DRAFT: draft\nPUBLISHED: published\nCANCELLED: cancelled', enum_type=EventStatus, max_length=12)),
                ('owner', fields.ForeignKeyField('venskab.Organiser', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'event', 'app': 'venskab', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventText',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('venskab.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='texts', on_delete=OnDelete.CASCADE)),
                ('language', fields.CharField(max_length=2)),
                ('title', fields.CharField(max_length=200)),
                ('summary', fields.CharField(default='', max_length=500)),
                ('description', fields.TextField(default='', unique=False)),
                ('poster_alt', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'event_text', 'app': 'venskab', 'unique_together': (('event', 'language'),), 'pk_attr': 'id', 'table_description': 'The words of an event in one language. Every event has at least one.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrganiserSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('organiser', fields.ForeignKeyField('venskab.Organiser', source_field='organiser_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'organiser_session', 'app': 'venskab', 'pk_attr': 'id', 'table_description': 'A server-side login session. The cookie carries only a signed random token.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RateLimitHit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bucket', fields.CharField(max_length=40)),
                ('key', fields.CharField(max_length=300)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rate_limit_hit', 'app': 'venskab', 'indexes': [Index(fields=['bucket', 'key', 'at'])], 'pk_attr': 'id', 'table_description': 'One counted attempt. Limits are counted from rows, so they hold across processes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Venue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('name', fields.CharField(max_length=200)),
                ('address', fields.CharField(max_length=300)),
                ('map_url', fields.CharField(default='', max_length=500)),
                ('step_free', fields.BooleanField(default=False, db_default=False)),
                ('hearing_loop', fields.BooleanField(default=False, db_default=False)),
                ('accessibility_notes', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'venue', 'app': 'venskab', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Occurrence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('venskab.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='occurrences', on_delete=OnDelete.CASCADE)),
                ('venue', fields.ForeignKeyField('venskab.Venue', source_field='venue_id', null=True, db_constraint=True, to_field='id', related_name='occurrences', on_delete=OnDelete.RESTRICT)),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('all_day', fields.BooleanField(default=False, db_default=False)),
                ('capacity', fields.IntField(null=True)),
                ('registration_opens_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('registration_closes_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('max_seats_per_registration', fields.IntField(default=4, db_default=4)),
                ('waitlist_enabled', fields.BooleanField(default=True, db_default=True)),
                ('status', fields.CharEnumField(default=OccurrenceStatus.SCHEDULED, description='SCHEDULED: scheduled\nCANCELLED: cancelled', enum_type=OccurrenceStatus, max_length=12)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('min_age', fields.IntField(null=True)),
                ('max_age', fields.IntField(null=True)),
                ('fee_ore', fields.IntField(null=True)),
                ('sequence', fields.IntField(default=0, db_default=0)),
                ('lock_version', fields.IntField(default=0, db_default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'occurrence', 'app': 'venskab', 'pk_attr': 'id', 'table_description': 'One dated instance of an event: a showing, an exhibition run or a camp session (week).'},
            bases=['Model'],
        ),
    ]
