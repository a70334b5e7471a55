"""The policy drivers the network's councils deliver, with their official pages."""

from django.db import migrations

POLICY_LINK = "https://www.gov.scot/policies/climate-change/"

DRIVERS = [
    (
        "pbccd",
        "PBCCD",
        "Public Bodies Climate Change Duties",
        "duty",
        "https://www.legislation.gov.uk/asp/2009/12/section/44",
        "Every public body must help meet Scotland's emissions targets, help deliver "
        "the adaptation programme and act sustainably, and report on it each year.",
    ),
    (
        "lhees",
        "LHEES",
        "Local Heat and Energy Efficiency Strategies",
        "strategy",
        "https://www.gov.scot/publications/"
        "local-heat-energy-efficiency-strategies-delivery-plans-guidance/",
        "Each council's long-term plan, with a delivery plan, for decarbonising heat "
        "in buildings and improving their energy efficiency.",
    ),
    (
        "climate-delivery-framework",
        "Climate Delivery Framework",
        "Climate Delivery Framework",
        "plan",
        POLICY_LINK,
        "Agreed in 2024 by the 32 councils, COSLA and the Scottish Government: how "
        "local and national government deliver climate action together.",
    ),
    (
        "heat-in-buildings",
        "Heat in Buildings",
        "Heat in Buildings Strategy",
        "strategy",
        "https://www.gov.scot/publications/"
        "heat-buildings-strategy-achieving-net-zero-emissions-scotlands-buildings/",
        "How Scotland's homes and buildings reach zero emissions heating by 2045.",
    ),
    (
        "low-emission-zones",
        "LEZ",
        "Low Emission Zones",
        "regulation",
        "https://www.lowemissionzones.scot/",
        "Zones in Aberdeen, Dundee, Edinburgh and Glasgow that the most polluting "
        "vehicles may not enter.",
    ),
    (
        "circular-economy-act",
        "Circular Economy Act",
        "Circular Economy (Scotland) Act 2024",
        "regulation",
        "https://www.legislation.gov.uk/asp/2024/13/contents",
        "A circular economy strategy and targets, and duties on household waste and "
        "recycling services.",
    ),
    (
        "climate-change-plan",
        "Climate Change Plan",
        "Scotland's Climate Change Plan",
        "plan",
        POLICY_LINK,
        "The Scottish Government's policies and proposals for meeting the emissions "
        "targets.",
    ),
    (
        "adaptation-plan",
        "SNAP",
        "Scottish National Adaptation Plan",
        "plan",
        POLICY_LINK,
        "How Scotland adapts to the changing climate: flooding, heat, coasts, nature.",
    ),
    (
        "just-transition",
        "Just Transition",
        "Just Transition plans",
        "plan",
        POLICY_LINK,
        "Plans for a fair move to net zero for workers, communities and places.",
    ),
]


def load(apps, schema_editor):
    PolicyDriver = apps.get_model("network", "PolicyDriver")
    for order, (slug, short, name, kind, url, description) in enumerate(DRIVERS):
        PolicyDriver.objects.update_or_create(
            slug=slug,
            defaults={
                "short_name": short,
                "name": name,
                "kind": kind,
                "source_url": url,
                "description": description,
                "order": order,
            },
        )


def unload(apps, schema_editor):
    PolicyDriver = apps.get_model("network", "PolicyDriver")
    PolicyDriver.objects.filter(slug__in=[d[0] for d in DRIVERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0015_policy_drivers")]

    operations = [migrations.RunPython(load, unload)]
