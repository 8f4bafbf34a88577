"""A service manager records the weekdays each therapist works; the planner books only those."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fulfil.factories import ProviderFactory, TherapistFactory, UserFactory
from fulfil.workforce.models import Therapist

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(area):
    provider = ProviderFactory(local_area=area)
    therapist = TherapistFactory(local_area=area, provider=provider, discipline="ot", contracted_hours=Decimal("22.5"))
    manager = UserFactory(role="service_manager", local_area=area, provider=provider)
    return {"provider": provider, "therapist": therapist, "manager": manager}


def test_the_manager_records_working_days_and_the_page_shows_them(client, team):
    client.force_login(team["manager"])
    url = reverse("workforce:working-days", args=[team["therapist"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"days": ["0", "2", "3"]})
    assert response.status_code == 302
    team["therapist"].refresh_from_db()
    assert team["therapist"].working_days == "023"
    page = client.get(reverse("workforce:detail", args=[team["therapist"].pk])).content.decode()
    assert "Monday, Wednesday, Thursday" in page


@pytest.mark.parametrize(("days", "message"), [
    ([], "Select at least one day the therapist works"),
    (["0"], "22.5 contracted hours over 1 day is 22.5 hours a day"),
    (["7"], "Select a valid choice"),
])
def test_bad_working_days_are_refused_and_nothing_changes(client, team, days, message):
    client.force_login(team["manager"])
    response = client.post(reverse("workforce:working-days", args=[team["therapist"].pk]), {"days": days})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert Therapist.objects.get(pk=team["therapist"].pk).working_days == ""


@pytest.mark.parametrize("role", ["therapist", "council_officer", "commissioner", "senco", "parent"])
def test_only_the_service_manager_may_change_working_days(client, team, area, role):
    client.force_login(UserFactory(role=role, local_area=area, therapist=team["therapist"] if role == "therapist" else None))
    url = reverse("workforce:working-days", args=[team["therapist"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"days": ["1"]}).status_code == 404
    assert Therapist.objects.get(pk=team["therapist"].pk).working_days == ""


def test_another_services_manager_cannot_change_them(client, team, area):
    client.force_login(UserFactory(role="service_manager", local_area=area, provider=ProviderFactory(local_area=area)))
    assert client.post(reverse("workforce:working-days", args=[team["therapist"].pk]), {"days": ["1"]}).status_code == 404
