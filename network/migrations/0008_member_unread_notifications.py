from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_unread(apps, schema_editor):
    """The same count as network.forums.services.recount_unread_notifications,
    frozen here with the models as they are at this migration."""
    Member = apps.get_model("network", "Member")
    Notification = apps.get_model("network", "Notification")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        codename="moderate_forums", content_type__app_label="network"
    )
    moderators = Member.objects.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__in=perms)
        | Q(user_permissions__in=perms)
    ).values("pk")
    visible = Q(
        post__is_hidden=False,
        post__thread__is_hidden=False,
        post__thread__forum__moderators_only=False,
    )

    def unread(condition):
        return Coalesce(
            Subquery(
                Notification.objects.filter(
                    condition, recipient=OuterRef("pk"), read_at__isnull=True
                )
                .order_by()
                .values("recipient")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    with_unread = Member.objects.filter(
        pk__in=Notification.objects.filter(read_at__isnull=True).values("recipient")
    )
    with_unread.exclude(pk__in=moderators).update(unread_notifications=unread(visible))
    with_unread.filter(pk__in=moderators).update(unread_notifications=unread(Q()))


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0007_post_answers_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="unread_notifications",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_unread, migrations.RunPython.noop),
    ]
