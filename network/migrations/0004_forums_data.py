from django.db import migrations

from network.roles import COORDINATORS, grant_permissions

FORUMS = [
    ("General", "general", "Anything about the network and net zero work in councils.", 0),
    ("Case studies", "case-studies", "Discussion of the network's case studies, one thread each.", 90),
    ("Events", "events", "Before and after the network's events: questions, slides, follow-ups.", 91),
]  # fmt: skip


def forward(apps, schema_editor):
    grant_permissions(apps, COORDINATORS, ["network.moderate_forums"])
    Forum = apps.get_model("network", "Forum")
    for name, slug, description, order in FORUMS:
        Forum.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0003_forums")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
