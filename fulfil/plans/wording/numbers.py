"""Numbers as plans write them: digits, words ("six", "forty-five"), "once", "twice", halves.

Plans mix "6 x 45 min", "six 45-minute sessions", "one and a half hours" and "twice weekly"
in the same section, so the checker reads all of them the same way. Nothing here knows about
therapy; it only turns words into numbers.
"""

from __future__ import annotations

UNITS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
NUMBER_WORDS: dict[str, int] = {**UNITS, **TENS, "dozen": 12, "hundred": 100}

# "once a week", "twice termly": a count of sessions with no separate "times".
COUNT_WORDS: dict[str, int] = {"once": 1, "twice": 2, "thrice": 3}

# Digits longer than this are not a session count or a length in minutes (and Python refuses
# to convert very long digit strings, which a fuzzer will find).
MAX_DIGITS = 7


def digits_value(token: str) -> float | None:
    """The value of "6", "45" or "1.5"; None for anything too long to be a quantity."""
    whole, _, fraction = token.partition(".")
    if len(whole) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        return None
    return float(token) if fraction else int(whole)


def as_positive_int(value: float | None, *, ceiling: int) -> int | None:
    """A whole, positive number no bigger than `ceiling`, else None.

    Sessions and minutes are stored as small positive integers, so "1.5 sessions", "0" and
    "90000 minutes" are not readings the checker can stand behind.
    """
    if value is None or value <= 0 or value > ceiling:
        return None
    rounded = round(value)
    if abs(rounded - value) > 1e-9:
        return None
    return int(rounded)
