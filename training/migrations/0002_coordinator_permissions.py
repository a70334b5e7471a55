from django.db import migrations

from network.roles import COORDINATORS, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps, COORDINATORS, ["training.run_training", "training.certify_learners"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("network", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
