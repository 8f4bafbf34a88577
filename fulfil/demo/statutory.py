"""The demo area's statutory processes: EHC needs assessments, advice requests, recorded
exceptions and annual reviews, with the lateness real councils report.

The shape follows Sutton's SEN2 briefing for calendar year 2024 (seed 003): about 600 requests a
year, 95.8% decided within 6 weeks, 36.4% not assessed, 7.3% of assessments ending in a decision
not to issue, 76.5% of plans issued within 20 weeks, late plans mostly (68%) because professional
advice was late, and 82.3% of annual review decisions within 4 weeks of the meeting. Children's
Therapies met the 6-week advice deadline 89-100% a quarter (Q4 2024/25); social care 79% (2025/26);
educational psychology is later more often. Occupational therapy advice is late more often during
the OT shortage the generator already tells (seed 004: `squeeze_from` to `squeeze_to`).

How the rows are made:
- Every date is simulated forward from the request, step by step, and only what happened before
  `today` is written: later steps are left empty, so recent requests are undecided, assessing or
  waiting for a plan, and some of those are overdue. Due dates are never written; the pages work
  them out with `fulfil.plans.clocks`.
- A child whose plan was first issued inside the window has the request that led to it, with
  `final_plan_on` equal to the plan's first issue date (the simulation is shifted by whole weeks
  until it ends on that day). About one recent plan in five has none: the child moved in with a
  plan from another council (SEN2 leaves those out of the 20-week figure too).
- Requests that end without a plan (refused, withdrawn, decision not to issue) or are still in
  progress belong to SEN-support children. Their number is set from the expected number of plans,
  so the outcome shares above hold whatever the area's size.
- Annual reviews run in a chain from the plan's first issue: each review's 12 months start on the
  day the previous decision was notified. An amended plan from a review is also the plan's next
  version, so the reviews and the plan's versions agree. Reviews are written from 1 January of the
  last complete year (meetings before then are history the pages do not use), plus each plan's
  review still open today.
- Recorded exceptions follow what `fulfil.plans.services.exception_record` accepts: on the whole
  case, the kinds the 20-week clock allows (absence from the area, personal circumstances); on one
  advice request, the kind the advice clock allows that a generator can date (a missed appointment).
  School closures are not generated: the model keeps no date of the request to the school, and a
  closure is only valid with one. Exceptions need a user to have recorded them and the generator
  makes no users, so their rows are handed to `demo_users_create`, which records them as the
  council's SEND officer; an area generated without users (the national CSV set) has none.

Random numbers come from two streams of its own, one for assessments and one for reviews, so the
assessment rules can change without moving any other table (the review chain gives each plan its
versions, so it feeds the provision lines). Nothing is held per child: rows stream to the sink as
each child is generated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass, field

from fulfil.demo.records import Area
from fulfil.plans.clocks import ExceptionKind, annual_review_due_date

# Shares from seed 003 (Sutton, 2024) unless said otherwise.
WITHDRAWN = 0.02  # withdrawn before a decision: not published, "a few"
NOT_ASSESSED = 0.364  # decisions not to assess / decisions made
DECISION_LATE = 0.045  # 95.8% decided within 6 weeks
NOT_ISSUED = 0.073  # decisions not to issue / assessments finished
TRANSFERRED_IN = 0.2  # recent plans with no request here: moved in with a plan
PLAN_PATH = (1 - WITHDRAWN) * (1 - NOT_ASSESSED) * (1 - NOT_ISSUED)
# Advice within 6 weeks, by service. Therapies 89-100% a quarter; social care 79% (seed 003);
# educational psychology and health lower (the late-advice share of late plans is 68%).
ADVICE_ON_TIME = {"salt": 0.965, "ot": 0.95, "physio": 0.965, "ep": 0.70, "health": 0.87, "social_care": 0.79}
SENT_IN_LAST_WEEK = 0.45  # of advice sent on time
OT_ON_TIME_IN_SHORTAGE = 0.66
OT_ON_TIME_SINCE = 0.85  # after the shortage the vacant OT post is still unfilled
CASEWORK_DELAY = 0.09  # the draft waits on the council's caseworkers (22% of Sutton's late plans)
REVIEW_DECISION_ON_TIME = 0.82  # 82.3% decided within 4 weeks of the meeting
REVIEW_AMENDED = 0.45
REVIEW_MEETING_SLIPS = 0.035  # meetings recorded for 97.8% of reviews
# Therapy advice asked for a child on SEN support, by primary need, besides their known therapy.
ADVICE_THERAPIES_BY_NEED: dict[str, dict[str, float]] = {
    "ASD": {"salt": 0.8, "ot": 0.55}, "SLCN": {"salt": 1.0}, "PD": {"physio": 0.9, "ot": 0.6},
    "SPLD": {"ot": 0.3}, "SEMH": {"salt": 0.3, "ot": 0.15}, "MLD": {"salt": 0.5, "ot": 0.25},
}
THERAPIES = ("salt", "ot", "physio")
TYPICAL_DAYS_TO_PLAN = 126

SUMMARIES: dict[str, list[str]] = {
    "salt": [
        "Assessed understanding and use of language in class and one to one; recommends direct therapy and a classroom language programme.",
        "Assessed speech sounds and social communication; recommends a programme delivered by a trained teaching assistant with termly review.",
        "Observed communication at school and met the family; recommends visual supports and weekly small-group language work.",
    ],
    "ot": [
        "Observed fine motor skills and sensory needs in class; recommends a sensory diet and a handwriting programme.",
        "Assessed self-care and motor coordination; recommends equipment for seating and a daily motor skills programme.",
        "Assessed sensory processing at school and at home; recommends movement breaks and adjustments to the classroom.",
    ],
    "physio": [
        "Assessed gross motor skills and mobility; recommends a daily stretching programme and a termly review of equipment.",
        "Assessed posture and walking; recommends a standing frame at school and a physiotherapy programme for staff to follow.",
    ],
    "ep": [
        "Assessed learning and cognition with school staff and the family; sets out needs and outcomes for the plan.",
        "Consultation with school staff and parents and direct work with the child; describes learning needs and strategies.",
    ],
    "health": [
        "Paediatric review of medical history, diagnoses and current health needs.",
        "Community paediatric and nursing advice on health needs during the school day.",
    ],
    "social_care": [
        "Not known to children's social care; no social care needs identified.",
        "Known to the disabled children's team; short breaks in place.",
        "Early help assessment completed; family support offered.",
    ],
}
ABSENCE_REASONS = [
    "The family were abroad visiting relatives; the child could not be seen until they came back.",
    "The child was staying with grandparents outside the area while a parent was in hospital.",
]
CIRCUMSTANCE_REASONS = [
    "A bereavement in the family; the parent asked for appointments to wait.",
    "The child was in hospital for surgery and then recovering at home.",
]
MISSED_APPOINTMENT_REASON = "The child was not brought to the assessment appointment; a second appointment was offered."


def _earlier_weekday(day: dt.date) -> dt.date:
    """A working day on or just before `day` (Saturday and Sunday go back to Friday)."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _later_weekday(day: dt.date) -> dt.date:
    """A working day on or just after `day` (Saturday and Sunday go on to Monday)."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _days(n: float) -> dt.timedelta:
    return dt.timedelta(days=int(n))


@dataclass
class CaseException:
    kind: ExceptionKind
    reason: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass
class Advice:
    service: str
    requested_on: dt.date
    provided_on: dt.date | None
    exception: CaseException | None = None


@dataclass
class Case:
    """One request for an EHC needs assessment, every step dated as it would happen."""

    received_on: dt.date
    decided_on: dt.date | None = None
    outcome: str = ""
    advice: list[Advice] = field(default_factory=list)
    draft_sent_on: dt.date | None = None
    final_plan_on: dt.date | None = None
    decision_not_to_issue_on: dt.date | None = None
    exception: CaseException | None = None

    @property
    def closed_on(self) -> dt.date | None:
        """The day the request ended (decision not to assess, withdrawal, plan or refusal to issue)."""
        if self.outcome in ("not_assess", "withdrawn"):
            return self.decided_on
        return self.final_plan_on or self.decision_not_to_issue_on


@dataclass
class Review:
    period_starts_on: dt.date
    meeting_on: dt.date | None
    report_on: dt.date | None
    decision_on: dt.date | None
    amendment_notice_on: dt.date | None
    amended_plan_on: dt.date | None


class StatutoryGenerator:
    """Assessment requests, advice, exceptions and reviews for one area, as its children stream by."""

    def __init__(self, area: Area, seed: int) -> None:
        self.area = area
        # Streams of its own (not for security), see the module docstring.
        self.rng = random.Random(f"{seed}-{area.spec.la_number}-assessments")  # nosec B311
        self.review_rng = random.Random(f"{seed}-{area.spec.la_number}-reviews")  # nosec B311
        self.today = area.today
        # From 1 July of the year before the last complete calendar year (so that year's plans
        # have their requests) or 18 months back, whichever is earlier.
        self.window_start = min(dt.date(self.today.year - 2, 7, 1), self.today - dt.timedelta(days=548))
        # Reviews from 1 January of the last complete year (SEN2 counts them by meeting year).
        self.reviews_from = min(dt.date(self.today.year - 1, 1, 1), self.today - dt.timedelta(days=548))
        self.support_mean = 0.0
        self.exceptions: list[dict] = []
        self.keep_exceptions = area.spec.with_users

    # -- how many requests -------------------------------------------------------------

    def prepare(self, children_by_setting: dict) -> None:
        """Set how many requests SEN-support children make, and when, from the plans the area is
        expected to issue: all requests arrive at the rate that, after refusals, withdrawals and
        decisions not to issue, gives the plans `AreaGenerator._plan` will date (younger children's
        plans are all recent, so the rate rises towards today). Kept as the cumulative expected
        requests for each day of the window: under a thousand floats per area."""
        today = self.today
        by_oldest: dict[int, int] = {}
        support = 0
        for children in children_by_setting.values():
            for plan in children:
                if plan["status"] != "ehcp":
                    support += 1
                    continue
                oldest = self.area.plan_age_days(plan["age"])[1]
                by_oldest[oldest] = by_oldest.get(oldest, 0) + 1
        newest = self.area.PLAN_NEWEST_DAYS
        per_plan = (1 - TRANSFERRED_IN) / PLAN_PATH
        self.cumulative: list[float] = []
        total = 0.0
        for day in range((today - self.window_start).days):
            # Plans issued this many days ago come from requests received about 18 weeks earlier.
            ago = max(newest, (today - self.window_start).days - day - TYPICAL_DAYS_TO_PLAN)
            total += per_plan * sum(n / (oldest - newest + 1) for oldest, n in by_oldest.items() if oldest >= ago)
            self.cumulative.append(total)
        self.support_mean = total / support if support else 0.0

    def _received_on(self, share: float) -> dt.date:
        """The day by which `share` of the window's expected requests have arrived."""
        day = bisect.bisect_left(self.cumulative, share * self.cumulative[-1])
        return self.window_start + dt.timedelta(days=min(day, len(self.cumulative) - 1))

    # -- annual reviews ------------------------------------------------------------------

    def review_chain(self, first_issued: dt.date) -> list[Review]:
        """Every review of a plan from its first issue to the one still open today, with dates
        after today left empty (the chain stops at the first review not yet decided)."""
        rng, today = self.review_rng, self.today

        def known(day: dt.date | None) -> dt.date | None:
            return day if day is not None and day < today else None

        reviews: list[Review] = []
        starts = first_issued
        while True:
            due = annual_review_due_date(starts)
            if rng.random() < REVIEW_MEETING_SLIPS:
                meeting = _later_weekday(due + _days(rng.randint(5, 120)))
            else:
                meeting = _earlier_weekday(due - _days(rng.randint(10, 56)))
            report = meeting + _days(rng.randint(2, 14) if rng.random() < 0.9 else rng.randint(15, 35))
            if rng.random() < REVIEW_DECISION_ON_TIME:
                decision = _earlier_weekday(meeting + _days(rng.randint(5, 28)))
            else:
                decision = _later_weekday(meeting + _days(rng.randint(29, 80)))
            notice = amended = None
            if rng.random() < REVIEW_AMENDED:
                notice = decision  # the proposed amendments go with the decision to amend
                amended = (_earlier_weekday(notice + _days(rng.randint(21, 56))) if rng.random() < 0.82
                           else _later_weekday(notice + _days(rng.randint(57, 110))))
            held = known(meeting)
            decided = known(decision) if held else None
            reviews.append(Review(
                period_starts_on=starts, meeting_on=held, report_on=known(report) if held else None, decision_on=decided,
                amendment_notice_on=known(notice) if decided else None,
                amended_plan_on=known(amended) if decided and notice else None,
            ))
            if decided is None:
                return reviews
            starts = decided

    def emit_reviews(self, plan_id: int, reviews: list[Review]) -> None:
        area = self.area
        for review in reviews:
            if review.meeting_on is not None and review.meeting_on < self.reviews_from and review.decision_on is not None:
                continue  # before the generated history
            rid = area.ids("plans_annualreview")
            area.emit("plans_annualreview", area.stamp({
                "id": rid, "local_area_id": area.area_id, "plan_id": plan_id,
                "reference": f"AR-{area.spec.la_number}-{rid:07d}", "period_starts_on": review.period_starts_on,
                "meeting_on": review.meeting_on, "report_on": review.report_on, "decision_on": review.decision_on,
                "amendment_notice_on": review.amendment_notice_on, "amended_plan_on": review.amended_plan_on,
            }))

    # -- assessments -----------------------------------------------------------------------

    def child(self, child: dict, setting: dict | None, plan: dict, disciplines: dict[str, str]) -> None:
        """The requests for one child: the one that led to a recent plan, or for a child on SEN
        support, requests refused, withdrawn, not ending in a plan, or still in progress."""
        rng = self.rng
        if plan["status"] == "ehcp":
            issued = child.get("_plan_issued")
            if issued is None or issued < self.window_start or rng.random() < TRANSFERRED_IN:
                return
            services = self._services(plan, disciplines)
            case = self._case_ending_on(issued, services, rng.getrandbits(64))
            if case is not None and case.received_on >= self.window_start:
                self._emit(case, child, setting)
            return
        count = self._poisson(self.support_mean)
        if not count:
            return
        # One request in each equal share of the window's requests, so a child's rarely overlap.
        busy_until = dt.date.min
        for n in range(count):
            received = _later_weekday(self._received_on((n + rng.random()) / count))
            if received >= self.today:
                continue
            path = self._path()
            services = self._services(plan, disciplines)
            case = self._simulate(received, path, services, random.Random(rng.getrandbits(64)))  # nosec B311
            if path == "plan" and case.final_plan_on is not None and case.final_plan_on < self.today:
                continue  # it would have ended in a plan by now: such requests belong to children with plans
            if received <= busy_until + dt.timedelta(days=56):
                continue  # a new request comes only some weeks after the last one ended
            case = self._as_of_today(case)
            self._emit(case, child, setting)
            closed = case.closed_on
            if closed is None:
                return  # still open: nothing newer
            busy_until = closed

    def _poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def _path(self) -> str:
        rng = self.rng
        if rng.random() < WITHDRAWN:
            return "withdrawn"
        if rng.random() < NOT_ASSESSED:
            return "not_assess"
        return "not_issue" if rng.random() < NOT_ISSUED else "plan"

    def _services(self, plan: dict, disciplines: dict[str, str]) -> list[str]:
        """Educational psychology, health and social care always (reg 6(1)); the therapies the
        child is known to need, and for a child on SEN support those their need suggests."""
        therapies = set(disciplines)
        if plan["status"] != "ehcp":
            for discipline, chance in ADVICE_THERAPIES_BY_NEED.get(plan["need"], {}).items():
                if self.rng.random() < chance:
                    therapies.add(discipline)
        return ["ep", "health", "social_care", *(d for d in THERAPIES if d in therapies)]

    def _case_ending_on(self, final: dt.date, services: list[str], seed: int) -> Case | None:
        """A case whose plan was issued on `final`: simulate, then move the request by whole weeks
        (keeping weekdays) until the simulated plan falls in the week before `final`."""
        received = _later_weekday(final - dt.timedelta(days=TYPICAL_DAYS_TO_PLAN))
        for _ in range(6):
            case = self._simulate(received, "plan", services, random.Random(seed))  # nosec B311
            gap = (final - (case.final_plan_on or final)).days
            if 0 <= gap <= 6:
                case.final_plan_on = final
                return case
            received += dt.timedelta(days=7 * (gap // 7))
        return None

    def _simulate(self, received: dt.date, path: str, services: list[str], rng: random.Random) -> Case:
        """Every step of a request from the day it was received, whether or not it has happened yet."""
        case = Case(received_on=received)
        if path == "withdrawn":
            case.decided_on, case.outcome = _later_weekday(received + _days(rng.randint(5, 38))), "withdrawn"
            return case
        if rng.random() < DECISION_LATE:
            case.decided_on = _later_weekday(received + _days(rng.randint(43, 66)))
        else:
            case.decided_on = _earlier_weekday(received + _days(rng.triangular(16, 42, 38)))
        if path == "not_assess":
            case.outcome = "not_assess"
            return case
        case.outcome = "assess"
        requested = _later_weekday(case.decided_on + _days(rng.randint(1, 5)))
        # Something in the family's life that stops the child being seen (reg 8(2), 10(4)).
        away_until = None
        roll = rng.random()
        if roll < 0.011:
            starts = requested + _days(rng.randint(3, 20))
            case.exception = CaseException(ExceptionKind.ABSENT_FROM_AREA, rng.choice(ABSENCE_REASONS), starts,
                                           starts + _days(rng.randint(27, 55)))
        elif roll < 0.016:
            starts = requested + _days(rng.randint(0, 14))
            case.exception = CaseException(ExceptionKind.PERSONAL_CIRCUMSTANCES, rng.choice(CIRCUMSTANCE_REASONS), starts,
                                           starts + _days(rng.randint(21, 45)))
        if case.exception is not None:
            away_until = case.exception.ends_on
        due = requested + dt.timedelta(weeks=6)
        for service in services:
            on_time = ADVICE_ON_TIME[service]
            if service == "ot" and requested >= self.area.squeeze_from:
                on_time = OT_ON_TIME_IN_SHORTAGE if requested <= self.area.squeeze_to else OT_ON_TIME_SINCE
            exception = None
            sees_child = service != "social_care"
            roll = rng.random()
            if sees_child and away_until is not None:
                provided = _later_weekday(away_until + _days(rng.randint(5, 20)))
            elif sees_child and roll < 0.006:
                appointment = _later_weekday(requested + _days(rng.randint(10, 30)))
                exception = CaseException(ExceptionKind.MISSED_APPOINTMENT, MISSED_APPOINTMENT_REASON, appointment, appointment)
                provided = _later_weekday(max(appointment + _days(rng.randint(21, 35)), due + _days(rng.randint(1, 10))))
            elif service in ("health", "social_care") and roll < 0.005:
                # A service with no records of a child new to the area, asking the last area
                # for them: late, and the 2014 regulations give it no exception (reg 8(2)), so
                # none is recorded.
                ends = requested + _days(rng.randint(30, 50))
                provided = _later_weekday(max(ends, due) + _days(rng.randint(2, 10)))
            elif rng.random() < on_time:
                # Services work to the deadline: nearly half is sent in the last week, most of
                # that in its last days.
                days = rng.triangular(35, 43, 43) if rng.random() < SENT_IN_LAST_WEEK else rng.triangular(14, 35, 30)
                provided = _earlier_weekday(requested + _days(days))
            else:
                provided = _later_weekday(due + _days(1 + min(70, rng.expovariate(1 / 22))))
            case.advice.append(Advice(service, requested, provided, exception))
        last = max(a.provided_on for a in case.advice if a.provided_on is not None)
        if path == "not_issue":
            case.decision_not_to_issue_on = _later_weekday(last + _days(rng.randint(5, 25)))
            return case
        delay = rng.randint(30, 75) if rng.random() < CASEWORK_DELAY else rng.randint(5, 16)
        case.draft_sent_on = _later_weekday(last + _days(delay))
        case.final_plan_on = _later_weekday(case.draft_sent_on + _days(rng.randint(15, 26)))
        return case

    def _as_of_today(self, case: Case) -> Case:
        """The case as recorded this morning: steps dated today or later have not happened."""
        today = self.today

        def known(day: dt.date | None) -> dt.date | None:
            return day if day is not None and day < today else None

        decided = known(case.decided_on)
        if decided is None:
            return Case(received_on=case.received_on)
        advice = []
        for item in case.advice:
            if item.requested_on >= today:
                continue
            exception = item.exception if item.exception and item.exception.starts_on < today else None
            advice.append(Advice(item.service, item.requested_on, known(item.provided_on), exception))
        exception = case.exception if case.exception and case.exception.starts_on < today and advice else None
        return Case(
            received_on=case.received_on, decided_on=decided, outcome=case.outcome, advice=advice,
            draft_sent_on=known(case.draft_sent_on), final_plan_on=known(case.final_plan_on),
            decision_not_to_issue_on=known(case.decision_not_to_issue_on), exception=exception,
        )

    # -- rows --------------------------------------------------------------------------------

    def _emit(self, case: Case, child: dict, setting: dict | None) -> None:
        area, rng = self.area, self.rng
        aid = area.ids("plans_assessmentrequest")
        area.emit("plans_assessmentrequest", area.stamp({
            "id": aid, "local_area_id": area.area_id, "child_id": child["id"],
            "reference": f"EHCNA-{area.spec.la_number}-{aid:06d}", "received_on": case.received_on,
            "decided_on": case.decided_on, "outcome": case.outcome, "draft_sent_on": case.draft_sent_on,
            "final_plan_on": case.final_plan_on, "decision_not_to_issue_on": case.decision_not_to_issue_on,
        }))
        if case.exception is not None:
            self._exception(aid, None, case.exception)
        for item in case.advice:
            therapist = provider_id = None
            if item.service in THERAPIES:
                therapist = self._therapist(child, setting, item.service, item.requested_on)
                provider_id = therapist["provider_id"] if therapist else area.providers["nhs"]
                if item.provided_on is None and (self.today - item.requested_on).days < 7 and rng.random() < 0.3:
                    therapist = None  # arrived this week, not yet allocated
            elif item.service == "health":
                provider_id = area.providers["nhs"]  # community paediatrics, in the community health trust
            vid = area.ids("plans_advicerequest")
            area.emit("plans_advicerequest", area.stamp({
                "id": vid, "local_area_id": area.area_id, "assessment_id": aid, "service": item.service,
                "provider_id": provider_id, "therapist_id": therapist["id"] if therapist else None,
                "requested_on": item.requested_on, "provided_on": item.provided_on,
                "written_by_id": therapist["id"] if therapist and item.provided_on else None,
                "summary": rng.choice(SUMMARIES[item.service]) if item.provided_on else "",
            }))
            if item.exception is not None:
                self._exception(aid, vid, item.exception)

    def _exception(self, assessment_id: int, advice_id: int | None, exception: CaseException) -> None:
        self.area.stats.exceptions += 1
        if self.keep_exceptions:
            self.exceptions.append({
                "local_area_id": self.area.area_id, "assessment_id": assessment_id, "advice_request_id": advice_id,
                "kind": exception.kind.value, "reason": exception.reason,
                "starts_on": exception.starts_on, "ends_on": exception.ends_on,
            })

    def _therapist(self, child: dict, setting: dict | None, discipline: str, requested_on: dt.date) -> dict | None:
        """The therapist who covers the child's setting writes the advice; while an OT was on leave
        or after one left, a colleague does (as with their caseload)."""
        area = self.area
        if setting is not None:
            options = area.cover.get((setting["id"], discipline)) or []
        else:
            options = [t for t in area.therapists[discipline] if t is not area.ot_left]
        if not options:
            return None
        therapist = options[self.rng.randrange(len(options))]
        six_weeks = dt.timedelta(weeks=6)
        gone = (therapist is area.ot_left and requested_on + six_weeks >= area.squeeze_from) or (
            therapist is area.ot_on_leave and area.squeeze_from - six_weeks <= requested_on <= area.squeeze_to)
        if gone:
            cover = [t for t in area.therapists["ot"] if t is not area.ot_left and t is not area.ot_on_leave]
            therapist = cover[child["id"] % len(cover)]
        return therapist
