"""The words plans use for therapy provision, and what each one tells the checker.

Every word or phrase maps to a category (what kind of clue it is) and a value. The lexer looks
words up here once, so the parser never has to compare strings against long lists.
Multi-word phrases ("speech and language therapist", "as and when", "half-termly") are matched
longest first, which is what stops "speech and language" from being split at its "and".
"""

from __future__ import annotations

from typing import Any, Final

from fulfil.plans.wording.numbers import COUNT_WORDS, NUMBER_WORDS, TENS, UNITS

# Categories of clue. Plain strings: they show up readably in a debugger and in tests.
NUM: Final = "num"  # value: int | float
ART: Final = "art"  # "a", "an": one session, or "per" in "once a week"
COUNT: Final = "count"  # once / twice / thrice; value: int
HALF: Final = "half"
MIN: Final = "min"  # minute units
HOUR: Final = "hour"  # hour units
X: Final = "x"  # "6 x 45 min"
TIMES: Final = "times"
SESSION: Final = "session"  # session, lesson, visit, appointment, contact
FREQ: Final = "freq"  # weekly, daily...; value: (sessions, period)
PERIOD: Final = "period"  # week, term...; value: (period, plural)
PER: Final = "per"  # per, each, every, "/"
PERPERIOD: Final = "perperiod"  # "pw", "per annum": a period with its "per" built in; value: period
EVERY: Final = "every"
SEASON: Final = "season"  # autumn/spring/summer (a term by name: when, not how often)
DISC: Final = "disc"  # value: (discipline, form) form: therapy | person | abbr
PERSON: Final = "person"  # value: deliverer (therapist/assistant/school_staff/parent)
ASSISTANT: Final = "assistant"  # "assistant"/"technician" after a discipline
SERVICE: Final = "service"  # "service", "team", "department" after a discipline
QUAL: Final = "qual"
KIND: Final = "kind"  # value: kind
HEAD: Final = "head"  # "therapy", "input": names provision without saying which kind
VAGUE: Final = "vague"
DISCRETION: Final = "discretion"
CEILING: Final = "ceiling"
REVIEWV: Final = "reviewv"  # reviewed, monitored: a review clause starts
DELIVERV: Final = "deliverv"  # delivered, led, run, provided...
DESIGNV: Final = "designv"  # devised, set, designed, written, supervised...
SHAREV: Final = "sharev"  # shared, liaise: who it is shared with is not who delivers
BY: Final = "by"
WITH: Final = "with"
FROM: Final = "from"
FOR: Final = "for"
TO: Final = "to"
OF: Final = "of"
THE: Final = "the"  # the, this, these, their...: points back to something already named
AND: Final = "and"
OR: Final = "or"
COMMA: Final = "comma"
DASH: Final = "dash"
HARD: Final = "hard"  # ; . newline bullet: a break between sentences
SPLIT: Final = "split"  # plus, in addition, as well as: a new provision follows
BETWEEN: Final = "between"
SPAN: Final = "span"  # over / across / during / throughout / in
UNTIL: Final = "until"
ORD: Final = "ord"  # first, next, initial, following, remaining
WILL: Final = "will"  # will, should, must, to be: what follows is the verb
OPEN: Final = "open"
CLOSE: Final = "close"
WORD: Final = "word"
AMOUNT_WORD: Final = "amountword"  # total, totalling, in total
SKIP: Final = "skip"  # possessive "'s" and quotes: nothing the checker uses
REFER: Final = "refer"  # "in line with", "following", "as set out in": what follows is a source, not the provision
SCHOOL: Final = "school"  # "school", "setting": the school as a whole, a deliverer only as a subject ("School to...")
WEEKDAY: Final = "weekday"  # "every Monday and Thursday": sessions per week

# Words that bracket a review clause, a design clause and so on: sets for fast membership tests.
WEEK, FORTNIGHT, MONTH, HALF_TERM, TERM, YEAR, DAY = "week", "fortnight", "month", "half_term", "term", "year", "day"
# "daily" means each school day: five a week (the contract the labelled set follows).
SCHOOL_DAYS_PER_WEEK: Final = 5

# A word's value: its type depends on its category (a number, a (count, period) pair, a discipline's
# (name, form), a word), so the readers look at the category first and read the value as `Any`.
Value = Any
WORDS: dict[str, tuple[str, Value]] = {}
# Multi-word phrases as a trie keyed by word; the entry under TERMINAL is (category, value).
# A trie, not a list of phrases per first word, so matching costs one lookup per word read.
TERMINAL: Final = ""
PHRASES: dict[str, dict] = {}


