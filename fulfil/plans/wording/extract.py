"""Build provision items (ProvisionDraft) from the facts each item was given by `segment`.

The rules follow the labelling contract the evaluation set uses:

- sessions and period: an explicit count ("6 x", "3 times", "twice", "ten sessions") wins over
  one implied by a frequency word ("weekly" is one a week, "daily" five a week), and the first
  of each wins over later ones; "3 x 10 minutes every day" is fifteen a week;
- a range or "up to" gives the lower or stated number, and is flagged;
- a total for a period with no number of sessions ("2 hours of OT per term") leaves sessions
  and minutes empty and is flagged as a total;
- the deliverer is the first person who delivers; the person who devised, reviews or is
  trained by the provision is not its deliverer, and "by the SLT or SLT assistant" names no one;
- the kind is the first kind word, except that school staff carrying out therapy is a
  programme (indirect) unless it is a group, and "training" is staff training only when
  someone is trained ("gait training" is therapy).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.facts import DurationFact, Fact, Mention, MinutesFact, PeriodFact, SessionsFact
from fulfil.plans.wording.lexer import Lexeme
from fulfil.plans.wording.results import Evidence, ProvisionDraft, evidence
from fulfil.plans.wording.scan import MAX_MINUTES, MAX_SESSIONS
from fulfil.plans.wording.segment import ItemLayout

# Words for a single assessment: "OT assessment in the first half term" is one session.
_ONE_OFF_REVIEWS: Final = frozenset({"assess", "assessment", "reassessment", "re assessment", "assessed", "reassess"})
_CONSULTATION: Final = ("consult",)


class _ItemFacts:
    """The facts of one item, split into the provision itself and its review clause."""

    __slots__ = ("main", "review")

    def __init__(self) -> None:
        self.main: list[Fact] = []
        self.review: list[Fact] = []


class _Found:
    """The first fact of each sort in an item's main words, collected in one pass.

    Class attributes are the defaults, so an item only pays for the facts it has.
    """

    explicit: SessionsFact | None = None
    implied: SessionsFact | None = None
    implied_every: SessionsFact | None = None
    span: PeriodFact | None = None
    total_period: PeriodFact | None = None
    session_minutes: MinutesFact | None = None
    neutral_minutes: MinutesFact | None = None
    of_minutes: MinutesFact | None = None
    total_minutes: MinutesFact | None = None
    duration: DurationFact | None = None
    named_therapy: Mention | None = None
    delivering: Mention | None = None
    maybe_delivering: Mention | None = None
    designing: Mention | None = None
    reviewing: Mention | None = None
    discretion: Mention | None = None
    vague: Mention | None = None
    heads = 0
    sessions_named = False

    def __init__(self, facts: list[Fact]) -> None:
        self.kinds: list[Mention] = []
        self.either: list[Mention] = []
        self.recipients: list[Mention] = []
        self.discipline_mentions: list[Mention] = []
        for fact in facts:
            what = fact.what
            if what == "sessions":
                self._sessions(fact)  # type: ignore[arg-type]
            elif what == "minutes":
                self._minutes(fact)  # type: ignore[arg-type]
            elif what == "period":
                self._period(fact)  # type: ignore[arg-type]
            elif what == "duration":
                self.duration = self.duration or fact  # type: ignore[assignment]
            elif what == "discipline" or what == "person":
                self._person(fact)  # type: ignore[arg-type]
            elif what == "kind" or what == v.REVIEWV:
                self._kind(fact)  # type: ignore[arg-type]
            elif what == "discretion":
                self.discretion = self.discretion or fact  # type: ignore[assignment]
            elif what == "vague":
                self.vague = self.vague or fact  # type: ignore[assignment]
            elif what == v.HEAD:
                self.heads += 1  # "therapy", "input" (but not "sessions": sessions of what?)
            elif what == v.SESSION:
                self.sessions_named = True

    def _sessions(self, fact: SessionsFact) -> None:
        """The first explicit count ("6 x", "twice"), the first implied by a frequency word with
        a period ("weekly"), and the first "every N weeks"."""
        if fact.explicit:
            self.explicit = self.explicit or fact
        elif fact.period is not None:
            self.implied = self.implied or fact
        elif fact.every:
            self.implied_every = self.implied_every or fact

    def _period(self, fact: PeriodFact) -> None:
        """The first span ("across the academic year") and the first other period ("per term",
        "2 hours per term")."""
        if fact.source == "span":
            self.span = self.span or fact
        else:
            self.total_period = self.total_period or fact

    def _kind(self, fact: Mention) -> None:
        """Every kind word, in order; a kind other than a review heads the item."""
        self.kinds.append(fact)
        if fact.what == "kind" and fact.value != "review":
            self.heads += 1

    def _minutes(self, fact: MinutesFact) -> None:
        if fact.minutes is None:
            return
        role = fact.role
        if role == "session":
            self.session_minutes = self.session_minutes or fact
        elif role == "total":
            self.total_minutes = self.total_minutes or fact
        elif role == "of":
            self.of_minutes = self.of_minutes or fact
        else:
            self.neutral_minutes = self.neutral_minutes or fact

    def _person(self, fact: Mention) -> None:
        if _discipline(fact) is not None:
            self.discipline_mentions.append(fact)
        role = fact.role
        if fact.what == "discipline" and role == "modifier":
            self.named_therapy = self.named_therapy or fact
            self.heads += 1
        elif role == "deliver":
            # A parent is not a deliverer a plan can name here; someone else in the item may be.
            if self.delivering is None or (_deliverer_of(self.delivering) is None and _deliverer_of(fact) is not None):
                self.delivering = fact
        elif role == "unknown":
            if self.maybe_delivering is None or (_deliverer_of(self.maybe_delivering) is None and _deliverer_of(fact) is not None):
                self.maybe_delivering = fact
        elif role == "either":
            self.either.append(fact)
        elif role == "design":
            self.designing = self.designing or fact
        elif role == "review":
            self.reviewing = self.reviewing or fact
        elif role == "recipient":
            self.recipients.append(fact)


def drafts(text: str, lexemes: list[Lexeme], facts: list[Fact], items: ItemLayout, *, trainees: bool = False,
           discretion: bool = False) -> list[ProvisionDraft]:
    """The items, in order. `trainees`: someone in the statement is trained or advised
    ("including moving and handling training" is staff training). `discretion`: something in
    the statement leaves the amount open ("to assess and provide advice as needed")."""
    grouped = [_ItemFacts() for _ in range(items.count)]
    parts = items.parts
    in_review = items.in_review
    part_index = 0
    if items.count == 1 and len(parts) == 1 and parts[0].item == 0 and not items.review_ranges:
        grouped[0].main = facts  # one item, no review clause: the common case
        facts = []
    for fact in facts:
        while part_index < len(parts) and fact.at >= parts[part_index].stop:
            part_index += 1
        if part_index == len(parts):
            break
        item = parts[part_index].item
        if item < 0 or fact.at < parts[part_index].first:
            continue
        (grouped[item].review if in_review[fact.at] else grouped[item].main).append(fact)
    reviews: list[list[tuple[int, int]]] = [[] for _ in range(items.count)]
    for first, stop, item in items.review_ranges:
        reviews[item].append((lexemes[first][2], lexemes[stop - 1][3]))
    out: list[ProvisionDraft] = []
    previous: ProvisionDraft | None = None
    for index, item_facts in enumerate(grouped):
        draft = _draft(text, item_facts, trainees, discretion)
        if previous is not None and items.continues[index]:
            _continue_from(previous, draft, items.continues[index])
        if reviews[index]:
            _add_review(text, reviews[index], item_facts, draft)
        previous = draft
        out.extend(_one_per_discipline(text, draft, item_facts))
    _inherit_disciplines(text, lexemes, out)
    return out


_evidence = evidence


def _draft(text: str, facts: _ItemFacts, trainees: bool, discretion: bool) -> ProvisionDraft:
    found = _Found(facts.main)
    draft = ProvisionDraft()
    _sessions_and_period(text, found, draft)
    _minutes(text, found, draft)
    person = _deliverer(text, found, draft)
    _discipline_of(text, found, facts, person, draft)
    _kind(text, found, draft, trainees)
    if not discretion:
        _one_off_assessment(text, found, draft)
    evidence = draft.evidence
    if found.duration is not None:
        draft.duration = text[found.duration.start:found.duration.end]
        evidence["duration"] = _evidence(text, found.duration.start, found.duration.end)
    if found.discretion is not None:
        evidence["discretion"] = _evidence(text, found.discretion.start, found.discretion.end)
    if found.vague is not None:
        evidence["vague_access"] = _evidence(text, found.vague.start, found.vague.end)
    return draft


def _sessions_and_period(text: str, found: _Found, draft: ProvisionDraft) -> None:
    evidence = draft.evidence
    chosen = found.explicit or found.implied or found.implied_every
    if chosen is None:
        period_fact = found.total_period or (found.span if found.total_minutes is not None else None)
        if period_fact is not None:
            # "2 hours of OT per term", "a total of 12 hours over the year"
            draft.period = period_fact.period
            evidence["period"] = _evidence(text, period_fact.start, period_fact.end)
        return
    draft.sessions = chosen.count
    if chosen.count is not None:
        evidence["sessions"] = _evidence(text, chosen.start, chosen.end)
    if chosen.period is not None:
        draft.period = chosen.period
        evidence["period"] = _evidence(text, chosen.period_start, chosen.period_end)
    elif chosen.every:
        pass  # "every 6 weeks": a frequency in no period the ledger counts in
    elif found.implied is not None:
        implied = found.implied
        draft.period = implied.period
        evidence["period"] = _evidence(text, implied.period_start, implied.period_end)
        if implied.per_day and draft.sessions is not None:
            # "3 x 10-minute movement breaks every day": three a day is fifteen a week.
            draft.sessions = min(draft.sessions * v.SCHOOL_DAYS_PER_WEEK, MAX_SESSIONS)
    elif found.implied_every is not None:
        pass
    elif found.total_period is not None or found.span is not None:
        period_fact = found.total_period or found.span
        draft.period = period_fact.period  # type: ignore[union-attr]
        evidence["period"] = _evidence(text, period_fact.start, period_fact.end)  # type: ignore[union-attr]
    if chosen.range:
        evidence["range"] = _evidence(text, chosen.start, chosen.end)
    if chosen.ceiling:
        evidence["ceiling"] = _evidence(text, chosen.start, chosen.end)


def _minutes(text: str, found: _Found, draft: ProvisionDraft) -> None:
    evidence = draft.evidence
    minutes = found.session_minutes or found.neutral_minutes
    if minutes is None and found.of_minutes is not None and draft.sessions is not None:
        minutes = found.of_minutes  # "half an hour of therapy, twice a week": per session
    if minutes is not None:
        draft.minutes = minutes.minutes
        evidence["minutes"] = _evidence(text, minutes.start, minutes.end)
    else:
        total = found.total_minutes or found.of_minutes
        if total is None:
            return
        minutes = total
        explicit = found.explicit is not None
        if draft.sessions is not None and total.minutes is not None and total.minutes % draft.sessions == 0 and (
                explicit or total is found.of_minutes or found.total_period is None):
            # "an hour a week as two sessions": a total that the count does split.
            draft.minutes = min(total.minutes // draft.sessions, MAX_MINUTES)
            evidence["minutes"] = _evidence(text, total.start, total.end)
        elif not explicit:
            draft.sessions = None
            evidence.pop("sessions", None)
            evidence["total_not_split"] = _evidence(text, total.start, total.end)
    if minutes.range and "range" not in evidence:
        evidence["range"] = _evidence(text, minutes.start, minutes.end)
    if minutes.ceiling and "ceiling" not in evidence:
        evidence["ceiling"] = _evidence(text, minutes.start, minutes.end)


def _deliverer(text: str, found: _Found, draft: ProvisionDraft) -> Mention | None:
    person = found.delivering or found.maybe_delivering
    if person is not None and _deliverer_of(person) is None and found.maybe_delivering is not None:
        person = found.maybe_delivering  # "between the SLT and Zara's parents": the therapist
    if person is None and any(k.value == "review" or k.what == v.REVIEWV for k in found.kinds[:1]):
        person = found.reviewing  # "reviewed termly by the OT", standing alone: the reviewer delivers it
    if person is None and found.either:
        return None
    if person is None:
        return None
    deliverer = _deliverer_of(person)
    if deliverer is None:
        return person
    if any(_deliverer_of(other) != deliverer for other in found.either):
        return person  # "by the SLT or SLT assistant": the plan does not say which
    _set_deliverer(text, person, draft)
    return person


def _set_deliverer(text: str, person: Mention, draft: ProvisionDraft) -> None:
    deliverer = _deliverer_of(person)
    if deliverer is None:
        return
    draft.deliverer = deliverer
    draft.evidence["deliverer"] = _evidence(text, person.start, person.end)
    if person.qual_start >= 0:
        qualification = text[person.qual_start:person.start].rstrip(" ,-")
        draft.qualification = qualification
        draft.evidence["qualification"] = _evidence(text, person.qual_start, person.qual_start + len(qualification))


def _discipline_of(text: str, found: _Found, facts: _ItemFacts, person: Mention | None, draft: ProvisionDraft) -> None:
    """The therapy named, else the therapist delivering, else any therapist mentioned (the one
    who devised it, for a programme), else the one in the review clause."""
    candidates: list[Mention | None] = [found.named_therapy, person, *found.discipline_mentions]
    candidates.extend(f for f in facts.review if isinstance(f, Mention) and f.what in ("discipline", "person"))
    for source in candidates:
        discipline = _discipline(source)
        if discipline is not None and source is not None:
            draft.discipline = discipline
            draft.evidence["discipline"] = _evidence(text, source.start, source.end)
            return


def _kind(text: str, found: _Found, draft: ProvisionDraft, trainees: bool) -> None:
    has_trainees = trainees or any(_deliverer_of(r) in ("school_staff", None) for r in found.recipients)
    chosen: Mention | None = None
    for mention in found.kinds:
        word = text[mention.start:mention.end].lower()
        if mention.value == "training" and not has_trainees and not word.startswith(_CONSULTATION):
            continue  # "gait training", "an OT with Ayres SI training": not staff training
        chosen = mention
        break
    if chosen is not None:
        kind = "review" if chosen.what == v.REVIEWV else str(chosen.value)
        if kind == "indirect" and any(k.value == "group" for k in found.kinds):
            kind = "group"  # "the SaLT's programme, in a small group": a group
        if kind == "direct" and draft.deliverer == "school_staff":
            kind = "indirect"  # a TA's 1:1 session on the SaLT's targets is the therapist's programme
        draft.kind = kind
        draft.evidence["kind"] = _evidence(text, chosen.start, chosen.end)
    elif found.recipients and any(_deliverer_of(r) in ("school_staff", None) for r in found.recipients):
        draft.kind = "training"  # "two Makaton sessions for parents"
    elif draft.deliverer == "school_staff" or (found.heads == 0 and draft.deliverer is None and _programme_like(found)):
        # School staff carry it out, or nothing names therapy or a therapist ("movement breaks",
        # "sessions ... following SaLT advice"): a programme, not therapy.
        draft.kind = "indirect"
    else:
        draft.kind = "direct"  # "the OT will see Finn fortnightly", "access to a speech and language therapist"


def _programme_like(found: _Found) -> bool:
    """No therapy or therapist is named as doing it: only a therapist whose advice or
    programme it follows, or no one at all and not even "sessions"."""
    roles = {m.role for m in found.discipline_mentions}
    if roles & {"deliver", "unknown", "modifier"}:
        return False
    return "design" in roles or not found.sessions_named


def _one_off_assessment(text: str, found: _Found, draft: ProvisionDraft) -> None:
    """ "OT assessment within the first half term": one assessment, unless left to discretion."""
    if draft.kind != "review" or draft.sessions is not None or "total_not_split" in draft.evidence:
        return
    first = found.kinds[0] if found.kinds else None
    if first is None or text[first.start:first.end].lower() not in _ONE_OFF_REVIEWS:
        return
    draft.sessions = 1
    draft.evidence["sessions"] = _evidence(text, first.start, first.end)
    if draft.period is None and found.span is not None:
        draft.period = found.span.period
        draft.evidence["period"] = _evidence(text, found.span.start, found.span.end)


def _deliverer_of(person: Mention) -> str | None:
    if person.what == "discipline":
        return "therapist"
    deliverer = person.value[0]
    return None if deliverer == "parent" else deliverer


def _discipline(mention: Mention | None) -> str | None:
    if mention is None:
        return None
    return mention.value[1] if mention.what == "person" else mention.value[0]


def _continue_from(previous: ProvisionDraft, draft: ProvisionDraft, how: str) -> None:
    """A later phase ("..., then once a week for 30 minutes") or a second thing the same person
    does ("... and to meet his class teacher every half term") keeps what it does not restate."""
    evidence = draft.evidence
    if how == "phase":
        if "kind" not in evidence and previous.kind is not None:
            draft.kind = previous.kind
        if draft.minutes is None and "total_not_split" not in evidence and previous.minutes is not None:
            draft.minutes = previous.minutes
            if "minutes" in previous.evidence:
                evidence["minutes"] = previous.evidence["minutes"]
    if draft.discipline is None and previous.discipline is not None:
        draft.discipline = previous.discipline
        if "discipline" in previous.evidence:
            evidence["discipline"] = previous.evidence["discipline"]
    if draft.deliverer is None and previous.deliverer is not None and how in ("phase", "subject"):
        draft.deliverer = previous.deliverer
        draft.qualification = previous.qualification
        for name in ("deliverer", "qualification"):
            if name in previous.evidence:
                evidence[name] = previous.evidence[name]


def _add_review(text: str, pieces: list[tuple[int, int]], facts: _ItemFacts, draft: ProvisionDraft) -> None:
    """The item's review point: the words of its review clause(s) and how often."""
    draft.review = "; ".join(text[start:end] for start, end in pieces)
    draft.evidence["review"] = _evidence(text, pieces[0][0], pieces[-1][1])
    for fact in facts.review:
        if isinstance(fact, SessionsFact) and fact.period is not None:
            draft.review_period = fact.period
            break


