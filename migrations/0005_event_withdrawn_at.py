from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('venskab', '0004_outbox')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Event',
            name='withdrawn_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        # Events withdrawn before this column existed were withdrawn by their last edit.
        ops.RunSQL(
            "UPDATE event SET withdrawn_at = updated_at"
            " WHERE status IN ('cancelled', 'draft') AND published_at IS NOT NULL",
            reverse_sql="",
        ),
    ]
