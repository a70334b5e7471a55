# DataVersion moved from the portal app to the kit: its table stays where the
# portal's first migration made it, so only Django's model state moves.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("portal", "0002_data_export")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "name",
                            models.CharField(
                                max_length=40, primary_key=True, serialize=False
                            ),
                        ),
                        ("token", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "portal_dataversion"},
                ),
            ],
            database_operations=[],
        ),
    ]
