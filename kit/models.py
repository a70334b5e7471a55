from django.db import models


class DataVersion(models.Model):
    """One row per kind of shared data ("catalogue", "forums", "events", "people",
    "training"), whose token changes with every change to that data (see
    kit/versions.py). Renderings and figures that many members share are cached
    under these tokens, so every worker process drops them at once, with no shared
    cache. A random token, not a counter, so a rolled-back change can never reuse a
    key that was cached while it was visible."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.BigIntegerField(default=0)

    class Meta:
        # Made by the portal app's first migration, before the kit had its own.
        db_table = "portal_dataversion"

    def __str__(self):
        return f"{self.name} version {self.token}"
