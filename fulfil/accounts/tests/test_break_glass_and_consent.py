import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from freezegun import freeze_time

from fulfil.accounts.breakglass import break_glass_open
from fulfil.accounts.models import AccessRecord, BreakGlassGrant, FamilyLink
from fulfil.core import clock
from fulfil.factories import ChildFactory, TherapistFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist(client, area):
    area.privacy_officer_email = "privacy@sutton.example.org"
    area.save()
    user = UserFactory(role="therapist", local_area=area, therapist=TherapistFactory(local_area=area))
    client.force_login(user)
    return user


@pytest.fixture
def frozen():
    with freeze_time("2026-11-25 10:00") as frozen:
        yield frozen


def test_emergency_access_opens_a_record_for_an_hour_with_a_reason_and_tells_the_privacy_officer(frozen, client, area, therapist):
    child = ChildFactory(local_area=area, first_name="Mina", last_name="Okafor")
    record_url = reverse("children:detail", args=[child.public_id])
    assert client.get(record_url).status_code == 404
    response = break_glass(client, child)
    assert response.status_code == 302 and response["Location"] == record_url
    page = client.get(record_url).content.decode()
    assert "Emergency access" in page and "Mina Okafor" in page
    (alert,) = mail.outbox
    assert alert.to == ["privacy@sutton.example.org"] and "Covering for a colleague" in alert.body
    assert BreakGlassGrant.objects.get().alert_sent_at == dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    assert "Mina" not in alert.body and "Okafor" not in alert.body and child.nhs_number not in alert.body
    assert AccessRecord.objects.filter(child=child, action="view-child", detail__startswith="break-glass: Covering").count() == 1
    # Still open at 10:59 (looked at every 20 minutes, so the 30-minute idle sign-out does not
    # come first); an hour after it was opened the record is closed again.
    for minutes in (20, 20, 19):
        frozen.tick(dt.timedelta(minutes=minutes))
        assert client.get(record_url).status_code == 200
    frozen.tick(dt.timedelta(minutes=1))
    assert client.get(record_url).status_code == 404


def test_emergency_access_needs_a_real_reason_and_a_known_child(client, area, therapist):
    response = client.post(reverse("children:break-glass"), {"nhs_number": "999 000 0018", "reason": "need"})
    html = response.content.decode()
    assert "Say why you need this record now" in html
    assert "There is no child with NHS number 999 000 0018" in html
    response = client.post(reverse("children:break-glass"), {"nhs_number": "12345", "reason": "A proper reason here"})
    assert "Enter an NHS number in the correct format" in response.content.decode()
    assert not BreakGlassGrant.objects.exists() and not mail.outbox


def test_break_glass_reasons_are_left_out_of_the_subject_access_export(client, area, therapist):
    import json

    child = ChildFactory(local_area=area)
    client.post(reverse("children:break-glass"), {"nhs_number": child.nhs_number, "reason": "Safeguarding call about a sibling"})
    client.get(reverse("children:detail", args=[child.public_id]))
    client.force_login(UserFactory(role="council_officer", local_area=area))
    data = json.loads(client.get(reverse("children:subject-access-json", args=[child.public_id])).content)
    assert "sibling" not in json.dumps(data)
    history = client.get(reverse("children:access-history", args=[child.public_id])).content.decode()
    assert "Safeguarding call about a sibling" in history  # the council's privacy officer sees why


def test_from_16_a_parent_needs_the_young_persons_consent(client, area):
    today = dt.date.today()
    young_person = ChildFactory(local_area=area, date_of_birth=today.replace(year=today.year - 17))
    parent = UserFactory(role="parent", local_area=area)
    link = FamilyLink.objects.create(user=parent, child=young_person, starts_on=dt.date(2015, 1, 1))
    client.force_login(parent)
    url = reverse("children:detail", args=[young_person.public_id])
    assert client.get(url).status_code == 404
    link.young_person_consents = True
    link.save()
    assert client.get(url).status_code == 200
    # An area can choose otherwise.
    link.young_person_consents = False
    link.save()
    area.parent_access_needs_consent_from_16 = False
    area.save()
    assert client.get(url).status_code == 200


