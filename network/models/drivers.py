"""Policy drivers: the duties, strategies, plans and regulations the network's
work delivers. Case studies, threads and events name the ones they serve."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PolicyDriver(models.Model):
    """Managed in Django admin; seeded by network/migrations/0016."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("Duty")
        STRATEGY = "strategy", _("Strategy")
        PLAN = "plan", _("Plan")
        REGULATION = "regulation", _("Regulation")

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_url = models.URLField(
        _("official source"),
        max_length=300,
        help_text=_("The gov.scot or legislation page."),
    )
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("portal:driver", args=[self.slug])
