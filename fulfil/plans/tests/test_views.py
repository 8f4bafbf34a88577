import datetime as dt

import pytest
from django.urls import reverse

from fulfil.factories import ChildFactory, PlanVersionFactory, ProvisionItemFactory, UserFactory
from fulfil.plans.models import ProvisionItem

pytestmark = pytest.mark.django_db

VAGUE = "Regular access to speech and language therapy as appropriate."
GOOD = "Weekly 30-minute individual sessions with a speech and language therapist."


@pytest.fixture
def officer(client, area):
    user = UserFactory(role="council_officer", local_area=area)
    client.force_login(user)
    return user


def test_feedback_explains_why_a_line_cannot_be_enforced(client, officer):
    html = client.post(reverse("plans:wording-feedback"), {"wording": VAGUE}).content.decode()
    assert "Not quantified" in html and "discretion" in html
    html = client.post(reverse("plans:wording-feedback"), {"wording": GOOD}).content.decode()
    assert "Quantified" in html and "1 x 30 minutes per week" in html


def test_the_quality_report_counts_lines_by_verdict_team_and_phrase(client, officer, area):
    for wording in [GOOD, GOOD, VAGUE]:
        item = ProvisionItemFactory(plan_version__plan__child__local_area=area, wording=wording)
        item.plan_version.plan.caseworker_team = "Primary team"
        item.plan_version.plan.save()
    response = client.get(reverse("plans:quality"))
    quality = response.context["quality"]
    assert quality.total.lines == 3 and quality.total.verdicts["quantified"] == 2
    assert [g.label for g in quality.by_team] == ["Primary team"]
    assert dict(quality.phrases).get("as appropriate") == 1
    csv_text = client.get(reverse("plans:quality"), {"format": "csv"}).content.decode()
    assert "All therapy lines,3,66.7" in csv_text


def test_adding_a_line_takes_the_details_from_the_wording_in_one_click_and_saves(client, officer, area):
    version = PlanVersionFactory(plan__child__local_area=area)
    child = version.plan.child
    url = reverse("plans:line-add", args=[child.public_id])
    wording = "6 x 45 min direct OT per term delivered by an HCPC-registered occupational therapist"
    response = client.post(url, {"wording": wording, "action": "use-0", "starts_on": "2026-09-03", "section": "F"})
    form = response.context["form"]
    assert (form["discipline"].value(), form["sessions"].value(), form["minutes"].value(), form["period"].value()) == ("ot", "6", "45", "term")
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(action="save")
    response = client.post(url, data)
    assert response.status_code == 302
    item = ProvisionItem.objects.get(child=child)
    assert (item.discipline, item.kind, item.sessions, item.minutes, item.period, item.deliverer) == ("ot", "direct", 6, 45, "term", "therapist")
    assert item.starts_on == dt.date(2026, 9, 3) and item.wording == wording


def test_a_half_given_frequency_is_refused_with_a_message_and_nothing_saved(client, officer, area):
    child = PlanVersionFactory(plan__child__local_area=area).plan.child
    response = client.post(reverse("plans:line-add", args=[child.public_id]), {
        "wording": "Some OT", "discipline": "ot", "section": "F", "kind": "direct", "sessions": "6", "minutes": "",
        "period": "", "deliverer": "therapist", "starts_on": "2026-09-03", "action": "save"})
    assert "Give both the number of sessions and the period, or neither" in response.content.decode()
    assert not ProvisionItem.objects.exists()


@pytest.mark.parametrize("role", ["therapist", "senco", "parent", "commissioner"])
def test_only_caseworkers_add_lines(client, area, role):
    child = PlanVersionFactory(plan__child__local_area=area).plan.child
    client.force_login(UserFactory(role=role, local_area=area))
    assert client.get(reverse("plans:line-add", args=[child.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["senco", "parent", "admin"])
def test_wording_pages_are_for_staff_who_write_or_advise_on_plans(client, area, role):
    client.force_login(UserFactory(role=role, local_area=area))
    assert client.get(reverse("plans:wording-check")).status_code == 404
    assert client.get(reverse("plans:quality")).status_code == 404


def test_a_child_without_a_plan_has_no_add_line_page(client, officer, area):
    child = ChildFactory(local_area=area, sen_status="sen_support")
    assert client.get(reverse("plans:line-add", args=[child.public_id])).status_code == 404
