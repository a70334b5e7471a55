"""Background jobs of data protection: erasure, export and the retention run."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from network.models import Member

from . import erasure


@app.task(queue="privacy", retry=RetryStrategy(max_attempts=5, exponential_wait=30))
def erase_member_job(*, member_id: int) -> None:
    """Erase a member who asked for it; running twice does nothing more."""
    member = Member.objects.filter(pk=member_id).first()
    if member is not None:
        erasure.erase_member(member, by=member, reason="member's request")
