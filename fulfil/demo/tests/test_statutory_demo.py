"""The demo's EHC needs assessments, advice requests, exceptions and annual reviews: figures in the
range councils report (seed 003, Sutton's SEN2 for 2024), open work some of it overdue, and every
row consistent with the statutory clocks. Ranges are wide: a small area has small samples."""

from __future__ import annotations

import datetime as dt
import filecmp
from collections import defaultdict
from pathlib import Path

import pytest

from fulfil.demo.records import AreaSpec
from fulfil.demo.services import demo_areas_generate
from fulfil.demo.tests.test_generator import TODAY, read, small_area
from fulfil.plans.clocks import (
    AdviceRequest,
    ClockException,
    ClockKind,
    ClockState,
    ExceptionKind,
    RequestOutcome,
    allowed_exceptions,
    annual_review_due_date,
    annual_review_timeline,
    clock_status,
    ehcna_timeline,
    representation_period_ends_on,
)
from fulfil.plans.sen2 import AnnualReviewRecord, RequestRecord, sen2_figures

LAST_YEAR = TODAY.year - 1
THERAPIES = {"salt", "ot", "physio"}


def area() -> AreaSpec:
    # About a third of Sutton: some 200 requests a year.
    return AreaSpec("Statshire (demo)", 887, "E99000887", "Test", children_with_plans=800, sen_support_children=270)


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict[str, list[dict]]:
    out: Path = tmp_path_factory.mktemp("statutory")
    demo_areas_generate(specs=[area()], seed=11, today=TODAY, output=out)
    tables = ["plans_assessmentrequest", "plans_advicerequest", "plans_annualreview", "plans_plan", "plans_planversion",
              "children_child", "workforce_therapist"]
    return {table: read(out, table) for table in tables}


def request_records(rows) -> list[RequestRecord]:
    return [
        RequestRecord(received_on=day(r["received_on"]), decided_on=day(r["decided_on"]),
                      decision=RequestOutcome(r["outcome"]) if r["outcome"] else None, plan_issued_on=day(r["final_plan_on"]),
                      decision_not_to_issue_on=day(r["decision_not_to_issue_on"]), reference=r["reference"])
        for r in rows["plans_assessmentrequest"]
    ]


def review_records(rows) -> list[AnnualReviewRecord]:
    return [AnnualReviewRecord(day(r["meeting_on"]), day(r["decision_on"]), r["reference"])
            for r in rows["plans_annualreview"] if r["meeting_on"]]


def test_the_last_complete_year_looks_like_a_councils_sen2_return(rows):
    figures = sen2_figures(request_records(rows), review_records(rows), LAST_YEAR, as_of=TODAY)
    # Sutton-sized areas get about 600 requests a year; this one is under a third of that size.
    assert 100 <= figures.requests <= 320
    assert 85 <= figures.pct_decided_within_6_weeks <= 100
    assert 25 <= figures.pct_not_assessed <= 45
    assert figures.plans_issued >= 50
    assert 55 <= figures.pct_issued_within_20_weeks <= 90
    assert figures.decisions_not_to_issue >= 1 and figures.pct_not_issued <= 15
    assert figures.annual_reviews >= 400
    assert 65 <= figures.annual_review_pct_decision_within_4_weeks <= 95
    # The current year has figures too.
    current = sen2_figures(request_records(rows), review_records(rows), TODAY.year, as_of=TODAY)
    assert current.requests >= 100 and current.plans_issued >= 40 and current.annual_reviews >= 400


def test_therapy_advice_is_mostly_on_time_and_educational_psychology_is_later(rows):
    on_time, due = defaultdict(int), defaultdict(int)
    for advice in rows["plans_advicerequest"]:
        status = clock_status(ClockKind.ADVICE, day(advice["requested_on"]), day(advice["provided_on"]), TODAY)
        if status.state != ClockState.OPEN and status.due_on.year == LAST_YEAR:
            due[advice["service"]] += 1
            on_time[advice["service"]] += status.on_time
    therapy_rate = sum(on_time[s] for s in THERAPIES) / sum(due[s] for s in THERAPIES)
    assert therapy_rate >= 0.8
    assert on_time["salt"] / due["salt"] >= 0.85
    assert on_time["ep"] / due["ep"] < therapy_rate
    assert set(due) == THERAPIES | {"ep", "health", "social_care"}


