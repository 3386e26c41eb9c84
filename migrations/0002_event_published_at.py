from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('venskab', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Event',
            name='published_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        # Events already public before this column existed were published by their last edit.
        ops.RunSQL(
            "UPDATE event SET published_at = updated_at"
            " WHERE status IN ('published', 'cancelled') AND published_at IS NULL",
            reverse_sql="",
        ),
    ]
