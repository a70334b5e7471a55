# DataVersion now belongs to the kit (kit/migrations/0001_data_version.py); the
# table is kept as it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_data_export"), ("kit", "0001_data_version")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
            database_operations=[],
        ),
    ]
