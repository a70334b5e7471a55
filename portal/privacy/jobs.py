"""Background jobs of data protection: erasure, export and the retention run."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from network.models import Member

from . import erasure, export, retention


@app.task(queue="privacy", retry=RetryStrategy(max_attempts=5, exponential_wait=30))
def erase_member_job(*, member_id: int) -> None:
    """Erase a member who asked for it; running twice does nothing more."""
    member = Member.objects.filter(pk=member_id).first()
    if member is not None:
        erasure.erase_member(member, by=member, reason="member's request")


@app.task(queue="privacy", retry=RetryStrategy(max_attempts=5, exponential_wait=30))
def build_export_job(*, export_id: int) -> None:
    """Build the member's zip and email them the link; a second run does nothing."""
    export.finish_export(export_id)


@app.periodic(cron="17 3 * * *")
@app.task(queue="privacy", queueing_lock="apply_retention")
def apply_retention_daily(timestamp: int) -> None:
    """The retention rules, once a day; a run finds only what is newly due."""
    retention.apply_retention()