def _one_per_discipline(text: str, draft: ProvisionDraft, facts: _ItemFacts) -> list[ProvisionDraft]:
    """ "Weekly OT and physiotherapy sessions": the same provision from two services is two items."""
    named: dict[str, Mention] = {}
    for fact in facts.main:
        if isinstance(fact, Mention) and fact.what == "discipline" and fact.role in ("modifier", "deliver", "unknown", "review"):
            named.setdefault(fact.value[0], fact)
    if len(named) < 2:
        return [draft]
    out: list[ProvisionDraft] = []
    for discipline, mention in named.items():
        copy = replace(draft, discipline=discipline, evidence=dict(draft.evidence), reasons=[])
        copy.evidence["discipline"] = _evidence(text, mention.start, mention.end)
        out.append(copy)
    return out


def _inherit_disciplines(text: str, lexemes: list[Lexeme], drafts_: list[ProvisionDraft]) -> None:
    """An item that names no therapy ("plus a sensory diet delivered daily by a trained TA")
    belongs to the therapy named in the item before it (or, failing that, after it). A
    statement that names no therapy at all takes one only from words that belong to a single
    therapy (`vocabulary.DISCIPLINE_CUES`): the checker does not guess."""
    if all(d.discipline for d in drafts_):
        return
    source: ProvisionDraft | None = None
    for draft in drafts_:
        if draft.discipline is not None:
            source = draft
        elif source is not None:
            _take_discipline(draft, source)
    source = None
    for draft in reversed(drafts_):
        if draft.discipline is not None:
            source = draft
        elif source is not None:
            _take_discipline(draft, source)
    if any(d.discipline is None for d in drafts_):
        cue = _cue_discipline(text, lexemes)
        if cue is not None:
            for draft in drafts_:
                if draft.discipline is None:
                    draft.discipline = cue[0]
                    draft.evidence["discipline"] = cue[1]


def _cue_discipline(text: str, lexemes: list[Lexeme]) -> tuple[str, Evidence] | None:
    cues = v.DISCIPLINE_CUES
    for lexeme in lexemes:
        for word in text[lexeme[2]:lexeme[3]].lower().split():
            discipline = cues.get(word)
            if discipline is not None:
                return discipline, _evidence(text, lexeme[2], lexeme[3])
    return None


def _take_discipline(draft: ProvisionDraft, source: ProvisionDraft) -> None:
    draft.discipline = source.discipline
    if "discipline" in source.evidence:
        draft.evidence["discipline"] = source.evidence["discipline"]