def _word(category: str, value: Value, *words: str) -> None:
    for word in words:
        WORDS[word] = (category, value)


def _phrase(category: str, value: Value, *phrases: str) -> None:
    for phrase in phrases:
        first, *rest = phrase.split()
        if not rest:
            WORDS[first] = (category, value)
            continue
        node = PHRASES.setdefault(first, {})
        for word in rest:
            if word == "-":
                continue  # the lexer reads through hyphens inside a phrase
            node = node.setdefault(word, {})
        node[TERMINAL] = (category, value)


for _word_text, _value in NUMBER_WORDS.items():
    _word(NUM, _value, _word_text)
for _tens, _tens_value in TENS.items():
    for _unit, _unit_value in UNITS.items():
        if _unit_value < 10:
            _phrase(NUM, _tens_value + _unit_value, f"{_tens} {_unit}")  # "forty-five", "forty five"
for _word_text, _value in COUNT_WORDS.items():
    _word(COUNT, _value, _word_text)

_word(ART, 1, "a", "an")
_word(HALF, 0.5, "half", "½")
_word(MIN, 1, "min", "mins", "minute", "minutes", "mts", "minuten")
_word(HOUR, 60, "hour", "hours", "hr", "hrs", "h")
_word(X, None, "x", "×")
_word(TIMES, None, "times", "time")
_word(SESSION, None, "session", "sessions", "lesson", "lessons", "appointment", "appointments", "visit", "visits",
      "contact", "contacts", "slot", "slots", "episode", "episodes")

_word(FREQ, (1, WEEK), "weekly", "wkly")
_word(FREQ, (SCHOOL_DAYS_PER_WEEK, WEEK), "daily")
_word(FREQ, (1, FORTNIGHT), "fortnightly", "biweekly")
_word(FREQ, (1, MONTH), "monthly")
_word(FREQ, (1, HALF_TERM), "halftermly")
_word(FREQ, (1, TERM), "termly")
_word(FREQ, (1, YEAR), "annually", "yearly", "annual")
_phrase(FREQ, (1, HALF_TERM), "half termly", "half term ly")
_phrase(FREQ, (1, FORTNIGHT), "bi weekly", "every other week", "every alternate week", "every second week", "alternate weeks")
_phrase(FREQ, (SCHOOL_DAYS_PER_WEEK, WEEK), "every day", "each day", "every school day", "each school day", "every morning",
        "every afternoon", "per day", "a day")
_phrase(PERPERIOD, WEEK, "pw", "p / w", "p / wk", "p . w", "p . w .")
_phrase(PERPERIOD, YEAR, "p / a", "per annum", "per academic year", "per school year")

_word(PERIOD, (WEEK, False), "week", "wk", "wks")
_word(PERIOD, (WEEK, True), "weeks")
_word(PERIOD, (FORTNIGHT, False), "fortnight")
_word(PERIOD, (FORTNIGHT, True), "fortnights")
_word(PERIOD, (MONTH, False), "month")
_word(PERIOD, (MONTH, True), "months")
_word(PERIOD, (TERM, False), "term")
_word(PERIOD, (TERM, True), "terms")
_word(PERIOD, (YEAR, False), "year", "yr", "annum")
_word(PERIOD, (YEAR, True), "years")
_word(PERIOD, (DAY, False), "day")
_word(PERIOD, (DAY, True), "days")
_phrase(PERIOD, (HALF_TERM, False), "half term", "halfterm")
_phrase(PERIOD, (HALF_TERM, True), "half terms", "halfterms")
_phrase(PERIOD, (YEAR, False), "academic year", "school year")
_phrase(PERIOD, (YEAR, True), "academic years", "school years")
_phrase(PERIOD, (DAY, False), "school day", "weekday")
_phrase(PERIOD, (WEEK, False), "school week")
_word(PER, None, "per", "each", "/")
_word(EVERY, None, "every")
_word(SEASON, None, "autumn", "spring", "summer")
_word(SCHOOL, None, "school", "setting", "nursery", "college", "academy")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
_word(WEEKDAY, False, *_WEEKDAYS)
_word(WEEKDAY, True, *(f"{day}s" for day in _WEEKDAYS))