def test_late_plans_are_mostly_late_because_advice_was_late(rows):
    advice = defaultdict(list)
    for item in rows["plans_advicerequest"]:
        advice[item["assessment_id"]].append(item)
    late = late_advice = 0
    for request in rows["plans_assessmentrequest"]:
        final = day(request["final_plan_on"])
        if final is None or clock_status(ClockKind.FINAL_PLAN, day(request["received_on"]), final, TODAY).on_time:
            continue
        late += 1
        late_advice += any(clock_status(ClockKind.ADVICE, day(a["requested_on"]), day(a["provided_on"]), TODAY).is_late
                           for a in advice[request["id"]])
    assert late >= 10
    assert late_advice / late >= 0.5


def test_recent_work_is_open_and_some_of_it_is_overdue(rows):
    requests = rows["plans_assessmentrequest"]
    undecided = [r for r in requests if not r["decided_on"]]
    assessing = [r for r in requests if r["outcome"] == "assess" and not r["final_plan_on"] and not r["decision_not_to_issue_on"]]
    assert undecided and assessing
    assert all(day(r["received_on"]) >= TODAY - dt.timedelta(weeks=12) for r in undecided)
    open_advice = [a for a in rows["plans_advicerequest"] if not a["provided_on"]]
    states = [clock_status(ClockKind.ADVICE, day(a["requested_on"]), None, TODAY).state for a in open_advice]
    assert states.count(ClockState.OPEN) >= 10
    assert states.count(ClockState.OVERDUE) >= 1
    overdue_reviews = [r for r in rows["plans_annualreview"]
                       if not r["decision_on"] and annual_review_due_date(day(r["period_starts_on"])) < TODAY]
    assert overdue_reviews
    assert any(not r["meeting_on"] for r in overdue_reviews)  # some reviews have had no meeting yet


def test_every_request_is_consistent_with_its_clocks(rows):
    advice = defaultdict(list)
    for item in rows["plans_advicerequest"]:
        advice[item["assessment_id"]].append(item)
    therapists = {t["id"]: t for t in rows["workforce_therapist"]}
    for request in rows["plans_assessmentrequest"]:
        received, decided = day(request["received_on"]), day(request["decided_on"])
        dates = [day(request[f]) for f in ("decided_on", "draft_sent_on", "final_plan_on", "decision_not_to_issue_on")]
        assert all(received <= d < TODAY for d in dates if d), request
        if request["final_plan_on"]:
            assert day(request["final_plan_on"]) > representation_period_ends_on(day(request["draft_sent_on"])), request
        items = advice[request["id"]]
        if request["outcome"] != "assess":
            assert not items and not request["draft_sent_on"], request
        for item in items:
            requested, provided = day(item["requested_on"]), day(item["provided_on"])
            assert decided < requested < TODAY and (provided is None or requested <= provided < TODAY), item
            assert bool(item["written_by_id"]) == bool(provided and item["therapist_id"]), item
            assert bool(item["summary"]) == bool(provided), item
            if item["service"] in THERAPIES:
                assert item["provider_id"], item
                if item["therapist_id"]:
                    assert therapists[item["therapist_id"]]["discipline"] == item["service"], item
            if request["draft_sent_on"] or request["decision_not_to_issue_on"]:
                assert provided is not None and provided <= (day(request["draft_sent_on"]) or day(request["decision_not_to_issue_on"]))
        # The pure clocks accept the case as recorded (they refuse a step before its start).
        outcome = RequestOutcome(request["outcome"]) if request["outcome"] else None
        ehcna_timeline(received, today=TODAY, decided_on=decided, outcome=outcome,
                       advice=[AdviceRequest(a["service"], day(a["requested_on"]), day(a["provided_on"])) for a in items],
                       final_plan_on=day(request["final_plan_on"]), decision_not_to_issue_on=day(request["decision_not_to_issue_on"]))


def test_a_request_that_led_to_a_plan_ends_on_the_day_the_plan_was_first_issued(rows):
    plans = {p["child_id"]: p for p in rows["plans_plan"]}
    children = {c["id"]: c for c in rows["children_child"]}
    issued = [r for r in rows["plans_assessmentrequest"] if r["final_plan_on"]]
    assert issued
    for request in issued:
        assert plans[request["child_id"]]["first_issued_on"] == request["final_plan_on"], request
    for request in rows["plans_assessmentrequest"]:
        if not request["final_plan_on"]:
            assert children[request["child_id"]]["sen_status"] == "sen_support", request
    # Most recent plans came from an assessment here; some children moved in with a plan.
    window_start = min(day(r["received_on"]) for r in rows["plans_assessmentrequest"])
    recent = [p for p in rows["plans_plan"] if day(p["first_issued_on"]) >= window_start + dt.timedelta(weeks=30)]
    matched = {r["child_id"] for r in issued}
    assert 0.6 <= sum(p["child_id"] in matched for p in recent) / len(recent) <= 0.95


