from django.db import migrations

from network.roles import COORDINATORS, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, COORDINATORS, ["events.manage_events"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("network", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