# Disciplines. "abbr" forms name the therapy ("direct OT") or the therapist ("by the OT"),
# and the words around them decide which.
_phrase(DISC, ("salt", "therapy"), "speech and language therapy", "speech & language therapy", "speech and language",
        "speech & language", "speech therapy", "speech language therapy", "speech , language and communication therapy",
        "speech , language and communication", "language therapy")
_phrase(DISC, ("salt", "person"), "speech and language therapist", "speech and language therapists",
        "speech & language therapist", "speech & language therapists", "speech therapist", "speech therapists",
        "speech language therapist", "speech , language and communication therapist", "language therapist")
_phrase(DISC, ("salt", "abbr"), "salt", "slt", "salts", "slts", "s & lt", "s & l t", "s & l", "saltt")
_phrase(DISC, ("ot", "therapy"), "occupational therapy", "occupational")
_phrase(DISC, ("ot", "person"), "occupational therapist", "occupational therapists")
_phrase(DISC, ("ot", "abbr"), "ot", "ots")
_phrase(DISC, ("physio", "therapy"), "physiotherapy", "physical therapy", "physio therapy", "hydrotherapy", "hydro therapy")
_phrase(DISC, ("physio", "person"), "physiotherapist", "physiotherapists", "physical therapist", "physio therapist")
_phrase(DISC, ("physio", "abbr"), "physio", "physios", "pt")

# "the therapy service" or "therapy services" on their own name no one: plans use them for access, not delivery.
_phrase(PERSON, ("therapist", None), "therapist", "therapists", "clinician", "clinicians", "therapy staff")
_phrase(PERSON, ("assistant", None), "therapy assistant", "therapy assistants", "therapy technician", "technician", "technicians",
        "assistant practitioner", "therapy support worker", "rehabilitation assistant", "rehab assistant")
_phrase(PERSON, ("school_staff", None), "ta", "tas", "hlta", "hltas", "lsa", "lsas", "teaching assistant", "teaching assistants",
        "learning support assistant", "learning support assistants", "classroom assistant", "classroom assistants",
        "support assistant", "inclusion assistant", "teacher", "teachers", "class teacher", "senco", "sencos", "sendco",
        "school staff", "staff", "class staff", "support staff", "setting staff", "nursery staff", "trained adult",
        "trained adults", "key worker", "keyworker", "key adult", "practitioner", "practitioners", "learning mentor",
        "class team", "school team", "classroom staff", "teaching staff", "staff team",
        "assistant", "assistants", "support worker", "staff member", "member of staff", "members of staff")
_phrase(PERSON, ("parent", None), "parent", "parents", "carer", "carers", "family", "families", "parent / carer", "parents / carers")
# After a discipline these make a person ("OT assistant", "SLT service", "physio team"); on
# their own they mean what the second value says.
_word(ASSISTANT, ("school_staff", None), "assistant", "assistants")
_word(ASSISTANT, ("assistant", None), "technician", "technicians")
_word(SERVICE, None, "service", "services", "team", "teams", "department", "clinic")
_word(SERVICE, ("school_staff", None), "staff")

_phrase(QUAL, None, "hcpc registered", "hcpc", "rcslt registered", "rcslt", "registered", "specialist", "highly specialist",
        "chartered", "qualified", "trained", "senior", "experienced", "paediatric", "pediatric", "accredited",
        "certified", "appropriately trained", "suitably qualified", "appropriately qualified", "named", "band", "independent",
        "private", "nhs", "community", "locum", "agency", "registered")

_phrase(KIND, "direct", "direct", "directly", "individual", "individually", "one to one", "one on one", "1 : 1", "1 - 1",
        "1 to 1", "1 on 1", "1:1", "one - to - one", "face to face")
_phrase(KIND, "group", "group", "groups", "small group", "paired", "pair")
_phrase(KIND, "indirect", "indirect", "indirectly", "programme", "programmes", "program", "programs", "activities",
        "activity", "exercises", "exercise", "advice", "advise", "liaison", "liaise", "liaising", "strategies",
        "sensory diet", "diet", "circuits", "home programme", "targets set", "set targets", "setting targets",
        "set and review targets", "target setting", "recommendations", "guidelines", "handover", "stretches", "movement breaks",
        "sensory breaks", "brain breaks", "embedded", "approach", "approaches", "supports", "meet with", "meeting with",
        "meetings with", "liaison meeting", "liaison meetings")
_phrase(KIND, "training", "training", "train", "consultation", "consultations", "consult", "consulted", "workshop",
        "workshops", "coaching", "inset", "modelling", "demonstration")
