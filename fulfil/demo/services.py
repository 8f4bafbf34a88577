"""Writes for the demo: generate an area into the database or to CSV, and create sign-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Max, Q

from fulfil.accounts.admin import administrator_permissions
from fulfil.accounts.models import FamilyLink, Role, User
from fulfil.children.models import Child
from fulfil.core.models import LocalArea
from fulfil.demo.generator import AreaGenerator, NamePool, NhsNumbers
from fulfil.demo.records import AreaSpec, GenerationStats, Ids
from fulfil.demo.sinks import CsvSink, DatabaseSink, Sink
from fulfil.planning.models import PlanningSettings
from fulfil.plans.models import RecordedException
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import Provider, Therapist

# The published password of the local demo's sign-ins (synthetic data only).
DEMO_PASSWORD = "fulfil-demo-2026"  # noqa: S105  # nosec B105


class AreaAlreadyExists(Exception):
    pass


def _next_ids() -> dict[str, int]:

    start = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"core", "schools", "children", "workforce", "plans", "delivery", "ledger"}:
            highest = model._default_manager.aggregate(m=Max("pk"))["m"]
            start[model._meta.db_table] = (highest or 0) + 1
    return start


@dataclass
class GenerationResult:
    areas: int
    stats: list[GenerationStats]


def demo_areas_generate(
    *,
    specs: Iterable[AreaSpec],
    seed: int,
    today: dt.date,
    output: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> GenerationResult:
    """Generate areas into the database (one transaction: all or nothing) or into CSV files."""
    names = NamePool(seed)
    nhs_numbers = NhsNumbers()
    results: list[GenerationStats] = []
    if output is not None:
        sink: Sink = CsvSink(output)
        ids = Ids()
        try:
            for spec in specs:
                results.append(AreaGenerator(spec, seed=seed, today=today, sink=sink, ids=ids, names=names,
                                             nhs_numbers=nhs_numbers, progress=progress).run())
        finally:
            sink.close()
        return GenerationResult(len(results), results)

    specs = list(specs)
    with transaction.atomic():
        for spec in specs:
            if LocalArea.objects.filter(la_number=spec.la_number).exists():
                raise AreaAlreadyExists(
                    f"This database already has an area with LA number {spec.la_number}. "
                    "Use a fresh database (delete fulfil.sqlite3, or set DATABASE_URL) to generate it again."
                )
        existing_nhs = _existing_test_nhs_count()
        nhs_numbers = NhsNumbers(start=existing_nhs)
        sink = DatabaseSink()
        ids = Ids(_next_ids())
        for spec in specs:
            stats = AreaGenerator(spec, seed=seed, today=today, sink=sink, ids=ids, names=names,
                                  nhs_numbers=nhs_numbers, progress=progress).run()
            results.append(stats)
        sink.close()
        for spec, stats in zip(specs, results, strict=True):
            if spec.with_users:
                demo_users_create(local_area=LocalArea.objects.get(la_number=spec.la_number), today=today,
                                  exceptions=stats.exceptions_to_record)
    # Fresh statistics after a bulk load: without them PostgreSQL can plan the ledger's
    # "attendances of these lines" query as a nested loop over every session (seen in CI: a
    # query still running after 4 minutes when autovacuum had not analysed the new tables yet).
    if connection.vendor in ("sqlite", "postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return GenerationResult(len(results), results)


def _existing_test_nhs_count() -> int:
    """Continue the 999 range after numbers already used, so a second area never reuses one."""
    highest = Child.objects.filter(nhs_number__startswith="999").aggregate(m=Max("nhs_number"))["m"]
    return int(highest[3:9]) + 1 if highest else 0


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    role_label: str
    note: str


def demo_users_create(*, local_area: LocalArea, today: dt.date, exceptions: Iterable[dict] = ()) -> list[DemoSignIn]:
    """One sign-in per role, each tied to real relationships in the generated data.

    `exceptions` are the generator's exceptions to statutory timescales (rows without `recorded_by`):
    they are recorded as the council's SEND officer, who records them in practice.
    """
    # The synthetic therapists' only work outside plans is the SEN-support blocks the generator
    # books, so little of their clinical time is committed elsewhere.
    PlanningSettings.objects.get_or_create(local_area=local_area, defaults={"other_work_fraction": Decimal("0.05")})

    suffix = "" if local_area.la_number == 319 else f"-{local_area.la_number}"
    provider = Provider.objects.filter(local_area=local_area, kind="nhs_trust").first()
    # The demo therapist is the NHS OT with the largest current caseload: the team at the
    # centre of the story.
    therapist = (
        Therapist.objects.filter(local_area=local_area, discipline="ot", archived_at__isnull=True, provider=provider)
        .annotate(open_cases=Count("caseload", filter=Q(caseload__ends_on__isnull=True)))
        .order_by("-open_cases", "id").first()
    )
    # The SENCO's school is the primary with most pupils on that therapist's caseload, and the
    # parent's child is one of them, so every sign-in sees the same children from its side.
    setting = (
        EducationSetting.objects.filter(local_area=local_area, setting_type="mainstream_primary")
        .annotate(shared=Count("pupils", filter=Q(pupils__caseload_assignments__therapist=therapist)))
        .order_by("-shared", "id").first()
    )
    child = (
        Child.objects.filter(local_area=local_area, current_setting=setting, sen_status="ehcp",
                             caseload_assignments__therapist=therapist)
        .order_by("id").first()
        or Child.objects.filter(local_area=local_area, sen_status="ehcp").order_by("id").first()
    )
    if provider is None or therapist is None or setting is None or child is None:
        raise ValueError(f"{local_area} has no NHS trust, OT, primary school or child with a plan for the demo sign-ins")
    people: list[tuple[str, Role, str, str, dict[str, Any], str]] = [
        ("officer", Role.COUNCIL_OFFICER, "Priya", "Shah", {}, "sees every child in the area"),
        ("commissioner", Role.COMMISSIONER, "Tom", "Okafor", {}, "aggregate figures only"),
        ("manager", Role.SERVICE_MANAGER, "Helen", "Marsh", {"provider": provider}, f"manages {provider.name}"),
        ("therapist", Role.THERAPIST, therapist.first_name, therapist.last_name, {"therapist": therapist},
         f"occupational therapist {therapist.full_name}"),
        ("senco", Role.SENCO, "Grace", "Adeyemi", {"setting": setting}, f"SENCO at {setting.name}"),
        ("parent", Role.PARENT, "Sam", child.last_name, {}, f"parent of {child.first_name} {child.last_name}"),
        ("admin", Role.ADMIN, "Alex", "Admin", {}, "system administrator (no child data)"),
    ]
    sign_ins = []
    officer = None
    for username, role, first, last, links, note in people:
        user = User(
            username=f"{username}{suffix}", first_name=first, last_name=last, role=role,
            local_area=local_area, email=f"{username}@example.com", **links,
        )
        if role == Role.ADMIN:
            user.is_staff = True  # signs in to the admin, which holds no child data; not a superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role == Role.ADMIN:
            user.user_permissions.set(administrator_permissions())
        if role == Role.PARENT:
            FamilyLink.objects.create(user=user, child=child, starts_on=today - dt.timedelta(days=400))
        if role == Role.COUNCIL_OFFICER:
            officer = user
        sign_ins.append(DemoSignIn(user.username, role.label, note))
    RecordedException.objects.bulk_create([RecordedException(**row, recorded_by=officer) for row in exceptions])
    return sign_ins


def demo_sign_ins() -> list[DemoSignIn]:
    return [
        DemoSignIn(u.username, u.get_role_display(), "")
        for u in User.objects.filter(email__endswith="@example.com").order_by("id")
    ]
