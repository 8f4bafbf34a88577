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
        """Whether the person (or discipline) at i delivers, designs, receives or reviews, and
        where a qualifier before it starts (-1 if none).

        "devised by a SaLT" designs; "delivered by school staff", "with a speech and language
        therapist", "OT to carry out" deliver; "training for class staff", "advice to staff",
        "shared with the TA" receive; "direct OT" names the therapy, not a person ("modifier").
        The word before the person decides first, then what the person is the subject of, then
        the word after.
        """
        k, article, qual_start = self._word_before(i)
        before = self.lex[k][0] if k >= 0 else None
        if before in (v.DESIGNV, v.REFER):
            return self._designer(i), qual_start  # "as recommended in the OT report", "following the physiotherapy programme"
        if form == "therapy":
            return "modifier", qual_start
        role = (self._role_by_form(i, form, k, article, qual_start >= 0)
                or self._role_after_word_before(i, k) or self._role_by_verb(i))
        return role, qual_start

    def _word_before(self, i: int) -> tuple[int, bool, int]:
        """The word before the person at i that says what the person is to the sentence,
        looking back past articles, qualifiers ("a qualified", "2 trained"), words that do not
        change who the person is ("all staff", "Maya's parents") and "a member of" (the team
        delivers): its index (-1 at the start), whether an article was passed, and where the
        qualifier starts (-1 if none)."""
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
        return k, article, qual_start

    def _role_by_form(self, i: int, form: str, k: int, article: bool, qualified: bool) -> str | None:
        """What the form of the mention says: "staff training", "parent training" receive; an
        abbreviation at the start of a line followed by what it does is the therapist ("SLT 1:1
        twice weekly", "SLT training to staff"), but not a heading ("OT - 1:1 - 30 mins") nor
        "direct OT"; an abbreviation that names no person ("OT sessions", "SLT programme")
        names the therapy. None if the form leaves it to the words around it."""
        lex = self.lex
        before = lex[k][0] if k >= 0 else None
        after = self.cats[i + 1]
        if form == "person" and after == v.KIND and lex[i + 1][1] == "training":
            return "recipient"
        if form != "abbr":
            return None
        heading = any(mark in self.low[lex[i][3]:lex[i + 1][2]] for mark in ("-", ":")) if i + 1 < self.n else True
        leads = (before in (None, v.HARD, v.SPLIT) and not article and after == v.KIND and not heading
                 and lex[i + 1][1] in ("direct", "training") and self.word(i + 1) != "direct")
        if leads:
            return "deliver"
        subject_verb = self._subject_verb(i)
        names_person = article or qualified or before in (v.BY, v.WITH, v.FROM, v.FOR, v.DESIGNV, v.REFER) or (
            subject_verb is not None) or after in (v.DELIVERV, v.DESIGNV, v.REVIEWV)
        if not names_person or (after in (v.SESSION, v.HEAD, v.DISC, v.KIND) and subject_verb is None):
            return "modifier"
        return None

    def _role_after_word_before(self, i: int, k: int) -> str | None:
        """What the word before (at k) says: "the SLT or SLT assistant" names no one for
        certain; "by" delivers (or designs, or reviews); "with", "from" deliver; "for" receives;
        "of", "to", "shared with" receive. None if it says nothing."""
        before = self.lex[k][0] if k >= 0 else None
        if before == v.OR and k > 0 and self.lex[k - 1][0] in (v.PERSON, v.DISC):
            return "either"  # "by the SLT or SLT assistant": no one named for certain
        if before == v.BY:
            return self._role_after_by(i, k)
        if before == v.WITH or before == v.FROM:
            return self._role_after_with(i, k, before)
        if before == v.FOR:
            if self.cats[i + 1] == v.TO and self.cats[i + 2] in (v.DELIVERV, v.WORD):
                return "deliver"
            return "recipient"
        if before == v.TO and self.cats[k - 1] == v.VAGUE:
            return "deliver"  # "access to a speech and language therapist"
        if before == v.OF:
            received = self.cats[k - 1] == v.KIND and self.word(k - 1) in _RECEIVED_KINDS
            return "recipient" if received else "unknown"  # "training of staff"; "involvement of the SLT"
        if before in (v.TO, v.SHAREV) or (before == v.KIND and self.word(k) in _RECEIVED_KINDS):
            return "recipient"  # "advice to staff", "train staff"
        return None

    def _role_after_by(self, i: int, k: int) -> str:
        """ "devised by", "supervised by" design (school staff still deliver); "reviewed by",
        "reviewed annually by" review; any other "by" delivers."""
        by_what = self.cats[k - 1]
        if by_what in (v.DESIGNV, v.QUAL) or (by_what == v.AND and self.cats[k - 2] == v.DESIGNV):
            return self._designer(i)
        if by_what == v.REVIEWV or (by_what == v.FREQ and self.cats[k - 2] == v.REVIEWV):
            return "review"
        return "deliver"

    def _role_after_with(self, i: int, k: int, before: str) -> str:
        """ "with the SLT", "from a physiotherapist" deliver; school staff or parents "with"
        whom something is shared, worked on together or received ("liaison with school staff",
        "training with the TA") receive it."""
        lex = self.lex
        deliverer = lex[i][1][0] if lex[i][0] == v.PERSON else "therapist"
        if before == v.WITH and deliverer in ("school_staff", "parent"):
            for m in range(max(0, k - 3), k):
                if lex[m][0] == v.SHAREV or (lex[m][0] == v.KIND and self.word(m) in _RECEIVED_KINDS) or (
                        lex[m][0] == v.WORD and lex[m][1] in _RECIPIENT_CUES):
                    return "recipient"
        return "deliver"

    def _role_by_verb(self, i: int) -> str:
        """What the person is the subject of ("OT to carry out", "The SLT will review",
        "Parents will have access"), or else the verb straight after ("SLT delivered",
        "OT devised"); "unknown" if neither says."""
        subject_verb = self._subject_verb(i)
        if subject_verb is not None:
            if subject_verb == v.DESIGNV:
                return "design"
            if subject_verb == v.REVIEWV:
                return "review"
            if subject_verb == "receive":
                return "recipient"
            return "deliver"
        after = self.cats[i + 1]
        if after == v.DELIVERV:
            return "deliver"
        if after == v.DESIGNV:
            return "design"
        if after == v.KIND and self.lex[i + 1][1] == "training":
            return "recipient"
        return "unknown"

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