_phrase(KIND, "review", "review", "reviews", "assessment", "assessments", "assess", "reassessment", "re assessment",
        "report", "reports", "observation", "observations", "screening", "evaluation")
_phrase(HEAD, None, "therapy", "therapies", "input", "intervention", "interventions", "treatment", "provision")

_phrase(VAGUE, None, "regular", "regularly", "access", "opportunities", "opportunity", "ongoing", "on going", "frequent",
        "frequently", "periodic", "periodically", "occasional", "occasionally", "involvement", "intermittent",
        "some", "several", "a few", "a number of", "sufficient", "consistent")

_DISCRETION_LEADS = ("as", "where", "when", "if", "whenever", "wherever", "deemed", "considered", "felt", "judged")
# "as advised by the OT" says whose advice the provision follows, not that the amount is optional:
# it is a source (REFER below), not discretion.
_DISCRETION_TAILS = ("appropriate", "required", "needed", "necessary", "determined", "possible", "agreed", "requested",
                     "suitable", "applicable")
_phrase(DISCRETION, None, *(f"{lead} {tail}" for lead in _DISCRETION_LEADS for tail in _DISCRETION_TAILS))
_phrase(DISCRETION, None, "as and when", "as & when", "at the discretion", "discretion", "according to need",
        "according to needs", "according to their needs", "dependent on need", "depending on need", "dependent on",
        "depending on", "based on need", "based on needs", "in line with need", "in line with needs", "subject to",
        "flexible", "flexibly", "as the therapist", "if appropriate", "as they see fit", "as deemed", "if deemed",
        "where deemed", "as felt", "in response to need", "in response to needs", "when the need arises",
        "to be determined", "to be agreed", "to be confirmed", "to be decided", "to be set", "tbc", "tbd",
        "once targets are met", "once targets have been met", "when targets are met", "when targets have been met",
        "if progress is made", "as progress allows", "if there are", "if there is", "should there be", "in the event",
        "if concerns", "should concerns", "when available", "if available", "where available", "subject to availability",
        "as tolerated", "if tolerated")
# "as soon as possible" is about timing, not about how much is promised.
_phrase(WORD, None, "as soon as possible", "as possible")

_phrase(REFER, None, "in line with", "as set out in", "set out in", "as per", "according to", "in accordance with",
        "as outlined in", "outlined in", "as described in", "as detailed in", "as advised by", "as recommended by",
        "as recommended in", "as advised", "as recommended", "as directed by", "as specified in", "following", "based on")
_phrase(CEILING, None, "up to", "maximum", "max", "no more than", "not more than", "at most", "not exceeding",
        "not to exceed", "a maximum of", "upto")

_word(REVIEWV, None, "reviewed", "reviewing", "reassessed", "monitored", "monitoring", "monitor", "monitors", "evaluated",
      "updated", "revised", "checked", "check", "checks", "checking")
_phrase(REVIEWV, None, "re assessed", "re evaluated", "to review", "will review")
_phrase(DELIVERV, None, "delivered", "deliver", "delivering", "delivers", "led", "lead", "leads", "run", "runs", "provided",
        "provide", "provides", "carried out", "carry out", "facilitated", "facilitate", "implemented", "implement",
        "given", "undertaken", "conducted", "offered", "seen", "see", "sees", "work with", "working with", "works with",
        "supported", "completed")
_phrase(DESIGNV, None, "devised", "devise", "designed", "design", "set", "sets", "setting", "written", "write", "writes",
        "planned", "created", "developed", "prepared", "drawn up", "established", "modelled", "recommended", "prescribed",
        "specified",
        "advised", "supervised", "overseen", "oversee", "oversees", "guided", "informed", "agreed", "set up",
        "under the supervision of", "under the guidance of", "under the direction of", "under supervision of",
        "with guidance from", "with advice from", "in consultation with", "in collaboration with")
_phrase(SHAREV, None, "shared", "share", "sharing", "discussed", "discuss", "feedback", "feed back", "communicate",
        "communicated", "jointly")

_word(BY, None, "by")
_word(WITH, None, "with", "alongside")
_word(FROM, None, "from")
_word(FOR, None, "for")
_word(TO, None, "to")
_word(OF, None, "of")
_word(THE, None, "the", "this", "these", "those", "their", "his", "her", "its", "that", "such")
_word(AND, None, "and", "&")
_word(OR, None, "or")
_word(COMMA, None, ",")
_word(DASH, None, "-")
_word(HARD, None, ".", "!", "?")
_word(SPLIT, None, ";", "\n", "•", "·", "▪", "●", "◦", "|", "+")
_phrase(SPLIT, None, "plus", "in addition", "additionally", "as well as", "and also", ", also", "further to this",
        "followed by", "in addition to this", "on top of this", "then", "and then", ", then", "reducing to", "increasing to",
        "reduced to", "increased to", "dropping to", "moving to", "stepping down to", "and reducing to", ", reducing to")
