import datetime as dt

import pytest
from freezegun import freeze_time

from fulfil.factories import (
    AttendanceFactory,
    CaseloadAssignmentFactory,
    EducationSettingFactory,
    EnrolmentFactory,
    ProviderFactory,
    ProvisionItemFactory,
    SessionFactory,
    TherapistFactory,
    UserFactory,
)

# A Tuesday in term (the default London calendar), and the clock every test here reads: noon
# the next day, so the visit is in the past and the weeks after it are still to come.
VISIT_DAY = dt.date(2026, 11, 24)
TODAY = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """Every test here runs on 25 November 2026, whatever the machine's date. Browser tests let
    the pinned clock tick, so the browser's and the server's timeouts still run."""
    with freeze_time(TODAY, tick=request.node.get_closest_marker("browser") is not None):
        yield


@pytest.fixture
def school_world(area):
    """One SALT therapist with six children at one primary school; three are booked on the
    visit day (two in a group, one one-to-one), three more are on the caseload there."""
    provider = ProviderFactory(local_area=area)
    therapist = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    setting = EducationSettingFactory(local_area=area, name="Brookfield Primary")
    therapist.settings_covered.add(setting)
    children, items = [], []
    for n in range(6):
        enrolment = EnrolmentFactory(child__local_area=area, child__current_setting=setting, setting=setting)
        child = enrolment.child
        CaseloadAssignmentFactory(therapist=therapist, child=child, discipline="salt")
        items.append(ProvisionItemFactory(plan_version__plan__child=child, discipline="salt", minutes=30, group_allowed=n < 2))
        children.append(child)
    group = SessionFactory(therapist=therapist, setting=setting, date=VISIT_DAY, starts_at=dt.time(9, 30), minutes=30,
                           kind="group", status="planned")
    for i in (0, 1):
        AttendanceFactory(session=group, child=children[i], provision_item=items[i], minutes=30)
    solo = SessionFactory(therapist=therapist, setting=setting, date=VISIT_DAY, starts_at=dt.time(10, 15), minutes=30,
                          kind="direct", status="planned")
    AttendanceFactory(session=solo, child=children[2], provision_item=items[2], minutes=30)
    users = {
        "therapist": UserFactory(role="therapist", local_area=area, therapist=therapist, username="t-salt"),
        "senco": UserFactory(role="senco", local_area=area, setting=setting, username="senco"),
        "manager": UserFactory(role="service_manager", local_area=area, provider=provider, username="manager"),
        "parent": UserFactory(role="parent", local_area=area, username="parent"),
        "commissioner": UserFactory(role="commissioner", local_area=area, username="commissioner"),
    }
    return {"therapist": therapist, "setting": setting, "children": children, "items": items, "provider": provider,
            "planned": [group, solo], "users": users, "area": area}
