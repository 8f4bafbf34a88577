"""Who and what a statement names: disciplines, people and their roles, kinds of provision.

Part of the scanner (`scan.Scanner` inherits these handlers). A person's role decides whether
they are the item's deliverer: "devised by a SaLT" designs, "delivered by school staff" and
"OT to carry out..." deliver, "training for class staff" and "advice to staff" receive.
"""

from __future__ import annotations

from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.facts import Fact, Mention
from fulfil.plans.wording.lexer import Lexeme

_RECIPIENT_CUES: Final = frozenset({"work", "working", "works", "together", "jointly", "joint"})

# Words between an article and a person that do not change who the person is ("all staff").
_PERSON_ADJECTIVES: Final = frozenset({"all", "any", "both", "new", "relevant", "other", "additional", "same", "own", "usual"})

# "liaison with school staff", "training with the TA": staff receive these, they don't deliver them.
_RECEIVED_KINDS: Final = frozenset({
    "liaison", "liaise", "liaising", "advice", "advise", "consultation", "consultations", "consult", "training", "train",
    "coaching", "modelling", "demonstration", "workshop", "workshops", "meet with", "meeting with", "meetings with",
    "liaison meeting", "liaison meetings",
})


class PeopleReader:
    """The mention handlers of the scanner. The statement-wide flags they set are slots here;
    the rest of the state lives on `scan.Scanner`, which sets every flag to False first."""

    __slots__ = ("has_review", "has_discretion", "has_trainees")
    lex: list[Lexeme]
    cats: list[str | None]
    n: int
    low: str
    facts: list[Fact]
    used: bytearray
    has_review: bool
    has_discretion: bool
    has_trainees: bool

    def word(self, i: int) -> str:
        lexeme = self.lex[i]
        return self.low[lexeme[2]:lexeme[3]]

    def on_refer(self, i: int) -> None:
        """ "in line with the SaLT's guidelines", "following the physio programme": the words
        after this name a source. Its kind words are not the provision's kind."""
        m = i + 1
        while m < self.n and m - i <= 5 and self.lex[m][0] in (v.THE, v.ART, v.DISC, v.PERSON, v.QUAL, v.WORD, v.KIND):
            if self.lex[m][0] == v.KIND:
                self.used[m] = 1
                break
            m += 1

    def on_school(self, i: int) -> None:
        """ "School to implement...", "The setting will deliver...": the school's staff deliver."""
        lex = self.lex
        if self.cats[i + 1] in (v.WILL, v.TO):
            role, _ = self.person_role(i, "person")
            if role in ("deliver", "design", "recipient", "review"):
                self.facts.append(Mention("person", ("school_staff", None), i, lex[i][2], lex[i][3], role))

    def on_mention(self, i: int) -> None:
        lex = self.lex
        category, value, start, end = lex[i]
        if category == v.KIND and value == "review":
            self.has_review = True
            if self.cats[i - 1] in (v.WILL, v.TO):
                category = v.REVIEWV  # "will review", "to assess": a verb, like "reviewed"
        if category == v.DISC:
            role, qual_start = self.person_role(i, value[1])  # form: therapy | person | abbr
            self.facts.append(Mention("discipline", value, i, start, end, role, qual_start))
        elif category == v.PERSON:
            role, qual_start = self.person_role(i, "person")
            self.facts.append(Mention("person", value, i, start, end, role, qual_start))
            if role == "recipient" and value[0] in ("school_staff", "parent"):
                self.has_trainees = True
        elif category == v.KIND:
            self.facts.append(Mention("kind", value, i, start, end))
        elif category == v.DISCRETION:
            self.has_discretion = True
            self.facts.append(Mention("discretion", None, i, start, end))
        elif category == v.VAGUE:
            self.facts.append(Mention("vague", None, i, start, end))
        elif category in (v.REVIEWV, v.HEAD, v.SESSION):
            self.has_review = self.has_review or category == v.REVIEWV
            self.facts.append(Mention(category, self.word(i), i, start, end))

    def person_role(self, i: int, form: str) -> tuple[str, int]:
        """Whether the person (or discipline) at i delivers, designs, receives or reviews.

        "devised by a SaLT" designs; "delivered by school staff", "with a speech and language
        therapist", "OT to carry out" deliver; "training for class staff", "advice to staff",
        "shared with the TA" receive; "direct OT" names the therapy, not a person ("modifier").
        """
        lex = self.lex
        k = i - 1
        article = False
        qual_start = -1
        while k >= 0 and i - k <= 7:
            category = lex[k][0]
            if category == v.QUAL:
                qual_start = lex[k][2]
            elif category in (v.ART, v.THE):
                article = True
            elif category == v.OF and self.cats[k - 1] == v.WORD and lex[k - 1][1] in ("member", "members"):
                k -= 1  # "by a member of the SALT team": the team delivers
            elif category == v.WORD and (lex[k][1] in _PERSON_ADJECTIVES or self.low.startswith("'s", lex[k][3])):
                pass  # "all staff", "new staff", "Maya's parents"
            elif not (category == v.NUM and self.cats[k - 1] == v.QUAL):
                break
            k -= 1
        before = lex[k][0] if k >= 0 else None
        after = self.cats[i + 1]
        subject_verb = self._subject_verb(i)
        if before in (v.DESIGNV, v.REFER):
            return self._designer(i), qual_start  # "as recommended in the OT report", "following the physiotherapy programme"
        if form == "therapy":
            return "modifier", qual_start
        if form == "person" and after == v.KIND and lex[i + 1][1] == "training":
            return "recipient", qual_start  # "staff training", "parent training"
        if form == "abbr":
            # "SLT 1:1 twice weekly", "SLT training to staff": at the start of a line, an
            # abbreviation followed by what it does is the therapist (but not a heading such as
            # "OT - 1:1 - 30 mins", nor "direct OT").
            heading = any(mark in self.low[lex[i][3]:lex[i + 1][2]] for mark in ("-", ":")) if i + 1 < self.n else True
            leads = (before in (None, v.HARD, v.SPLIT) and not article and after == v.KIND and not heading
                     and lex[i + 1][1] in ("direct", "training") and self.word(i + 1) != "direct")
            if leads:
                return "deliver", qual_start
            names_person = article or qual_start >= 0 or before in (v.BY, v.WITH, v.FROM, v.FOR, v.DESIGNV, v.REFER) or (
                subject_verb is not None) or after in (v.DELIVERV, v.DESIGNV, v.REVIEWV)
            if not names_person or (after in (v.SESSION, v.HEAD, v.DISC, v.KIND) and subject_verb is None):
                return "modifier", qual_start
        if before == v.OR and k > 0 and lex[k - 1][0] in (v.PERSON, v.DISC):
            return "either", qual_start  # "by the SLT or SLT assistant": no one named for certain
        if before == v.BY:
            by_what = self.cats[k - 1]
            if by_what in (v.DESIGNV, v.QUAL) or (by_what == v.AND and self.cats[k - 2] == v.DESIGNV):
                return self._designer(i), qual_start
            if by_what == v.REVIEWV or (by_what == v.FREQ and self.cats[k - 2] == v.REVIEWV):
                return "review", qual_start
            return "deliver", qual_start
        if before == v.WITH or before == v.FROM:
            deliverer = lex[i][1][0] if lex[i][0] == v.PERSON else "therapist"
            if before == v.WITH and deliverer in ("school_staff", "parent"):
                for m in range(max(0, k - 3), k):
                    if lex[m][0] == v.SHAREV or (lex[m][0] == v.KIND and self.word(m) in _RECEIVED_KINDS) or (
                            lex[m][0] == v.WORD and lex[m][1] in _RECIPIENT_CUES):
                        return "recipient", qual_start
            return "deliver", qual_start
        if before == v.FOR:
            if after == v.TO and self.cats[i + 2] in (v.DELIVERV, v.WORD):
                return "deliver", qual_start
            return "recipient", qual_start
        if before == v.TO and self.cats[k - 1] == v.VAGUE:
            return "deliver", qual_start  # "access to a speech and language therapist"
        if before == v.OF:
            received = self.cats[k - 1] == v.KIND and self.word(k - 1) in _RECEIVED_KINDS
            return ("recipient" if received else "unknown"), qual_start  # "training of staff"; "involvement of the SLT"
        if before in (v.TO, v.SHAREV) or (before == v.KIND and self.word(k) in _RECEIVED_KINDS):
            return "recipient", qual_start  # "advice to staff", "train staff"
        if subject_verb is not None:
            if subject_verb == v.DESIGNV:
                return "design", qual_start
            if subject_verb == v.REVIEWV:
                return "review", qual_start
            if subject_verb == "receive":
                return "recipient", qual_start
            return "deliver", qual_start
        if after == v.DELIVERV:
            return "deliver", qual_start
        if after == v.DESIGNV:
            return "design", qual_start
        if after == v.KIND and lex[i + 1][1] == "training":
            return "recipient", qual_start
        return "unknown", qual_start

    def _subject_verb(self, i: int) -> str | None:
        """For "OT to carry out...", "The SLT will see...": the kind of verb the person is the
        subject of (a category, or "receive" for "will have access"); None if not a subject."""
        after = self.cats[i + 1]
        if after not in (v.WILL, v.TO):
            return None
        m = i + 2
        if after == v.WILL and self.cats[m] == v.WORD and self.lex[m][1] in v.RECEIVING_VERBS:
            return "receive"
        if m + 1 < self.n and self.cats[m] == v.WILL and self.word(m) == "be" and self.word(m + 1) in v.PASSIVE_RECEIVING:
            return "receive"  # "Parents to be offered training"
        while m < self.n and m - i <= 4 and self.cats[m] in (v.WORD, v.SHAREV, v.WILL) and self.lex[m][1] not in v.RECEIVING_VERBS:
            if self.cats[m] == v.WORD and not self.lex[m][1].endswith("ly") and self.lex[m][1] not in ("also", "then", "be"):
                break
            m += 1
        verb = self.cats[m]
        if verb in (v.DESIGNV, v.REVIEWV, v.DELIVERV):
            return verb
        if verb == v.KIND:
            return v.REVIEWV if self.lex[m][1] == "review" else v.DELIVERV
        if after == v.WILL or verb in (v.WORD, v.SHAREV):
            return v.DELIVERV
        return None

    def _designer(self, i: int) -> str:
        """School staff "supervised by"/"set up by" wording still deliver; therapists design."""
        lex = self.lex
        if lex[i][0] == v.PERSON and lex[i][1][0] == "school_staff":
            return "deliver"
        return "design"
