import datetime as dt

import pytest
from django.urls import reverse

from fulfil.factories import ChildFactory, EducationSettingFactory, EnrolmentFactory, ProvisionItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_setting_page_lists_its_pupils_with_plans_and_whether_they_have_therapy(client, area):
    setting = EducationSettingFactory(local_area=area, name="Hollis Park Primary School")
    with_ot = ChildFactory(local_area=area, current_setting=setting, first_name="Ava", last_name="Birch")
    ProvisionItemFactory(plan_version__plan__child=with_ot, discipline="ot")
    ChildFactory(local_area=area, current_setting=setting, first_name="Ben", last_name="Cole")
    ChildFactory(local_area=area, current_setting=setting, sen_status="sen_support", first_name="Cy", last_name="Dee")
    client.force_login(UserFactory(role="council_officer", local_area=area))
    response = client.get(reverse("schools:detail", args=[setting.pk]))
    rows = {str(r.child): r.has_therapy for r in response.context["page"].object_list}
    assert rows == {"Ava Birch": True, "Ben Cole": False}


def test_senco_sees_only_their_own_setting(client, area):
    mine = EnrolmentFactory(child__local_area=area).setting
    other = EducationSettingFactory(local_area=area)
    client.force_login(UserFactory(role="senco", local_area=area, setting=mine))
    assert client.get(reverse("schools:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("schools:detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("schools:list")).context["page"].object_list
    assert [s.pk for s in listed] == [mine.pk]


def test_senco_does_not_see_a_pupil_who_has_left(client, area):
    enrolment = EnrolmentFactory(child__local_area=area, on_roll_to=dt.date.today() - dt.timedelta(days=1))
    client.force_login(UserFactory(role="senco", local_area=area, setting=enrolment.setting))
    response = client.get(reverse("schools:detail", args=[enrolment.setting.pk]))
    assert list(response.context["page"].object_list) == []


def test_settings_of_another_area_are_not_found(client, area, other_area):
    elsewhere = EducationSettingFactory(local_area=other_area)
    client.force_login(UserFactory(role="council_officer", local_area=area))
    assert client.get(reverse("schools:detail", args=[elsewhere.pk])).status_code == 404


def test_settings_list_searches_by_name_urn_and_postcode(client, area):
    EducationSettingFactory(local_area=area, name="Cheam Fields Primary School", urn="102030", postcode="SM3 8PW")
    EducationSettingFactory(local_area=area, name="Carshalton High School")
    client.force_login(UserFactory(role="council_officer", local_area=area))
    for query in ["cheam", "102030", "sm3 8pw"]:
        page = client.get(reverse("schools:list"), {"q": query}).context["page"]
        assert [s.name for s in page.object_list] == ["Cheam Fields Primary School"], query


@pytest.mark.parametrize("role", ["parent", "commissioner", "admin"])
def test_roles_without_setting_access_get_404(client, area, role):
    setting = EducationSettingFactory(local_area=area)
    client.force_login(UserFactory(role=role, local_area=area))
    assert client.get(reverse("schools:detail", args=[setting.pk])).status_code == 404
