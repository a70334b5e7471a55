"""Every member gets a stored, unique @handle (network/handles.py).

Existing members get theirs in id order, so the earliest "Gillian Murray" keeps
``gillian.murray`` and the next is ``gillian.murray.2``: the same database always
gets the same handles. The column is added empty, filled in batches, then made
unique and required.
"""

import django.db.models.functions.text
from django.db import migrations, models

from network.handles import fill_missing_handles


def fill_handles(apps, schema_editor):
    Member = apps.get_model("network", "Member")
    fill_missing_handles(Member, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0010_member_reading_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="handle",
            field=models.CharField(editable=False, max_length=160, null=True),
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="member",
            name="handle",
            field=models.CharField(
                editable=False,
                help_text="Mention them in discussions as @handle; follows the full name.",
                max_length=160,
                unique=True,
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                django.db.models.functions.text.Lower("full_name"),
                condition=models.Q(("approval_state", "approved"), ("is_active", True)),
                name="member_listed_lower_name",
            ),
        ),
    ]
