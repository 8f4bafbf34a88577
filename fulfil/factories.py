"""factory-boy factories for tests and quick experiments. Synthetic data only: NHS numbers
come from the 999 test range."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from faker import Faker

from fulfil.core import identifiers

_fake = Faker("en_GB")
_nhs_serial = itertools.count(500000)


def _plain(make):
    """A Faker name with no apostrophe. Tests look for names in rendered HTML, where Django
    escapes O'Brien as O&#x27;Brien, so one test in a few hundred failed at random; escaping
    of such names is tested on purpose in fulfil/delivery/tests/test_names_with_apostrophes.py."""
    def name() -> str:
        while "'" in (value := make()):
            pass
        return value
    return name


_first_name = _plain(_fake.first_name)
_first_name_female = _plain(_fake.first_name_female)
_last_name = _plain(_fake.last_name)


def test_nhs_number() -> str:
    """The next valid NHS number from the test range 999..."""
    while True:
        nine = f"999{next(_nhs_serial):06d}"
        check = identifiers.nhs_number_check_digit(nine)
        if check is not None:
            return f"{nine}{check}"


class LocalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.LocalArea"
        django_get_or_create = ("la_number",)

    name = "Sutton (test)"
    la_number = 319
    ons_code = "E09000029"
    region = "London"


class EducationSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schools.EducationSetting"

    local_area = factory.SubFactory(LocalAreaFactory)
    urn = factory.Sequence(lambda n: f"{140000 + n}")
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    setting_type = "mainstream_primary"
    phase = "primary"
    postcode = "SM1 1AA"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "children.Child"

    local_area = factory.SubFactory(LocalAreaFactory)
    first_name = factory.LazyFunction(_first_name)
    last_name = factory.LazyFunction(_last_name)
    date_of_birth = dt.date(2017, 3, 14)
    sex = "F"
    nhs_number = factory.LazyFunction(test_nhs_number)
    upn = factory.Sequence(lambda n: identifiers.make_upn(319, 2001, 21, n % 1000))
    sen_status = "ehcp"
    primary_need = "SLCN"
    current_setting = factory.SubFactory(EducationSettingFactory, local_area=factory.SelfAttribute("..local_area"))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "children.Enrolment"

    child = factory.SubFactory(ChildFactory)
    local_area = factory.SelfAttribute("child.local_area")
    setting = factory.SelfAttribute("child.current_setting")
    on_roll_from = dt.date(2021, 9, 6)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.Provider"

    local_area = factory.SubFactory(LocalAreaFactory)
    name = factory.Sequence(lambda n: f"Community Health NHS Trust {n}")
    kind = "nhs_trust"


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.Therapist"

    local_area = factory.SubFactory(LocalAreaFactory)
    provider = factory.SubFactory(ProviderFactory, local_area=factory.SelfAttribute("..local_area"))
    first_name = factory.LazyFunction(_first_name_female)
    last_name = factory.LazyFunction(_last_name)
    discipline = "salt"
    band = 6


class CaseloadAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.CaseloadAssignment"

    therapist = factory.SubFactory(TherapistFactory)
    child = factory.SubFactory(ChildFactory, local_area=factory.SelfAttribute("..therapist.local_area"))
    local_area = factory.SelfAttribute("therapist.local_area")
    discipline = factory.SelfAttribute("therapist.discipline")
    starts_on = dt.date(2024, 9, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Plan"

    child = factory.SubFactory(ChildFactory)
    local_area = factory.SelfAttribute("child.local_area")
    reference = factory.Sequence(lambda n: f"EHCP-TEST-{n:05d}")
    first_issued_on = dt.date(2024, 6, 1)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.PlanVersion"

    plan = factory.SubFactory(PlanFactory)
    number = 1
    reason = "new"
    issued_on = factory.SelfAttribute("plan.first_issued_on")
    status = "final"


class ProvisionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ProvisionItem"

    plan_version = factory.SubFactory(PlanVersionFactory)
    child = factory.SelfAttribute("plan_version.plan.child")
    local_area = factory.SelfAttribute("child.local_area")
    discipline = "salt"
    kind = "direct"
    sessions = 1
    minutes = 30
    period = "week"
    starts_on = dt.date(2024, 9, 1)
    wording = "Weekly 30-minute individual sessions with a speech and language therapist."


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delivery.Session"

    therapist = factory.SubFactory(TherapistFactory)
    local_area = factory.SelfAttribute("therapist.local_area")
    setting = factory.SubFactory(EducationSettingFactory, local_area=factory.SelfAttribute("..local_area"))
    date = dt.date(2025, 10, 7)
    starts_at = dt.time(10, 0)
    minutes = 30
    kind = "direct"
    status = "delivered"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delivery.Attendance"

    session = factory.SubFactory(SessionFactory)
    child = factory.SubFactory(ChildFactory)
    minutes = factory.SelfAttribute("session.minutes")


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(_first_name)
    last_name = factory.LazyFunction(_last_name)
    role = "council_officer"
    local_area = factory.SubFactory(LocalAreaFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    class Meta:
        model = "accounts.User"
        skip_postgeneration_save = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])
