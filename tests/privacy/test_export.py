"""Export my data: a job builds one zip, the member gets a link that works once,
for 7 days, only for them; every model that points at a member is covered."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from network.models import Member
from network.services import approve_member, suspend_member
from portal.models import DataExport
from portal.privacy import services
from portal.privacy.export import COVERAGE, EXPORTERS, FILES, LEFT_OUT, build_export
from tests.casestudies.factories import make_attachment, make_case_study
from tests.conftest import client_for
from tests.events.factories import make_event, make_registration
from tests.factories import make_member, make_organisation
from tests.forums.factories import make_reply, make_thread
from tests.training.factories import make_enrolment, make_evidence

pytestmark = pytest.mark.django_db


def _relations_to_member():
    """Every foreign key or many-to-many, anywhere, that points at Member."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is Member:
                yield f"{model._meta.label}.{field.name}"


def _models_under(labels):
    """The models reached from those relations, and the ones under them (cascade)."""
    seen = set()
    todo = [apps.get_model(label.rsplit(".", 1)[0]) for label in labels]
    while todo:
        model = todo.pop()
        if model in seen or model is Member:
            continue
        seen.add(model)
        for rel in model._meta.related_objects:
            if rel.on_delete is models.CASCADE:
                todo.append(rel.related_model)
    return seen


def test_every_relation_to_a_member_is_exported_or_left_out_with_a_reason():
    missing = sorted(set(_relations_to_member()) - set(COVERAGE))
    assert not missing, f"Add these to portal/privacy/export.py COVERAGE: {missing}"
    for label, cover in COVERAGE.items():
        if isinstance(cover, tuple):
            assert cover[0] == LEFT_OUT and len(cover[1]) > 10, label
        else:
            assert cover in EXPORTERS, label


def test_every_file_under_a_members_records_is_exported_or_left_out():
    models_reached = _models_under(COVERAGE)
    file_fields = {
        f"{model._meta.label}.{field.name}"
        for model in models_reached
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    }
    assert file_fields, "the walk reached no files at all"
    missing = sorted(file_fields - set(FILES))
    assert not missing, f"Add these to portal/privacy/export.py FILES: {missing}"


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_member_asks_for_a_copy_and_downloads_it_once(member, jobs):
    other = make_member(full_name="Oscar Other", email="oscar@example.org")
    case_study = make_case_study(authors=[member, other], title="Heat in Govan")
    make_attachment(case_study, name="govan.pdf")
    thread = make_thread(author=member, title="Tenement heat pumps")
    make_reply(thread, author=other, body="Private words of Oscar.")
    make_registration(make_event(), member, access_needs="Hearing loop")
    make_evidence(make_enrolment(member=member))

    with jobs:
        services.request_export(member)
    (message,) = [m for m in mail.outbox if "Your data" in m.subject]
    assert message.to == [member.email]
    link = re.search(r"https?://\S+(/account/privacy/export/\S+/)", message.body)[1]

    client = client_for(member)
    response = client.get(link)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    archive = _zip_of(response)
    names = set(archive.namelist())
    assert {f"{kind}.json" for kind in EXPORTERS} <= names
    assert "index.html" in names
    assert any(n.endswith("govan.pdf") for n in names)
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == member.email
    registrations = json.loads(archive.read("event_registrations.json"))
    assert registrations[0]["access_needs"] == "Hearing loop"
    training = json.loads(archive.read("training.json"))
    assert len(training[0]["evidence"]["pledges"]) == 2
    everything = b"".join(archive.read(n) for n in names if n.endswith(".json"))
    assert b"Private words of Oscar" not in everything
    assert b"oscar@example.org" not in everything
    assert b"Oscar Other" in archive.read("case_studies.json")  # a co-author's name
    assert "Heat in Govan" in archive.read("index.html").decode()

    # Once only.
    assert client.get(link).status_code == 404


def test_the_link_is_only_for_its_member(member, other_member, jobs):
    with jobs:
        data_export = services.request_export(member)
    url = reverse("privacy:export_download", args=[data_export.token])
    assert client_for(other_member).get(url).status_code == 404
    visitor = client_for(member).__class__().get(url)
    assert visitor.status_code == 302 and "login" in visitor.url


def test_the_link_expires_after_7_days(member, jobs):
    with jobs:
        data_export = services.request_export(member)
    DataExport.objects.filter(pk=data_export.pk).update(
        requested_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    url = reverse("privacy:export_download", args=[data_export.token])
    assert client_for(member).get(url).status_code == 404


def test_export_page_asks_for_the_password_first(member_client):
    response = member_client.post(reverse("privacy:export"))
    assert response.status_code == 302 and "reauthenticate" in response.url
    assert not DataExport.objects.exists()


def test_export_page_needs_a_signed_in_member(client):
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 302 and "login" in response.url


def test_the_export_holds_the_decisions_about_the_member(member):
    applicant = make_member(
        state=Member.Approval.PENDING, organisation=make_organisation()
    )
    approve_member(applicant, decided_by=member, confirmed=True)
    suspend_member(applicant, decided_by=member)

    archive = zipfile.ZipFile(io.BytesIO(build_export(applicant)))
    events = json.loads(archive.read("security_events.json"))
    assert [e["action"] for e in events] == ["Member approved", "Member suspended"]
    assert {e["by"] for e in events} == {"a member of staff"}
    assert member.email.encode() not in archive.read("security_events.json")
