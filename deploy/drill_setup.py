"""Data for bin/drill, run with `manage.py shell` against the drill's own database:
members who sign in (verified, approved), a forum thread they watch, an uploaded
file. Prints one JSON line the drill reads back."""

import json
import os

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from network.forums import services as forum_services
from network.models import Forum, Member

PASSWORD = os.environ["DRILL_PASSWORD"]
COUNT = int(os.environ.get("DRILL_MEMBERS", "30"))

members = []
for n in range(COUNT):
    email = f"drill{n}@glasgow.gov.uk"
    member = Member.objects.filter(email=email).first()
    if member is None:
        member = Member.objects.create_user(
            email=email,
            password=PASSWORD,
            full_name=f"Drill Officer {n}",
            job_title="Sustainability officer",
            approval_state=Member.Approval.APPROVED,
            decided_at=timezone.now(),
        )
        EmailAddress.objects.create(
            user=member, email=email, verified=True, primary=True
        )
    members.append(member)

forum = Forum.objects.filter(moderators_only=False).order_by("order", "pk").first()
thread = forum_services.start_thread(
    forum,
    author=members[0],
    title="Drill: heat networks in tenements",
    body="Has anyone connected pre-1919 tenements to a heat network?",
)
saved = default_storage.save(
    "casestudies/drill/business-case.pdf",
    ContentFile(b"%PDF-1.4 drill business case\n" * 500),
)
print(
    json.dumps(
        {
            "emails": [m.email for m in members],
            "names": [m.full_name for m in members],
            "thread": thread.pk,
            "file": saved,
        }
    )
)
