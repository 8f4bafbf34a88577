"""The synthetic local area: settings, children, plans, therapists and their sessions.

Deterministic for a given seed and `today`. It streams: an area is generated one setting at a
time and rows go straight to a sink (the database, or CSV files for the national benchmark
set), so memory stays flat however many children are asked for.

The story in the data follows the Hillingdon OT report (seed 004): from January of the last
complete academic year the OT team loses a therapist to maternity leave and another post falls
vacant, so a few hundred children end that year behind their statutory OT, while SALT makes up
its cancellations and stays mostly on track. In the current year an independent provider is
bought in to make up what is owed.

With each child come its statutory processes (`fulfil.demo.statutory`): the EHC needs assessment
that led to a recent plan or a request still in progress or refused, the professional advice asked
for it, and the plan's annual reviews, late as often as councils report.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator

from faker import Faker

from fulfil.core import identifiers
from fulfil.core.calendar import AcademicCalendar, academic_year_bounds, academic_year_of
from fulfil.delivery.contacts import delivered_slot
from fulfil.demo.records import AreaSpec, GenerationStats, Ids
from fulfil.demo.sinks import Sink
from fulfil.demo.statutory import StatutoryGenerator
from fulfil.demo.wording import MAIN_LINES, OUTCOMES, SUPPORTING_LINES, ProvisionTemplate

# Share of children with plans who have each therapy in their plan, by primary need. Drawn
# from the shape of caseloads councils report (SALT is the most common therapy in plans).
THERAPY_BY_NEED: dict[str, dict[str, float]] = {
    "ASD": {"salt": 0.75, "ot": 0.40, "physio": 0.02},
    "SLCN": {"salt": 0.95, "ot": 0.10, "physio": 0.01},
    "MLD": {"salt": 0.45, "ot": 0.15, "physio": 0.03},
    "SLD": {"salt": 0.80, "ot": 0.50, "physio": 0.25},
    "PMLD": {"salt": 0.85, "ot": 0.75, "physio": 0.85},
    "PD": {"salt": 0.25, "ot": 0.70, "physio": 0.80},
    "SEMH": {"salt": 0.25, "ot": 0.12, "physio": 0.0},
    "SPLD": {"salt": 0.20, "ot": 0.30, "physio": 0.0},
    "HI": {"salt": 0.60, "ot": 0.05, "physio": 0.02},
    "VI": {"salt": 0.15, "ot": 0.40, "physio": 0.15},
    "MSI": {"salt": 0.80, "ot": 0.60, "physio": 0.40},
    "OTH": {"salt": 0.30, "ot": 0.30, "physio": 0.15},
}

# Ages of children with plans (0-25), weighted to school age as in DfE caseload figures.
AGE_WEIGHTS = {
    3: 1, 4: 5, 5: 6, 6: 6.5, 7: 7, 8: 7, 9: 7, 10: 7, 11: 7.2, 12: 7.4, 13: 7.5, 14: 6.5,
    15: 6.8, 16: 6.3, 17: 5.6, 18: 3.4, 19: 2.8, 20: 1.9, 21: 1.7, 22: 0.6, 23: 0.5, 24: 0.4,
}

SETTING_MIX = [
    # (type, phase, count at Sutton size, pupils with plans weight)
    ("mainstream_primary", "primary", 42, 1.0),
    ("mainstream_secondary", "secondary", 12, 2.2),
    ("mainstream_all_through", "all_through", 2, 2.0),
    ("special", "all_through", 4, 18.0),
    ("alternative_provision", "secondary", 2, 2.0),
    ("early_years", "nursery", 8, 0.6),
    ("further_education", "post_16", 1, 14.0),
    ("independent", "all_through", 3, 5.0),
]
SCHOOL_WORDS = ["Park", "Green", "Hill", "Road", "Manor", "Grove", "Lane", "Common", "Fields", "Wood"]
SETTING_SUFFIX = {
    "mainstream_primary": "Primary School", "mainstream_secondary": "High School",
    "mainstream_all_through": "Academy", "special": "School", "alternative_provision": "Centre",
    "early_years": "Nursery", "further_education": "College", "independent": "School",
}


SUTTON = AreaSpec("Sutton (demo)", 319, "E09000029", "London")


class NamePool:
    """Names drawn once from Faker (en_GB) so millions of children cost no Faker calls."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.female = sorted({fake.first_name_female() for _ in range(1500)})
        self.male = sorted({fake.first_name_male() for _ in range(1500)})
        self.last = sorted({fake.last_name() for _ in range(3000)})
        self.streets = sorted({fake.street_name() for _ in range(800)})


class NhsNumbers:
    """NHS numbers from the range the NHS reserves for testing (999...), never a real one."""

    def __init__(self, start: int = 0) -> None:
        self._serial = start

    def __next__(self) -> str:
        while True:
            nine = f"999{self._serial:06d}"
            self._serial += 1
            check = identifiers.nhs_number_check_digit(nine)
            if check is not None:
                return f"{nine}{check}"


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _pick_template(rng: random.Random, templates: list[ProvisionTemplate]) -> ProvisionTemplate:
    return rng.choices(templates, weights=[t.weight for t in templates])[0]


