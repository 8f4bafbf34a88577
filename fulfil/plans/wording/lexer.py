"""Turn a provision statement into a list of clues (lexemes), each with its place in the text.

A lexeme is a plain tuple ``(category, value, start, end)``: category from `vocabulary`, the
value it carries (a number, a period, a discipline...), and the character span in the
statement it came from, so every field the checker reports can point at its own words.
Tuples rather than objects, and one pass over the words, because the checker reads millions
of lines and this is its innermost loop.
"""

from __future__ import annotations

import re
from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.numbers import TENS, UNITS, digits_value

Lexeme = tuple[str, v.Value, int, int]

# Digits (with an optional decimal part), runs of letters in any script, a possessive "'s",
# line breaks, or any other single visible character. Only ASCII digits count as numbers.
_TOKEN: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?|[^\W\d_]+|'s\b|\n|\S")

# Same-length replacements only, so offsets in the normalised text are offsets in the original.
_NORMALISE: Final = str.maketrans({
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00d7": "x", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\r": "\n",
    "\u2028": "\n", "\u2029": "\n", "\t": " ",
})

# A full stop after these is an abbreviation ("e.g.", "approx."), not the end of a sentence.
_ABBREVIATIONS: Final = frozenset({
    "e", "g", "i", "eg", "ie", "approx", "incl", "inc", "no", "mr", "mrs", "ms", "dr", "vs", "st", "p", "ks", "dept", "esp",
})
# Words that are numbers for the purpose of "two-three times" (a range).
_NUMERIC_WORDS: Final = frozenset(UNITS) | frozenset(TENS)
# "6-weekly" means every six weeks, not six weekly sessions.
_EVERY_N: Final = {
    ("weekly", 1): (1, v.WEEK), ("weekly", 2): (1, v.FORTNIGHT), ("monthly", 1): (1, v.MONTH), ("termly", 1): (1, v.TERM),
    ("yearly", 1): (1, v.YEAR),
}
_TERMINAL: Final = v.TERMINAL


def normalise(text: str) -> str:
    """Lower case with typographic dashes, quotes and multiplication signs made plain.

    A few characters change length when lower-cased (Turkish dotted I); for those the text is
    lowered one character at a time so that spans still line up with the original.
    """
    plain = text.translate(_NORMALISE)
    low = plain.lower()
    if len(low) != len(plain):
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in plain)
    return low


def lex(text: str) -> list[Lexeme]:
    """The clues in `text`, in order. Never raises for any string."""
    return lex_normalised(normalise(text))


def lex_normalised(low: str) -> list[Lexeme]:
    """The clues in text already passed through `normalise`."""
    words = _TOKEN.findall(low)
    count = len(words)
    find = low.find
    out: list[Lexeme] = []
    append = out.append
    lexicon_get = v.LEXICON.get
    typos_get = v.TYPOS.get
    # Each word's start is found from the end of the one before: the tokens cover the text in
    # order, so only spaces lie between them.
    position = 0
    i = 0
    while i < count:
        word = words[i]
        start = find(word, position)
        end = position = start + len(word)
        entry = lexicon_get(word)
        if entry is not None and entry[2] is not None:
            found = _longest_phrase(words, i, entry[2])
            if found is not None:
                (category, value), k = found
                for m in range(i + 1, k):
                    position = find(words[m], position) + len(words[m])
                _append(out, category, value, start, position, low)
                i = k
                continue
        i += 1
        if entry is None or entry[0] is None:
            if "0" <= word[0] <= "9":
                number = digits_value(word)
                append((v.NUM, number, start, end) if number is not None else (v.WORD, word, start, end))
                continue
            typo = typos_get(word) if entry is None else None
            if typo is None:
                append((v.WORD, word, start, end))
                continue
            category, value = typo
        else:
            category, value = entry[0], entry[1]
        if category in _SPECIAL:
            if category == v.SKIP:
                continue
            if category == v.DASH:
                # Between two numbers a hyphen is a range ("2-3 times"); elsewhere it joins words.
                if out and out[-1][0] == v.NUM and i < count and ("0" <= words[i][0] <= "9" or words[i] in _NUMERIC_WORDS):
                    append((v.DASH, None, start, end))
                continue
            if category == v.HARD:
                if word != "." or i < 2 or words[i - 2] not in _ABBREVIATIONS:
                    append((category, None, start, end))
                continue
            _append(out, category, value, start, end, low)
            continue
        append((category, value, start, end))
    return out


def _longest_phrase(words: list[str], i: int, node: dict) -> tuple[tuple[str, v.Value], int] | None:
    """The longest phrase of the lexicon that starts with the word at i (whose trie `node` is
    given), reading through hyphens: ((category, value), index after it), or None if no
    phrase ends. Walks the phrase trie as far as the words go."""
    found = None
    k = i + 1
    while k < len(words):
        following = words[k]
        if following == "-":
            k += 1
            continue
        step = node.get(following)
        if step is None:
            break
        node = step
        k += 1
        terminal = node.get(_TERMINAL)
        if terminal is not None:
            found = (terminal, k)
    return found


# Categories that need more than a lookup: skipped, joined with a neighbour, or context-dependent.
_SPECIAL: Final = frozenset({v.SKIP, v.DASH, v.HARD, v.ASSISTANT, v.SERVICE, v.FREQ, v.WORD})


def _append(out: list[Lexeme], category: str, value: v.Value, start: int, end: int, low: str) -> None:
    """Add a lexeme, joining it with the one before where the pair means something else:
    "OT assistant" is an assistant, "SLT service" a therapist, "6-weekly" every six weeks."""
    if category == v.ASSISTANT or category == v.SERVICE:
        if out:
            previous = out[-1]
            if previous[0] == v.DISC or (category == v.ASSISTANT and previous[0] == v.HEAD and low[previous[2]:previous[3]] == "therapy"):
                discipline = previous[1][0] if previous[0] == v.DISC else None
                deliverer = "assistant" if category == v.ASSISTANT else "therapist"
                out[-1] = (v.PERSON, (deliverer, discipline), previous[2], end)
                return
        if value is None:
            out.append((v.WORD, low[start:end], start, end))
        else:
            out.append((v.PERSON, value, start, end))
        return
    if category == v.WORD:
        out.append((category, low[start:end], start, end))  # a phrase kept as one word ("as soon as possible")
        return
    if category == v.FREQ and out:
        previous = out[-1]
        if previous[0] == v.NUM and "-" in low[previous[3]:start]:
            # Every N weeks or months that is not a period the ledger counts in ("every 6 weeks")
            # is one session with no period.
            every = _EVERY_N.get((low[start:end], previous[1]), (1, None))
            out[-1] = (v.FREQ, every, previous[2], end)
            return
    out.append((category, value, start, end))