_word(BETWEEN, None, "between")
_word(SPAN, None, "over", "across", "during", "throughout", "within", "in")
_word(UNTIL, None, "until", "till", "untill")
# ("following" is a REFER word: "following the physio programme".)
_word(ORD, None, "first", "next", "initial", "remaining", "last", "whole", "full", "same", "current")
_word(WILL, None, "will", "should", "must", "shall", "would", "can", "may", "to", "is", "are", "be")
_word(OPEN, None, "(", "[")
_word(CLOSE, None, ")", "]")
_phrase(AMOUNT_WORD, None, "total", "totalling", "totaling", "in total", "a total of", "overall", "altogether")

# "to" is both "to deliver" (a verb follows) and "training to staff"; the lexer keeps it as TO
# and the parser decides. WILL above lists "to" only so that the table documents the reading.
WORDS["to"] = (TO, None)

# "'s" is matched as a token of its own so possessives ("SaLT's", "{name}'s") can be skipped.
_word(SKIP, None, "'s", "'", '"', "`")

# Words a subject can be followed by that make it the one who receives: "The school will have access to...".
RECEIVING_VERBS: Final = frozenset({"have", "has", "receive", "receives", "get", "gets", "access", "attend", "attends", "benefit"})
# After "to be"/"will be", these make the subject the one who receives: "Parents to be offered training".
PASSIVE_RECEIVING: Final = frozenset({"offered", "given", "taught", "shown", "trained", "supported", "seen"})

# Words that belong to one therapy so plainly that a statement naming no therapy still says which
# ("communication therapy group", "a stretching programme", "a sensory diet"). Deliberately short:
# "fine motor" or "social skills" work is done by more than one service, so it names none.
DISCIPLINE_CUES: dict[str, str] = {
    "communication": "salt", "language": "salt", "speech": "salt",
    "sensory": "ot",
    "stretching": "physio", "stretches": "physio", "positioning": "physio", "postural": "physio", "standing": "physio",
    "gait": "physio", "hydrotherapy": "physio",
}


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


# One missing letter in a word the checker relies on ("sesions", "minuts", "fortnighly") is read
# as the word: plans are typed in a hurry. Only words of six letters or more, and only where
# the misspelling could come from one word alone, so that real words are not misread.
_TYPO_CATEGORIES = frozenset({SESSION, MIN, HOUR, FREQ, PERIOD, DISC, PERSON, KIND, HEAD, REVIEWV, DELIVERV, DESIGNV})
TYPOS: dict[str, tuple[str, Value]] = {}
_ambiguous: set[str] = set()
for _word_text, _entry in list(WORDS.items()):
    if len(_word_text) >= 6 and _word_text.isalpha() and _entry[0] in _TYPO_CATEGORIES:
        for _typo in _deletions(_word_text):
            if _typo in WORDS or _typo in PHRASES:
                continue
            if _typo in TYPOS and TYPOS[_typo] != _entry:
                _ambiguous.add(_typo)
            TYPOS.setdefault(_typo, _entry)
# English words that are also one letter short of a plan word ("early" is not "yearly").
_REAL_WORDS = frozenset({
    "early", "teaches", "raining", "guide", "caching", "greed", "cares", "moths", "writs", "rites", "asses", "panned",
    "planed", "pared", "aired", "deign", "deigned", "annul", "annal", "arent", "paren", "physis", "lesso", "revise",
})
for _typo in _ambiguous | (_REAL_WORDS & TYPOS.keys()):
    del TYPOS[_typo]


# One lookup per word for the lexer: (category, value, phrase trie node). Category is None for a
# word that only starts phrases ("in" of "in addition" is a SPAN word; "speech" is only a start).
LEXICON: dict[str, tuple[str | None, Value, dict | None]] = {}
for _word_text in WORDS.keys() | PHRASES.keys():
    _meaning: tuple[str | None, Value] = WORDS.get(_word_text, (None, None))
    LEXICON[_word_text] = (*_meaning, PHRASES.get(_word_text))