def _setting_for_age(age: int, rng: random.Random, by_type: dict[str, list[dict]], need: str) -> dict | None:
    severe = need in {"SLD", "PMLD", "MSI"}
    if age >= 19:
        return rng.choice(by_type["further_education"]) if rng.random() < 0.55 else None
    if age >= 16 and rng.random() < 0.5:
        return rng.choice(by_type["further_education"])
    if (severe and rng.random() < 0.85) or rng.random() < 0.22:
        return rng.choice(by_type["special"])
    if rng.random() < 0.05:
        return rng.choice(by_type["independent"])
    if age >= 11 and need == "SEMH" and rng.random() < 0.2:
        return rng.choice(by_type["alternative_provision"])
    if age <= 4:
        return rng.choice(by_type["early_years"])
    if age <= 10:
        pool = by_type["mainstream_primary"] + by_type["mainstream_all_through"]
    else:
        pool = by_type["mainstream_secondary"] + by_type["mainstream_all_through"]
    return rng.choice(pool)


class AreaGenerator:
    """Generates one local area into a sink."""

    # A plan was first issued between a week ago and (age - 2) years ago (at least one year).
    PLAN_NEWEST_DAYS = 7

    @classmethod
    def plan_age_days(cls, age: int) -> tuple[int, int]:
        """How many days ago a child of `age` may have had their plan first issued: (newest, oldest)."""
        return cls.PLAN_NEWEST_DAYS, 365 * max(1, min(age - 2, 9))

    def __init__(
        self,
        spec: AreaSpec,
        *,
        seed: int,
        today: dt.date,
        sink: Sink,
        ids: Ids,
        names: NamePool,
        nhs_numbers: NhsNumbers,
        calendar: AcademicCalendar | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.spec = spec
        # Not for security: the demo's random numbers only shape synthetic data, reproducibly.
        self.rng = random.Random(f"{seed}-{spec.la_number}")  # nosec B311
        self.seed = seed
        self.today = today
        self.sink = sink
        self.ids = ids
        self.names = names
        self.nhs_numbers = nhs_numbers
        self.calendar = calendar or AcademicCalendar()
        self.progress = progress or (lambda n: None)
        self.stats = GenerationStats()
        self.now = dt.datetime.combine(today, dt.time(7, 0), tzinfo=dt.UTC)
        self.current_year = academic_year_of(today)
        self.last_year = self.current_year - 1
        self.history_start = academic_year_bounds(self.last_year)[0]
        current_terms = self.calendar.terms_of_year(self.current_year)
        term_now = self.calendar.term_containing(today) or next(
            (t for t in current_terms if t.starts_on > today), current_terms[-1]
        )
        # Planned sessions run to the end of the current term, so "my week" has a future.
        self.plan_until = term_now.ends_on
        spring = self.calendar.terms_of_year(self.last_year)[1]
        self.squeeze_from = spring.starts_on
        self.squeeze_to = academic_year_bounds(self.last_year)[1]

    # -- helpers -------------------------------------------------------------------------

    def emit(self, table: str, row: dict) -> None:
        # A copy without the generator's private "_" keys: callers keep using their dict.
        self.sink.write(table, {k: v for k, v in row.items() if k[0] != "_"})
        self.stats.rows[table] += 1

    def stamp(self, row: dict) -> dict:
        row["created_at"] = self.now
        row["updated_at"] = self.now
        return row

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def postcode(self) -> str:
        rng = self.rng
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{self.spec.postcode_prefix}{rng.randint(1, 7)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"

    def address(self) -> str:
        return f"{self.rng.randint(1, 180)} {self.rng.choice(self.names.streets)}"

    # -- the area --------------------------------------------------------------------------

    def run(self) -> GenerationStats:
        spec = self.spec
        self.area_id = self.ids("core_localarea")
        self.emit("core_localarea", self.stamp({
            "id": self.area_id, "name": spec.name, "la_number": spec.la_number,
            "ons_code": spec.ons_code, "region": spec.region,
            "privacy_officer_email": f"privacy.officer@{spec.la_number}.example.org", "parent_access_needs_consent_from_16": True,
        }))
        self._terms()
        self._settings()
        self._providers_and_therapists()
        # Children are generated setting by setting so group sessions can be formed among
        # pupils of the same school and nothing larger than one setting is held in memory.
        children_by_setting = self._allocate_children()
        # Assessments, advice and reviews come with each child (see `fulfil.demo.statutory`).
        self.statutory = StatutoryGenerator(self, self.seed)
        self.statutory.prepare(children_by_setting)
        for setting in self.settings:
            self._children_at_setting(setting, children_by_setting.get(setting["id"], []))
        self._children_at_setting(None, children_by_setting.get(None, []))
        self.stats.exceptions_to_record = self.statutory.exceptions
        return self.stats

    def _terms(self) -> None:
        # The area's ledger counts from the first day of the generated history.
        self.emit("ledger_ledgersettings", self.stamp({
            "id": self.ids("ledger_ledgersettings"), "local_area_id": self.area_id, "records_from": self.history_start,
            "cancelled_by_setting": "review", "cancelled_by_family": "review", "did_not_attend": "review",
            "independent_hourly_rate": 95,
        }))
        for year in (self.last_year, self.current_year):
            for term in self.calendar.terms_of_year(year):
                self.emit("core_termdates", self.stamp({
                    "id": self.ids("core_termdates"), "local_area_id": self.area_id,
                    "academic_year": year, "term": term.name, "starts_on": term.starts_on,
                    "ends_on": term.ends_on, "half_term_starts_on": term.half_term_starts_on,
                    "half_term_ends_on": term.half_term_ends_on,
                }))
            for day in sorted(d for d in self.calendar.closures if academic_year_of(d) == year):
                self.emit("core_closureday", self.stamp({
                    "id": self.ids("core_closureday"), "local_area_id": self.area_id,
                    "date": day, "description": "INSET day",
                }))

    def _settings(self) -> None:
        rng, spec = self.rng, self.spec
        self.settings: list[dict] = []
        self.by_type: dict[str, list[dict]] = defaultdict(list)
        used_names: set[str] = set()
        for setting_type, phase, count, weight in SETTING_MIX:
            for _ in range(max(1, round(count * spec.scale))):
                while True:
                    stem = rng.choice(self.names.last)
                    name = f"{stem} {rng.choice(SCHOOL_WORDS)} {SETTING_SUFFIX[setting_type]}"
                    if name not in used_names:
                        used_names.add(name)
                        break
                sid = self.ids("schools_educationsetting")
                urn = str(150000 + sid)  # synthetic, unique per setting id, 6-7 digits
                row = self.stamp({
                    "id": sid, "local_area_id": self.area_id, "urn": urn, "name": name,
                    "setting_type": setting_type, "phase": phase, "address": self.address(),
                    "postcode": self.postcode(),
                    "latitude": round(51.36 + rng.uniform(-0.04, 0.04), 5),
                    "longitude": round(-0.19 + rng.uniform(-0.06, 0.06), 5),
                    "day_starts_at": dt.time(8, 45), "day_ends_at": dt.time(15, 15),
                    "archived_at": None, "archived_reason": "",
                })
                row["_weight"] = weight
                row["_estab"] = (2000 if setting_type.startswith("mainstream") else 7000) + sid % 1000
                self.emit("schools_educationsetting", row)
                self.settings.append(row)
                self.by_type[setting_type].append(row)

    def _providers_and_therapists(self) -> None:
        rng, spec = self.rng, self.spec
        self.providers: dict[str, int] = {}
        for key, name, kind in [
            ("nhs", f"{spec.name.split(' (')[0]} Community Health NHS Trust", "nhs_trust"),
            ("independent", "Brightpath Therapy Ltd", "independent"),
        ]:
            pid = self.ids("workforce_provider")
            self.providers[key] = pid
            self.emit("workforce_provider", self.stamp({"id": pid, "local_area_id": self.area_id, "name": name, "kind": kind}))

        self.therapists: dict[str, list[dict]] = defaultdict(list)
        # Whole-time posts per team. SALT is sized so each therapist's direct sessions come to
        # about 22 hours a week in the current year (a 37.5-hour post less notes, reports and
        # travel); with 20 it was 30 hours, more than a contract holds, and the capacity page
        # rightly showed SALT far short while the delivered history said otherwise.
        staffing = {"salt": 30, "ot": 12, "physio": 8}
        for discipline, count in staffing.items():
            for _ in range(max(3, round(count * spec.scale))):
                self.therapists[discipline].append(self._therapist(discipline, "nhs", band=rng.choice([5, 6, 6, 7, 7, 8])))
        # Independent OTs bought in for the recovery in the current year (seed 004, para 12).
        self.independent_ots = [self._therapist("ot", "independent", band=7) for _ in range(max(1, round(2 * spec.scale)))]

        # The OT story: one OT on maternity leave from January of the last complete year,
        # another leaves at Christmas and the post stays vacant.
        ots = self.therapists["ot"]
        self.ot_on_leave = ots[0]
        self.ot_left = ots[1]
        last_year_end = academic_year_bounds(self.last_year)[1]
        self.emit("workforce_absence", self.stamp({
            "id": self.ids("workforce_absence"), "therapist_id": self.ot_on_leave["id"],
            "kind": "maternity", "starts_on": self.squeeze_from, "ends_on": last_year_end,
        }))
        self.ot_left["archived_at"] = self.now
        self.emit("workforce_vacancy", self.stamp({
            "id": self.ids("workforce_vacancy"), "local_area_id": self.area_id,
            "provider_id": self.providers["nhs"], "discipline": "ot", "band": 6, "hours": 37.5,
            "open_from": self.squeeze_from, "filled_on": None,
        }))
        for discipline_list in list(self.therapists.values()) + [self.independent_ots]:
            for t in discipline_list:
                archived = t.get("archived_at")
                self.emit("workforce_therapist", t | {
                    "archived_at": archived, "archived_reason": "Left the service" if archived else "",
                })

        # Cover: each setting gets one therapist per discipline (special schools and colleges
        # get two), spread so caseloads come out roughly even.
        self.cover: dict[tuple[int, str], list[dict]] = {}
        for discipline, team in self.therapists.items():
            active_team = [t for t in team if t is not self.ot_left]
            ordered = sorted(self.settings, key=lambda s: -s["_weight"])
            load = {t["id"]: 0.0 for t in active_team}
            for setting in ordered:
                if setting["setting_type"] == "independent":
                    if discipline == "ot":
                        chosen = self.independent_ots[:1]
                    else:
                        chosen = [min(active_team, key=lambda t: load[t["id"]])]
                else:
                    n = 2 if setting["_weight"] >= 10 else 1
                    chosen = sorted(active_team, key=lambda t: (load[t["id"]], t["id"]))[:n]
                for t in chosen:
                    load.setdefault(t["id"], 0.0)
                    load[t["id"]] += setting["_weight"] / len(chosen)
                    self.emit("workforce_therapist_settings_covered", {
                        "id": self.ids("workforce_therapist_settings_covered"),
                        "therapist_id": t["id"], "educationsetting_id": setting["id"],
                    })
                self.cover[(setting["id"], discipline)] = chosen
        # The OT who left covered some settings until Christmas: give them the first few
        # mainstream schools so their pupils were on the leaver's caseload.
        ot_mainstream = [s for s in self.settings if s["setting_type"].startswith("mainstream")][: max(3, round(8 * spec.scale))]
        for s in ot_mainstream:
            self.cover[(s["id"], "ot")] = [self.ot_left]
            self.emit("workforce_therapist_settings_covered", {
                "id": self.ids("workforce_therapist_settings_covered"),
                "therapist_id": self.ot_left["id"], "educationsetting_id": s["id"],
            })
        # Each therapist visits each setting on one weekday.
        self.visit_day: dict[tuple[int, int], int] = {}

    def _therapist(self, discipline: str, provider: str, band: int) -> dict:
        rng = self.rng
        female = rng.random() < 0.85  # the therapy workforce is mostly women
        first = rng.choice(self.names.female if female else self.names.male)
        last = rng.choice(self.names.last)
        hours = rng.choice([37.5, 37.5, 37.5, 30.0, 22.5])
        return self.stamp({
            "id": self.ids("workforce_therapist"), "local_area_id": self.area_id,
            "provider_id": self.providers[provider], "first_name": first,
            "last_name": last, "discipline": discipline, "band": band,
            "contracted_hours": hours,
            # Full-timers' days are recorded; part-timers' are left for their manager to record,
            # so the planner page shows the assumption it makes meanwhile.
            "working_days": "01234" if hours == 37.5 else "",
            "base": "Child Development Centre" if provider == "nhs" else "Independent practice",
        })

    def _allocate_children(self) -> dict[int | None, list[dict]]:
        """Decide each child's age, need and setting up front (small dicts only), so that the
        heavy rows can then be produced setting by setting."""
        rng, spec = self.rng, self.spec
        needs_total = sum(spec.need_counts.values()) or 1
        need_weights = {k: v / needs_total for k, v in spec.need_counts.items() if v > 0}
        by_setting: dict[int | None, list[dict]] = defaultdict(list)
        for _ in range(spec.children_with_plans):
            need = _weighted(rng, need_weights)
            age = int(_weighted(rng, AGE_WEIGHTS))
            setting = _setting_for_age(age, rng, self.by_type, need)
            by_setting[setting["id"] if setting else None].append({"status": "ehcp", "need": need, "age": age})
        mainstream = [
            s for s in self.settings
            if s["setting_type"] in {"mainstream_primary", "mainstream_secondary", "mainstream_all_through", "early_years"}
        ]
        for _ in range(spec.sen_support_children):
            need = rng.choices(["SLCN", "ASD", "SPLD", "SEMH", "MLD", "PD"], weights=[45, 20, 10, 10, 10, 5])[0]
            setting = rng.choice(mainstream)
            low, high = {"nursery": (3, 4), "primary": (4, 10), "secondary": (11, 15)}.get(setting["phase"], (4, 15))
            age = rng.randint(low, high)
            by_setting[setting["id"]].append({"status": "sen_support", "need": need, "age": age})
        return by_setting

    # -- children --------------------------------------------------------------------------

    def _children_at_setting(self, setting: dict | None, children: list[dict]) -> None:
        self._contact_keys: set[str] = set()  # delivered contacts at this setting (keys include it)
        groups: dict[tuple[int, ProvisionTemplate], list[tuple[dict, dict]]] = defaultdict(list)
        for plan in children:
            child = self._child(setting, plan)
            for item, therapist in child["_items"]:
                if item["_template"].group_allowed and setting is not None:
                    groups[(therapist["id"], item["_template"])].append((child, item))
                else:
                    self._sessions([(child, item)], therapist, setting)
            self._sen_support_sessions(child, setting)
        # Group work: pupils with the same group line and therapist share sessions, up to 4.
        for (therapist_id, _template), members in groups.items():
            therapist = self._therapist_by_id(therapist_id)
            for start in range(0, len(members), 4):
                self._sessions(members[start:start + 4], therapist, setting)
        self.progress(len(children))

    def _therapist_by_id(self, therapist_id: int) -> dict:
        for team in list(self.therapists.values()) + [self.independent_ots]:
            for t in team:
                if t["id"] == therapist_id:
                    return t
        raise KeyError(therapist_id)

    def _child(self, setting: dict | None, plan: dict) -> dict:
        rng, spec = self.rng, self.spec
        sex = rng.choice("FM") if plan["need"] not in {"ASD", "SLCN"} else rng.choices("FM", weights=[28, 72])[0]
        first = rng.choice(self.names.female if sex == "F" else self.names.male)
        last = rng.choice(self.names.last)
        age = plan["age"]
        birth_year = self.today.year - age - (1 if self.today.month < 9 else 0)
        dob = dt.date(birth_year, 9, 1) + dt.timedelta(days=rng.randint(0, 364))
        cid = self.ids("children_child")
        school_age = 4 <= age <= 16 and setting is not None and setting["setting_type"] != "further_education"
        upn = ""
        if school_age and setting is not None:
            upn_year = dob.year + 4
            upn = identifiers.make_upn(spec.la_number, setting["_estab"], upn_year, cid % 1000)
        secondary_need = rng.choice(["", "", "SLCN", "SEMH", "MLD", "SPLD"])
        if secondary_need == plan["need"]:
            secondary_need = ""
        child = self.stamp({
            "id": cid, "local_area_id": self.area_id, "public_id": self.uuid4(),
            "first_name": first, "last_name": last, "date_of_birth": dob, "sex": sex,
            "nhs_number": next(self.nhs_numbers), "upn": upn, "sen_status": plan["status"],
            "primary_need": plan["need"] if plan["status"] == "ehcp" or rng.random() < 0.9 else "NSA",
            "secondary_need": secondary_need,
            "current_setting_id": setting["id"] if setting else None,
            "address": self.address(), "postcode": self.postcode(),
            "confidential_address": rng.random() < 0.02,
            "archived_at": None, "archived_reason": "",
        })
        self.emit("children_child", child)
        self._identifiers_and_family(child, setting, age, dob)
        child["_items"] = []
        disciplines = self._disciplines(plan)
        if plan["status"] == "ehcp":
            self._plan(child, disciplines, setting, age)
        else:
            for discipline, level in disciplines.items():
                therapist = self._therapist_for(setting, discipline)
                if therapist is not None and level == "specialist":
                    self._assign(child, therapist, discipline, self.history_start)
                    child.setdefault("_support_therapists", []).append((discipline, therapist))
        self.statutory.child(child, setting, plan, disciplines)
        for discipline, level in disciplines.items():
            self.emit("children_disciplinesupport", self.stamp({
                "id": self.ids("children_disciplinesupport"), "child_id": cid,
                "discipline": discipline, "level": level,
                "since": self.history_start - dt.timedelta(days=rng.randint(0, 700)),
            }))
        return child

    def _disciplines(self, plan: dict) -> dict[str, str]:
        rng = self.rng
        if plan["status"] == "sen_support":
            main = {"SLCN": "salt", "ASD": "salt", "PD": "physio"}.get(plan["need"], rng.choice(["salt", "ot"]))
            return {main: rng.choices(["targeted", "specialist"], weights=[70, 30])[0]}
        chances = THERAPY_BY_NEED.get(plan["need"], THERAPY_BY_NEED["OTH"])
        chosen = {d: "specialist" for d, p in chances.items() if rng.random() < p}
        return chosen

    def _identifiers_and_family(self, child: dict, setting: dict | None, age: int, dob: dt.date) -> None:
        rng = self.rng
        cid = child["id"]
        if child["upn"] and setting is not None:  # only a child at a school has a UPN
            started = dt.date(dob.year + 4, 9, 1)
            if rng.random() < 0.06:
                # Some children were first given a temporary UPN (e.g. joining mid-year).
                temp = identifiers.make_temporary_upn(
                    self.spec.la_number, setting["_estab"], started.year, cid % 100, rng.choice("ABCDEFGH")
                )
                self.emit("children_upnrecord", self.stamp({
                    "id": self.ids("children_upnrecord"), "child_id": cid, "upn": temp, "kind": "temporary",
                    "valid_from": started, "valid_to": started + dt.timedelta(days=40),
                }))
                started += dt.timedelta(days=41)
            if rng.random() < 0.08:
                # Moved in from another area: the former UPN carries that area's LA number.
                former = identifiers.make_upn(rng.randint(201, 938), rng.randint(2000, 4999), started.year, rng.randint(1, 999))
                self.emit("children_upnrecord", self.stamp({
                    "id": self.ids("children_upnrecord"), "child_id": cid, "upn": former, "kind": "former",
                    "valid_from": started, "valid_to": started + dt.timedelta(days=365),
                }))
                started += dt.timedelta(days=366)
            self.emit("children_upnrecord", self.stamp({
                "id": self.ids("children_upnrecord"), "child_id": cid, "upn": child["upn"], "kind": "current",
                "valid_from": started, "valid_to": None,
            }))
        if setting is not None:
            # On roll since the start of the current phase (or since moving in).
            phase_start = {"nursery": 3, "primary": 4, "secondary": 11, "post_16": 16}.get(setting["phase"], max(4, age - 3))
            years_on_roll = max(0, min(age - phase_start, 6))
            on_roll_from = dt.date(self.current_year - years_on_roll, 9, rng.randint(3, 8))
            if rng.random() < 0.04:
                on_roll_from = self.today - dt.timedelta(days=rng.randint(20, 200))
            self.emit("children_enrolment", self.stamp({
                "id": self.ids("children_enrolment"), "local_area_id": self.area_id, "child_id": cid,
                "setting_id": setting["id"], "on_roll_from": on_roll_from, "on_roll_to": None,
            }))
            child["_on_roll_from"] = on_roll_from
        for n in range(1 if rng.random() < 0.35 else 2):
            relationship = ["Mother", "Father"][n] if rng.random() < 0.93 else rng.choice(["Foster carer", "Grandmother", "Special guardian"])
            first = rng.choice(self.names.female if relationship in {"Mother", "Foster carer", "Grandmother"} else self.names.male)
            last = child["last_name"] if rng.random() < 0.8 else rng.choice(self.names.last)
            self.emit("children_parentcarer", self.stamp({
                "id": self.ids("children_parentcarer"), "child_id": cid, "name": f"{first} {last}",
                "relationship": relationship,
                # Ofcom reserves 07700 900000-900999 for drama: never a real phone.
                "phone": f"07700 900{rng.randint(0, 999):03d}",
                "email": f"{first}.{last}{rng.randint(1, 99)}@example.com".lower().replace(" ", "").replace("'", ""),
                "has_parental_responsibility": relationship != "Grandmother",
                "is_main_contact": n == 0, "archived_at": None, "archived_reason": "",
            }))

    def _therapist_for(self, setting: dict | None, discipline: str) -> dict | None:
        if setting is None:
            team = [t for t in self.therapists[discipline] if t is not self.ot_left]
            return team[self.rng.randrange(len(team))]
        options = self.cover.get((setting["id"], discipline))
        if not options:
            return None
        return options[self.rng.randrange(len(options))]

    def _assign(self, child: dict, therapist: dict, discipline: str, starts_on: dt.date, ends_on: dt.date | None = None) -> None:
        self.emit("workforce_caseloadassignment", self.stamp({
            "id": self.ids("workforce_caseloadassignment"), "local_area_id": self.area_id,
            "therapist_id": therapist["id"], "child_id": child["id"], "discipline": discipline,
            "starts_on": starts_on, "ends_on": ends_on,
        }))

    def _plan(self, child: dict, disciplines: dict[str, str], setting: dict | None, age: int) -> None:
        rng, spec = self.rng, self.spec
        cid = child["id"]
        first_issued = self.today - dt.timedelta(days=rng.randint(*self.plan_age_days(age)))
        child["_plan_issued"] = first_issued
        plan_id = self.ids("plans_plan")
        self.emit("plans_plan", self.stamp({
            "id": plan_id, "local_area_id": self.area_id, "child_id": cid,
            "reference": f"EHCP-{spec.la_number}-{plan_id:07d}", "status": "active",
            "first_issued_on": first_issued, "ceased_on": None, "archived_at": None, "archived_reason": "",
            "caseworker_team": "Early years team" if age < 5 else "Primary team" if age < 11 else "Secondary team" if age < 16 else "Post-16 team",
        }))
        # Each annual review that amended the plan gave it a new version on the amended plan's date.
        reviews = self.statutory.review_chain(first_issued)
        self.statutory.emit_reviews(plan_id, reviews)
        versions = [(1, "new", first_issued)]
        for review in reviews:
            if review.amended_plan_on is not None:
                versions.append((len(versions) + 1, "annual_review", review.amended_plan_on))
        version_id = 0
        for number, reason, issued in versions:
            version_id = self.ids("plans_planversion")
            self.emit("plans_planversion", self.stamp({
                "id": version_id, "plan_id": plan_id, "number": number, "reason": reason,
                "issued_on": issued, "status": "final" if number == len(versions) else "superseded",
            }))
        current_issued = versions[-1][2]
        outcome_kinds = ["communication"] if "salt" in disciplines else []
        if "ot" in disciplines or "physio" in disciplines:
            outcome_kinds.append("physical")
        outcome_kinds.append("learning")
        for order, kind in enumerate(outcome_kinds):
            area, text = rng.choice(OUTCOMES[kind])
            self.emit("plans_outcome", self.stamp({
                "id": self.ids("plans_outcome"), "plan_version_id": version_id, "area": area,
                "text": text.format(name=child["first_name"], ks=2 if age < 11 else 4), "order": order,
            }))
        # Provision counts from the later of the plan version and the start of the history.
        items_from = max(current_issued, child.get("_on_roll_from", current_issued))
        for discipline in disciplines:
            therapist = self._therapist_for(setting, discipline)
            if therapist is None:
                continue
            assigned_from = max(items_from, self.history_start) if items_from > self.history_start else self.history_start
            if therapist is self.ot_left:
                # The leaver's children passed to a colleague from January; their cases stayed
                # on the leaver's caseload until the end of December.
                cover = [t for t in self.therapists["ot"] if t is not self.ot_left and t is not self.ot_on_leave]
                colleague = cover[cid % len(cover)]
                self._assign(child, therapist, discipline, assigned_from, self.squeeze_from - dt.timedelta(days=1))
                self._assign(child, colleague, discipline, self.squeeze_from)
                child["_colleague"] = colleague
            else:
                self._assign(child, therapist, discipline, assigned_from)
            templates = [_pick_template(rng, MAIN_LINES[discipline])]
            if rng.random() < 0.55:
                templates.append(_pick_template(rng, SUPPORTING_LINES[discipline]))
            for template in templates:
                item = {
                    "id": self.ids("plans_provisionitem"), "local_area_id": self.area_id,
                    "plan_version_id": version_id, "child_id": cid, "discipline": discipline,
                    "section": "F" if discipline == "salt" or rng.random() < 0.7 else "G",
                    "kind": template.kind, "sessions": template.sessions, "minutes": template.minutes,
                    "period": template.period, "deliverer": template.deliverer,
                    "starts_on": items_from, "ends_on": None, "group_allowed": template.group_allowed,
                    "wording": template.wording.format(name=child["first_name"]),
                }
                self.emit("plans_provisionitem", self.stamp(item))
                item["_template"] = template
                item["_due_last_year"] = 0
                item["_delivered_last_year"] = 0
                child["_items"].append((item, therapist))

    # -- sessions --------------------------------------------------------------------------

    def _due_dates(self, item: dict, therapist_id: int, setting: dict | None) -> list[dt.date]:
        """When a line's sessions fall: its sessions per period spread evenly over the teaching
        weeks of each period, on the therapist's visiting day for the setting."""
        template: ProvisionTemplate = item["_template"]
        start = max(item["starts_on"], self.history_start)
        end = self.plan_until
        sessions = template.sessions
        if sessions is None or not template.period or start > end:
            # Unquantified lines still get some contact, at the therapist's discretion.
            if sessions is None and start <= end:
                weeks = self.calendar.teaching_weeks(start, end)
                return [self._visit(w, therapist_id, setting) for w in weeks[:: self.rng.randint(5, 9)]]
            return []
        blocks: list[tuple[dt.date, dt.date]] = []
        for year in range(academic_year_of(start), academic_year_of(end) + 1):
            if template.period == "year":
                blocks.append(academic_year_bounds(year))
                continue
            for term in self.calendar.terms_of_year(year):
                if template.period == "half_term":
                    blocks.extend((h.starts_on, h.ends_on) for h in term.half_terms)
                else:
                    blocks.append((term.starts_on, term.ends_on))
        dates: list[dt.date] = []
        if template.period == "week":
            for monday in self.calendar.teaching_weeks(start, end):
                for n in range(sessions):
                    dates.append(self._visit(monday, therapist_id, setting, n))
            return dates
        for block_start, block_end in blocks:
            weeks = self.calendar.teaching_weeks(block_start, block_end)
            if not weeks:
                continue
            for i in range(sessions):
                monday = weeks[min(len(weeks) - 1, int((i + 0.5) * len(weeks) / sessions))]
                if start <= monday + dt.timedelta(days=4) and monday <= end:
                    dates.append(self._visit(monday, therapist_id, setting, 0))
        return dates

    def _visit(self, monday: dt.date, therapist_id: int, setting: dict | None, n: int = 0) -> dt.date:
        key = (therapist_id, setting["id"] if setting else 0)
        if key not in self.visit_day:
            self.visit_day[key] = self.rng.randrange(5)
        weekday = (self.visit_day[key] + n * 2) % 5
        for offset in range(5):
            day = monday + dt.timedelta(days=(weekday + offset) % 5)
            if self.calendar.is_teaching_day(day):
                return day
        return monday

    def _delivery_chance(self, therapist: dict, child: dict, day: dt.date) -> float:
        """How likely a due session went ahead, following the story in the module docstring."""
        if therapist["discipline"] == "ot" and self.squeeze_from <= day <= self.squeeze_to:
            if therapist is self.ot_on_leave:
                return 0.25  # colleagues covered a few of her children's sessions
            if therapist is self.ot_left:
                return 0.5  # the leaver's children, taken on by stretched colleagues
            return 0.9
        return 0.995

    def _sessions(self, members: list[tuple[dict, dict]], therapist: dict, setting: dict | None) -> None:
        """One line's sessions (or one group's) on their due dates: planned from today to the
        end of the term; before today, missed for want of a therapist as often as the story
        says (`_delivery_chance`), and otherwise as `_outcome` rolls, SALT and physio rebooking
        their own cancellations; then this year's OT recovery."""
        rng = self.rng
        # A group runs from its earliest member's start; each child joins from their own.
        members = sorted(members, key=lambda m: (m[1]["starts_on"] if m[1] else dt.date.min, m[0]["id"]))
        lead_child, lead_item = members[0]
        template: ProvisionTemplate = lead_item["_template"]
        minutes = template.minutes or rng.choice([30, 45])
        kind = {"direct": "direct", "group": "group", "indirect": "indirect", "training": "indirect", "review": "review"}[template.kind]
        slot = dt.time(9 + rng.randint(0, 4), rng.choice([0, 30]))
        for day in self._due_dates(lead_item, therapist["id"], setting):
            present = [m for m in members if m[1] is None or m[1]["starts_on"] <= day]
            if not present:  # the week a line starts, before its first day
                continue
            delivered_by = therapist
            if therapist is self.ot_left and day >= self.squeeze_from:
                delivered_by = lead_child["_colleague"]
            if day >= self.today:
                if day <= self.plan_until:
                    self._session(present, delivered_by, setting, day, slot, minutes, kind, "planned")
                continue
            last_year = day <= self.squeeze_to
            if last_year:
                for _child, item in present:
                    item["_due_last_year"] += 1
            chance = self._delivery_chance(therapist, lead_child, day)
            if rng.random() >= chance:
                # Capacity shortfall: most such sessions were simply never booked; a few
                # appear as provider cancellations.
                if rng.random() < 0.3:
                    self._session(present, delivered_by, setting, day, slot, minutes, kind,
                                  "cancelled_provider", reason="No therapist available")
                continue
            status, reason = self._outcome()
            self._session(present, delivered_by, setting, day, slot, minutes, kind, status, reason=reason)
            if last_year and status in {"delivered", "cancelled_setting", "cancelled_family", "dna"}:
                # Setting and family cancellations are not owed by default (area policy):
                # count them as met for the story's figures.
                for _child, item in present:
                    item["_delivered_last_year"] += 1
            if status == "cancelled_provider" and therapist["discipline"] != "ot" and rng.random() < 0.95:
                self._rebook(present, delivered_by, setting, day, slot, minutes, kind)
        self._recovery(members, therapist, setting, minutes, kind, slot)

    def _outcome(self) -> tuple[str, str]:
        """What became of a session the service had a therapist for: mostly delivered; now and
        then cancelled by the setting or the family, missed by the child, or cancelled because
        the therapist was sick. (status, reason)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.025:
            return "cancelled_setting", rng.choice(["School trip", "Class assembly", "Mock exams"])
        if roll < 0.035:
            return "cancelled_family", "Family holiday"
        if roll < 0.05:
            return "dna", "Child absent from school"
        if roll < 0.07:
            return "cancelled_provider", "Therapist sick"
        return "delivered", ""

    def _rebook(self, present, delivered_by, setting, day, slot, minutes, kind) -> None:
        """SALT and physio rebook a provider cancellation within a fortnight: a make-up session
        on a teaching day a few days later, delivered if that day has passed."""
        makeup = day + dt.timedelta(days=self.rng.randint(1, 4))
        while not self.calendar.is_teaching_day(makeup):
            makeup += dt.timedelta(days=1)
        if makeup < self.today:
            self._session(present, delivered_by, setting, makeup, slot, minutes, kind, "delivered", make_up=True)
            if makeup <= self.squeeze_to:
                for _child, item in present:
                    item["_delivered_last_year"] += 1

    def _recovery(self, members, therapist, setting, minutes, kind, slot) -> None:
        """Current year: the independent provider makes up OT owed from last year (seed 004,
        para 12-13: missed provision delivered by the end of the spring term)."""
        if therapist["discipline"] != "ot" or len(members) != 1:
            return
        child, item = members[0]
        owed = item["_due_last_year"] - item["_delivered_last_year"]
        if owed <= 0 or not item["_template"].sessions:
            return
        start = academic_year_bounds(self.current_year)[0]
        weeks = self.calendar.teaching_weeks(start, self.plan_until)
        independent = self.independent_ots[child["id"] % len(self.independent_ots)]
        # One make-up a week from the third week of the year; what does not fit this term
        # stays owed (the recovery runs to the end of the spring term).
        for monday in weeks[2:2 + owed]:
            day = self._visit(monday, independent["id"], setting)
            status = "planned" if day >= self.today else "delivered"
            self._session(members, independent, setting, day, slot, minutes, kind, status, make_up=True)

    def _session(self, members, therapist, setting, day, slot, minutes, kind, status, *, reason="", make_up=False) -> None:
        # A child with two lines seen by one therapist on one day is seen one after the other,
        # never twice at the same time (the database refuses a contact recorded twice).
        def keys(start):
            return [delivered_slot(therapist_id=therapist["id"], setting_id=setting["id"] if setting else None, date=day,
                                   starts_at=start, child_id=child["id"]) for child, _ in members]

        while any(key in self._contact_keys for key in keys(slot)):
            slot = (dt.datetime.combine(day, slot) + dt.timedelta(minutes=minutes)).time()
        self._contact_keys.update(keys(slot))
        sid = self.ids("delivery_session")
        self.emit("delivery_session", {
            "id": sid, "local_area_id": self.area_id, "therapist_id": therapist["id"],
            "setting_id": setting["id"] if setting else None, "date": day, "starts_at": slot,
            "minutes": minutes, "kind": kind, "status": status, "cancellation_reason": reason,
            "is_make_up": make_up,
            "summary": "Worked on targets in the plan; strategies shared with class staff." if status == "delivered" else "",
            "created_at": self.now, "updated_at": self.now,
        })
        for child, item in members:
            absent = status == "delivered" and len(members) > 1 and self.rng.random() < 0.05
            seen = status == "delivered" and not absent and minutes > 0
            self.emit("delivery_attendance", {
                "id": self.ids("delivery_attendance"), "session_id": sid, "child_id": child["id"],
                "provision_item_id": item["id"] if item else None,
                "minutes": 0 if absent else minutes,
                "not_seen_reason": "Absent from school" if absent else "",
                "delivered_slot": delivered_slot(therapist_id=therapist["id"], setting_id=setting["id"] if setting else None,
                                                 date=day, starts_at=slot, child_id=child["id"]) if seen else None,
                "in_error_reason": "", "in_error_at": None, "in_error_by_id": None,
            })

    def _sen_support_sessions(self, child: dict, setting: dict | None) -> None:
        """A block of six specialist sessions for SEN-support children (no plan, no ledger)."""
        for _discipline, therapist in child.get("_support_therapists", []):
            start = self.today - dt.timedelta(days=self.rng.randint(30, 300))
            weeks = self.calendar.teaching_weeks(start, self.plan_until)[:6]
            for monday in weeks:
                day = self._visit(monday, therapist["id"], setting)
                status = "planned" if day >= self.today else "delivered"
                self._session([(child, None)], therapist, setting, day, dt.time(13, 30), 30, "direct", status)


def national_specs(seed: int, total_children: int = 640_000) -> Iterator[AreaSpec]:
    """153 synthetic areas whose sizes vary like England's (a few large counties, many
    small boroughs) and add up to about `total_children` children with plans."""
    rng = random.Random(seed)  # nosec B311
    weights = [rng.lognormvariate(0, 0.6) for _ in range(153)]
    total = sum(weights)
    for i, weight in enumerate(weights, start=1):
        plans = max(30, round(total_children * weight / total))
        yield AreaSpec(
            name=f"Synthetic area {i:03d}", la_number=600 + i, ons_code=f"E99{i:06d}",
            region="Synthetic", children_with_plans=plans, sen_support_children=plans // 3,
            postcode_prefix="ZZ", with_users=False,
        )