class BrokenMailBackend:
    """A mail server that refuses every message, as an unreachable SMTP relay does."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("relay refused")


def break_glass(client, child, reason="Covering for a colleague: child unwell at school"):
    # The alert goes when the grant commits (transaction.on_commit); the test's own transaction
    # never commits, so the callbacks are run as a real commit would run them.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("children:break-glass"), {"nhs_number": child.nhs_number, "reason": reason})


def test_the_privacy_officer_is_told_only_once_the_grant_is_committed(frozen, area, therapist, django_capture_on_commit_callbacks):
    child = ChildFactory(local_area=area)
    with django_capture_on_commit_callbacks() as callbacks:
        break_glass_open(user=therapist, nhs_number=child.nhs_number, reason="Covering for a colleague today", now=clock.now())
        assert not mail.outbox  # not before the grant is stored
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and BreakGlassGrant.objects.get().alert_sent_at is not None


def test_no_alert_is_sent_for_emergency_access_that_was_rolled_back(area, therapist, django_capture_on_commit_callbacks):
    child = ChildFactory(local_area=area)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            break_glass_open(user=therapist, nhs_number=child.nhs_number, reason="Covering for a colleague today", now=clock.now())
            raise RuntimeError("the request failed after the grant was made")
    assert not callbacks and not mail.outbox and not BreakGlassGrant.objects.exists()


def test_emergency_access_is_limited_to_three_a_day(frozen, client, area, therapist):
    children = ChildFactory.create_batch(5, local_area=area)
    for child in children[:3]:
        assert break_glass(client, child).status_code == 302
        frozen.tick(dt.timedelta(minutes=20))
    refused = break_glass(client, children[3]).content.decode()
    assert "You have used emergency access 3 times today, the most allowed" in refused
    assert client.get(reverse("children:detail", args=[children[3].public_id])).status_code == 404
    assert BreakGlassGrant.objects.count() == 3 and len(mail.outbox) == 3
    frozen.move_to("2026-11-26 08:00")  # a new day
    client.force_login(therapist)
    assert break_glass(client, children[4]).status_code == 302


def test_an_independent_providers_therapist_cannot_use_emergency_access(client, area):
    from fulfil.factories import ProviderFactory

    independent = ProviderFactory(local_area=area, kind="independent")
    user = UserFactory(role="therapist", local_area=area, therapist=TherapistFactory(local_area=area, provider=independent))
    client.force_login(user)
    child = ChildFactory(local_area=area)
    assert client.get(reverse("children:break-glass")).status_code == 404
    assert break_glass(client, child).status_code == 404
    assert "Emergency access" not in client.get(reverse("children:list")).content.decode()
    assert not BreakGlassGrant.objects.exists()


# Real commits: the alert is tried when the grant commits, before the view decides what to show.
@pytest.mark.django_db(transaction=True)
def test_an_alert_that_cannot_be_sent_is_shown_to_the_user_and_listed_for_review(frozen, client, area, therapist, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailBackend"
    child = ChildFactory(local_area=area)
    page = client.get(break_glass(client, child)["Location"]).content.decode()
    assert "The privacy officer could not be told by e-mail" in page and "Tell them yourself today" in page
    assert "the privacy officer has been told" not in page
    grant = BreakGlassGrant.objects.get()
    assert grant.alert_sent_at is None and grant.alert_failure == "The e-mail could not be sent: ConnectionRefusedError"
    client.force_login(UserFactory(role="council_officer", local_area=area))
    review = client.get(reverse("accounts:break-glass-review")).content.decode()
    assert "Not sent" in review and "ConnectionRefusedError" in review


def test_the_privacy_officer_reviews_every_use_in_their_area(frozen, client, area, other_area, therapist):
    child = ChildFactory(local_area=area)
    break_glass(client, child, reason="Safeguarding call about a sibling")
    elsewhere = UserFactory(role="therapist", local_area=other_area, therapist=TherapistFactory(local_area=other_area))
    client.force_login(elsewhere)
    break_glass(client, ChildFactory(local_area=other_area), reason="Another area's emergency")
    assert client.get(reverse("accounts:break-glass-review")).status_code == 404  # therapists do not review

    officer = UserFactory(role="council_officer", local_area=area, first_name="Priya", last_name="Officer")
    client.force_login(officer)
    review = client.get(reverse("accounts:break-glass-review")).content.decode()
    assert "Safeguarding call about a sibling" in review and "Another area" not in review
    assert "1 to review" in review and "Sent 10:00" in review
    grant = BreakGlassGrant.objects.get(user=therapist)
    foreign = BreakGlassGrant.objects.get(user=elsewhere)
    assert client.post(reverse("accounts:break-glass-review"), {"grant": foreign.pk}).status_code == 404
    response = client.post(reverse("accounts:break-glass-review"), {"grant": grant.pk}, follow=True)
    assert "0 to review" in response.content.decode() and "Safeguarding call" not in response.content.decode()
    everything = client.get(reverse("accounts:break-glass-review"), {"show": "all"}).content.decode()
    assert "Reviewed by Priya Officer, 25 Nov 2026" in everything
    grant.refresh_from_db()
    assert grant.reviewed_by == officer and foreign.reviewed_at is None


def test_production_refuses_a_mail_backend_that_drops_alerts():
    import os
    import subprocess  # nosec B404 - runs this project's own settings module
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "FULFIL_SECRET_KEY": "x" * 60,
           "FULFIL_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],  # nosec B603
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "does not send mail: alerts would be lost" in result.stderr


@pytest.mark.parametrize("grant", ["²", "99999999999999999999999", "", "1 OR 1=1"])
def test_marking_an_odd_grant_id_as_reviewed_is_a_404_not_a_crash(client, area, grant):
    client.force_login(UserFactory(role="council_officer", local_area=area))
    assert client.post(reverse("accounts:break-glass-review"), {"grant": grant}).status_code == 404


def test_an_overlong_reason_gets_a_message_and_a_nul_byte_is_dropped(frozen, client, area, therapist):
    child = ChildFactory(local_area=area)
    refused = break_glass(client, child, reason="x" * 501).content.decode()
    assert "The reason must be 500 characters or fewer" in refused
    grant = break_glass_open(user=therapist, nhs_number=child.nhs_number, reason="Child\x00 in hospital, covering", now=clock.now())
    assert grant.reason == "Child in hospital, covering"
