import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulfil.accounts.models import AccessRecord
from fulfil.factories import (
    AttendanceFactory,
    ChildFactory,
    ProvisionItemFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(area, client):
    user = UserFactory(role="council_officer", local_area=area)
    client.force_login(user)
    return user


def names(response):
    return {str(child) for child in response.context["page"].object_list}


def test_search_finds_a_child_by_name_nhs_number_with_spaces_and_upn(client, officer, area):
    amelia = ChildFactory(local_area=area, first_name="Amelia", last_name="Okonkwo")
    ChildFactory(local_area=area, first_name="Oliver", last_name="Smith")
    url = reverse("children:list")
    assert names(client.get(url, {"q": "amelia okon"})) == {"Amelia Okonkwo"}
    spaced = f"{amelia.nhs_number[:3]} {amelia.nhs_number[3:6]} {amelia.nhs_number[6:]}"
    assert names(client.get(url, {"q": spaced})) == {"Amelia Okonkwo"}
    assert names(client.get(url, {"q": amelia.upn.lower()})) == {"Amelia Okonkwo"}


def test_search_finds_a_child_by_a_former_upn(client, officer, area):
    from fulfil.children.models import UpnRecord
    from fulfil.core.identifiers import make_upn

    child = ChildFactory(local_area=area, first_name="Zara", last_name="Quinn")
    former = make_upn(312, 2456, 18, 77)
    UpnRecord.objects.create(child=child, upn=former, kind="former", valid_from="2018-09-01", valid_to="2020-07-20")
    assert names(client.get(reverse("children:list"), {"q": former})) == {"Zara Quinn"}


def test_filters_by_setting_need_discipline_and_status(client, officer, area):
    ot_child = ChildFactory(local_area=area, first_name="Otto", last_name="Rae", primary_need="PD")
    ProvisionItemFactory(plan_version__plan__child=ot_child, discipline="ot")
    ChildFactory(local_area=area, first_name="Sal", last_name="Tee", primary_need="SLCN", sen_status="sen_support")
    url = reverse("children:list")
    assert names(client.get(url, {"discipline": "ot"})) == {"Otto Rae"}
    assert names(client.get(url, {"need": "PD"})) == {"Otto Rae"}
    assert names(client.get(url, {"sen_status": "sen_support"})) == {"Sal Tee"}
    assert names(client.get(url, {"setting": ot_child.current_setting_id})) == {"Otto Rae"}


def test_list_is_paginated_and_keeps_filters_in_page_links(client, officer, area):
    for n in range(30):
        ChildFactory(local_area=area, last_name=f"Pupil{n:02d}", primary_need="ASD")
    response = client.get(reverse("children:list"), {"need": "ASD"})
    assert len(response.context["page"].object_list) == 25
    assert "need=ASD&amp;page=2" in response.content.decode()
    second = client.get(reverse("children:list"), {"need": "ASD", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_a_bad_filter_value_shows_the_unfiltered_list_not_an_error(client, officer, area):
    ChildFactory(local_area=area)
    response = client.get(reverse("children:list"), {"setting": "abc", "need": "NOPE"})
    assert response.status_code == 200


def test_child_record_shows_each_therapy_line_and_its_sessions(client, officer, area):
    item = ProvisionItemFactory(plan_version__plan__child__local_area=area, discipline="ot",
                                wording="6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA.",
                                sessions=6, minutes=45, period="term")
    vague = ProvisionItemFactory(plan_version=item.plan_version, discipline="salt", sessions=None, minutes=None,
                                 period="", wording="Regular access to speech and language therapy as appropriate.")
    session = SessionFactory(therapist__local_area=area, minutes=45, status="delivered")
    AttendanceFactory(session=session, child=item.child, provision_item=item, minutes=45)
    cancelled = SessionFactory(therapist=session.therapist, status="cancelled_provider", cancellation_reason="Therapist sick")
    AttendanceFactory(session=cancelled, child=item.child, provision_item=item, minutes=45)

    response = client.get(reverse("children:detail", args=[item.child.public_id]))
    html = response.content.decode()
    assert "6 x 45 min direct OT per term" in html
    assert "6 sessions of 45 minutes per term" in html
    assert "1 session (45 minutes)" in html
    assert "1 cancelled by the provider (owed)" in html
    assert "Cancelled by provider" in html and "Therapist sick" in html
    assert "Not quantified" in html and vague.wording in html


def test_viewing_a_child_writes_an_access_record_without_personal_data_in_it(client, officer, area):
    child = ChildFactory(local_area=area, first_name="Isla")
    client.get(reverse("children:detail", args=[child.public_id]))
    record = AccessRecord.objects.get(child=child, action="view-child")
    assert record.user == officer and record.role == "council_officer"
    assert "Isla" not in record.path + record.detail


def test_listing_children_records_each_child_shown(client, officer, area):
    shown = [ChildFactory(local_area=area) for _ in range(3)]
    client.get(reverse("children:list"))
    assert set(AccessRecord.objects.filter(action="list-children").values_list("child_id", flat=True)) == {c.pk for c in shown}


def test_pages_with_personal_data_are_never_cached(client, officer, area):
    child = ChildFactory(local_area=area)
    response = client.get(reverse("children:detail", args=[child.public_id]))
    assert response["Cache-Control"] == "no-store"


def test_a_confidential_address_is_hidden_from_everyone_but_the_council(client, area):
    from fulfil.factories import CaseloadAssignmentFactory

    assignment = CaseloadAssignmentFactory(therapist__local_area=area, child__address="12 Hidden Lane",
                                           child__confidential_address=True)
    therapist = UserFactory(role="therapist", local_area=area, therapist=assignment.therapist)
    client.force_login(therapist)
    response = client.get(reverse("children:detail", args=[assignment.child.public_id]))
    assert "12 Hidden Lane" not in response.content.decode()
    client.force_login(UserFactory(role="council_officer", local_area=area))
    response = client.get(reverse("children:detail", args=[assignment.child.public_id]))
    assert "12 Hidden Lane" in response.content.decode()


def test_the_access_history_lists_who_saw_the_record(client, officer, area):
    from fulfil.factories import CaseloadAssignmentFactory

    assignment = CaseloadAssignmentFactory(therapist__local_area=area)
    therapist = UserFactory(role="therapist", local_area=area, therapist=assignment.therapist, first_name="Tess", last_name="Ingram")
    client.force_login(therapist)
    assert client.get(reverse("children:detail", args=[assignment.child.public_id])).status_code == 200
    client.force_login(officer)
    response = client.get(reverse("children:access-history", args=[assignment.child.public_id]))
    html = response.content.decode()
    assert "Tess Ingram" in html and "view-child" in html
    assert AccessRecord.objects.filter(child=assignment.child, action="view-access-history", user=officer).count() == 1


@pytest.mark.parametrize("role", ["senco", "parent", "therapist", "service_manager"])
def test_a_confidential_address_never_reaches_other_roles(client, area, role):
    import datetime as dt

    from fulfil.accounts.models import FamilyLink
    from fulfil.factories import CaseloadAssignmentFactory, EnrolmentFactory

    enrolment = EnrolmentFactory(child__local_area=area, child__address="7 Refuge Road", child__postcode="SM9 9ZZ",
                                 child__confidential_address=True)
    child = enrolment.child
    assignment = CaseloadAssignmentFactory(therapist__local_area=area, child=child)
    user = UserFactory(role=role, local_area=area, setting=enrolment.setting, therapist=assignment.therapist,
                       provider=assignment.therapist.provider)
    FamilyLink.objects.create(user=user, child=child, starts_on=dt.date(2020, 1, 1))
    client.force_login(user)
    for url in [reverse("children:detail", args=[child.public_id]), reverse("children:list"),
                reverse("schools:detail", args=[enrolment.setting.pk])]:
        html = client.get(url).content.decode()
        assert "Refuge Road" not in html and "SM9 9ZZ" not in html, url


def test_a_subject_access_export_holds_everything_as_json_and_pdf(client, officer, area):
    import json

    item = ProvisionItemFactory(plan_version__plan__child__local_area=area, wording="Weekly OT with an occupational therapist")
    child = item.child
    AttendanceFactory(session=SessionFactory(therapist__local_area=area, summary="Worked on handwriting"), child=child, provision_item=item)
    response = client.get(reverse("children:subject-access-json", args=[child.public_id]))
    data = json.loads(response.content)
    assert data["child"]["nhs_number"] == child.nhs_number
    assert data["provision_items"][0]["wording"] == "Weekly OT with an occupational therapist"
    assert data["sessions"][0]["summary"] == "Worked on handwriting"
    assert data["assessment_requests"] == [] and data["annual_reviews"] == []
    assert any(r["action"] == "subject-access-json" for r in data["access_records"])
    pdf = client.get(reverse("children:subject-access-pdf", args=[child.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000


def test_a_subject_access_export_includes_clinical_notes_with_the_serious_harm_notice(client, officer, area):
    """The right of access covers the therapists' clinical notes too; the officer is told to have
    a health professional check them before release (DPA 2018 Sch. 3 Part 2)."""
    import json

    from django.template.loader import render_to_string

    from fulfil.delivery.models import ClinicalNote
    from fulfil.pages.subject_access import CLINICAL_NOTES_NOTICE, child_subject_access

    item = ProvisionItemFactory(plan_version__plan__child__local_area=area)
    child = item.child
    attendance = AttendanceFactory(session=SessionFactory(therapist__local_area=area), child=child, provision_item=item)
    other = AttendanceFactory(session=SessionFactory(therapist__local_area=area), provision_item=None)
    ClinicalNote.objects.create(attendance=attendance, text="Pencil grip improving; tires after 10 minutes", written_by=officer)
    ClinicalNote.objects.create(attendance=other, text="Another child's note", written_by=officer)

    data = json.loads(client.get(reverse("children:subject-access-json", args=[child.public_id])).content)
    assert [n["text"] for n in data["clinical_notes"]] == ["Pencil grip improving; tires after 10 minutes"]
    assert data["clinical_notes"][0]["therapist"] == attendance.session.therapist.full_name
    assert "serious harm" in data["clinical_notes_notice"] and "Schedule 3" in data["clinical_notes_notice"]
    # The export is stamped with the moment the edge read, not a clock of its own.
    exported = child_subject_access(child, now=timezone.make_aware(dt.datetime(2026, 11, 25, 9, 30)))
    assert exported["generated_at"] == "2026-11-25T09:30:00+00:00"
    html = render_to_string("children/subject_access_pdf.html", {"data": exported, "child": child})
    assert "Pencil grip improving" in html and "Another child" not in html
    assert "serious harm" in html and CLINICAL_NOTES_NOTICE.split(" (")[0][:60] in html.replace("&#x27;", "'")