def test_reviews_run_a_year_from_the_last_decision_and_amended_plans_are_plan_versions(rows):
    by_plan = defaultdict(list)
    for review in rows["plans_annualreview"]:
        by_plan[review["plan_id"]].append(review)
    versions = defaultdict(set)
    for version in rows["plans_planversion"]:
        if version["reason"] == "annual_review":
            versions[version["plan_id"]].add(version["issued_on"])
    plans = {p["id"]: p for p in rows["plans_plan"]}
    assert set(by_plan) == set(plans)  # every plan has its current review
    amended = 0
    for plan_id, reviews in by_plan.items():
        reviews.sort(key=lambda r: r["period_starts_on"])
        assert sum(1 for r in reviews if not r["decision_on"]) == 1  # exactly one review open
        for previous, review in zip(reviews, reviews[1:], strict=False):
            assert review["period_starts_on"] == previous["decision_on"]
        assert reviews[0]["period_starts_on"] >= plans[plan_id]["first_issued_on"]
        for review in reviews:
            meeting = day(review["meeting_on"])
            if meeting:
                assert day(review["period_starts_on"]) < meeting < TODAY
            annual_review_timeline(day(review["period_starts_on"]), today=TODAY, meeting_on=meeting, report_on=day(review["report_on"]),
                                   decision_on=day(review["decision_on"]), amendment_notice_on=day(review["amendment_notice_on"]),
                                   amended_plan_on=day(review["amended_plan_on"]))
            if review["amended_plan_on"]:
                amended += 1
                assert review["amended_plan_on"] in versions[plan_id]
                assert day(review["amendment_notice_on"]) <= day(review["amended_plan_on"])
    assert amended >= 100


def test_the_same_seed_and_date_give_the_same_statutory_rows(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        demo_areas_generate(specs=[small_area()], seed=5, today=TODAY, output=out)
    for table in ["plans_assessmentrequest", "plans_advicerequest", "plans_annualreview", "plans_planversion"]:
        assert filecmp.cmp(first / f"{table}.csv", second / f"{table}.csv", shallow=False), table


@pytest.mark.django_db(transaction=True)
def test_exceptions_are_recorded_by_the_council_and_the_demo_therapist_has_advice_to_write():
    from fulfil.accounts.models import User
    from fulfil.plans.models import AdviceRequest as AdviceRow
    from fulfil.plans.models import RecordedException
    from fulfil.plans.timeliness import advice_due

    result = demo_areas_generate(specs=[area()], seed=11, today=TODAY)
    exceptions = list(RecordedException.objects.select_related("assessment", "advice_request", "recorded_by"))
    assert exceptions and len(exceptions) == result.stats[0].exceptions
    officer = User.objects.get(username="officer-887")
    for row in exceptions:
        assert row.recorded_by == officer and row.reason
        kind = ExceptionKind(row.kind)
        # The kinds `fulfil.plans.services.exception_record` accepts: on one advice request, those
        # the advice clock allows; on the whole case, those the 20-week clock allows.
        clock = ClockKind.ADVICE if row.advice_request else ClockKind.FINAL_PLAN
        assert kind in allowed_exceptions(clock), row
        ClockException(kind, row.reason, row.starts_on, row.ends_on)  # well formed (an absence lasts 4 weeks or more)
        assert row.starts_on >= row.assessment.received_on and row.starts_on < TODAY
        if row.advice_request:
            assert row.advice_request.assessment_id == row.assessment_id
            status = clock_status(ClockKind.ADVICE, row.advice_request.requested_on, row.advice_request.provided_on, TODAY, [
                ClockException(kind, row.reason, row.starts_on, row.ends_on)])
            assert status.exceptions and status.state != ClockState.MET  # it explains a late step
    # The demo therapist writes advice for the schools they cover, and their page (open advice for
    # their service and discipline) has some to write. Which of it is their own depends on the
    # schools they cover: in this small area their team has only a few open at a time.
    therapist = User.objects.get(username="therapist-887")
    assert AdviceRow.objects.filter(therapist=therapist.therapist, provided_on__isnull=False).exists()
    due = advice_due(therapist, today=TODAY)
    listed = [advice for advice, _status in due.overdue + due.this_week + due.later]
    assert listed and all(a.service == "ot" and a.provided_on is None for a in listed)
    own_open = AdviceRow.objects.filter(therapist=therapist.therapist, provided_on__isnull=True).values_list("pk", flat=True)
    assert set(own_open) <= {a.pk for a in listed}
