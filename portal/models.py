from django.db import models


def export_path(instance, filename):
    # Under the private media root: only the download view hands it out.
    return f"exports/{instance.member_id}/{filename}"


class DataExport(models.Model):
    """A member's copy of their data (portal/privacy/export.py): built by a job,
    downloaded once through a link only they can use, for 7 days."""

    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="data_exports"
    )
    token = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, blank=True, max_length=300)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Data export {self.pk} of member {self.member_id}"
