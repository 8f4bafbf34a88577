import datetime as dt

import pytest
from django.urls import reverse

from fulfil.accounts.models import AccessRecord
from fulfil.factories import CaseloadAssignmentFactory, ProviderFactory, TherapistFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_caseload_page_lists_current_children_only(client, area):
    therapist = TherapistFactory(local_area=area)
    current = CaseloadAssignmentFactory(therapist=therapist, child__first_name="Nia", child__last_name="Ode")
    CaseloadAssignmentFactory(therapist=therapist, child__first_name="Old", child__last_name="Case",
                              ends_on=dt.date.today() - dt.timedelta(days=5))
    client.force_login(UserFactory(role="council_officer", local_area=area))
    response = client.get(reverse("workforce:detail", args=[therapist.pk]))
    assert [str(r.assignment.child) for r in response.context["caseload"]] == ["Nia Ode"]
    assert AccessRecord.objects.filter(action="list-caseload", child=current.child).exists()


def test_therapist_list_shows_caseload_sizes(client, area):
    therapist = TherapistFactory(local_area=area, discipline="ot")
    for _ in range(3):
        CaseloadAssignmentFactory(therapist=therapist)
    client.force_login(UserFactory(role="council_officer", local_area=area))
    response = client.get(reverse("workforce:list"), {"discipline": "ot"})
    assert [(t.pk, t.caseload_size) for t in response.context["therapists"]] == [(therapist.pk, 3)]


def test_therapist_sees_their_team_but_not_another_provider(client, area):
    provider = ProviderFactory(local_area=area)
    me = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    colleague = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    outsider = TherapistFactory(local_area=area, discipline="salt")
    client.force_login(UserFactory(role="therapist", local_area=area, therapist=me))
    assert client.get(reverse("workforce:detail", args=[colleague.pk])).status_code == 200
    assert client.get(reverse("workforce:detail", args=[outsider.pk])).status_code == 404


def test_service_manager_sees_only_their_providers_therapists(client, area):
    provider = ProviderFactory(local_area=area)
    mine = TherapistFactory(local_area=area, provider=provider)
    other = TherapistFactory(local_area=area)
    client.force_login(UserFactory(role="service_manager", local_area=area, provider=provider))
    listed = client.get(reverse("workforce:list")).context["therapists"]
    assert [t.pk for t in listed] == [mine.pk]
    assert client.get(reverse("workforce:detail", args=[other.pk])).status_code == 404
