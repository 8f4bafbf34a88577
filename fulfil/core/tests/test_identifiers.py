"""Tests for ``fulfil.core.identifiers`` (NHS numbers, UPNs, URNs).

The module under test is checked against a reference implementation that lives
in this file and is deliberately written a different way:

* NHS check digit: weighted sum computed with running prefix sums rather than
  explicit weights, and validity tested as "full 10-weight sum is 0 mod 11";
* UPN check letter: explicit position loop over a letter table derived from
  ``string.ascii_uppercase`` minus I, O and S (and cross-checked against the
  table written out in the DfE guidance);
* validation: character-by-character membership tests against explicit ASCII
  sets (never ``str.isdigit`` / ``int()``, which both accept non-ASCII digits).

Where the brief leaves whitespace handling open (non-ASCII whitespace at the
ends, or internal whitespace in UPNs) the reference computes every reasonable
reading and the module may pick any of them; everything else must match exactly.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfil.core import identifiers
from fulfil.core.identifiers import IdentifierError

# Modest settings: the whole file should run in a few seconds. ``database=None``
# stops hypothesis writing a .hypothesis/ directory into the project.
MODEST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
BROAD = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --------------------------------------------------------------------------
# Reference implementation
# --------------------------------------------------------------------------

ASCII_DIGITS = "0123456789"
DIGIT_VALUE = {ch: value for value, ch in enumerate(ASCII_DIGITS)}
# Whitespace that every reasonable implementation strips from the ends.
ASCII_WS = " \t\n\r\x0b\x0c"

# UPN letters: the alphabet without I, O and S, in order, valued 0..22.
UPN_LETTERS = "".join(ch for ch in string.ascii_uppercase if ch not in "IOS")
UPN_LETTER_VALUE = {ch: value for value, ch in enumerate(UPN_LETTERS)}
FORBIDDEN_UPN_LETTERS = "IOS"


def ref_nhs_check_digit(first_nine: str) -> int | None:
    """Check digit for nine ASCII digits, or None when 11 - remainder is 10.

    Sum of the prefix sums P1..P9 counts digit i (1-based) 10 - i times;
    adding P9 once more gives weight 11 - i, i.e. 10, 9, ..., 2.
    The check digit c must make (weighted sum + c) == 0 (mod 11).
    """
    assert len(first_nine) == 9
    running = 0
    total = 0
    for ch in first_nine:
        running += DIGIT_VALUE[ch]
        total += running
    total += running
    needed = (-total) % 11
    return None if needed == 10 else needed


def _ref_nhs_core(compact: str) -> str | None:
    if len(compact) != 10:
        return None
    for ch in compact:
        if ch not in DIGIT_VALUE:
            return None
    acc = 0
    weight = 10
    for ch in compact:  # weights 10, 9, ..., 2 and 1 for the check digit
        acc += weight * DIGIT_VALUE[ch]
        weight -= 1
    return compact if acc % 11 == 0 else None


def ref_nhs_readings(value: str) -> set[str | None]:
    """Every acceptable outcome (normalised digits, or None = rejected)."""
    outcomes = set()
    for trimmed in (value.strip(ASCII_WS), value.strip()):
        outcomes.add(_ref_nhs_core(trimmed.replace(" ", "")))
    return outcomes


def ref_upn_check_letter(last_twelve: str) -> str:
    assert len(last_twelve) == 12
    total = 0
    for position in range(2, 14):
        ch = last_twelve[position - 2]
        value = DIGIT_VALUE[ch] if ch in DIGIT_VALUE else UPN_LETTER_VALUE[ch]
        total += position * value
    return UPN_LETTERS[total % 23]


def _ref_upn_core(candidate: str) -> str | None:
    upper = candidate.upper()
    if len(upper) != 13:
        return None
    if upper[0] not in UPN_LETTER_VALUE:
        return None
    for ch in upper[1:12]:
        if ch not in DIGIT_VALUE:
            return None
    if upper[12] not in DIGIT_VALUE and upper[12] not in UPN_LETTER_VALUE:
        return None
    if ref_upn_check_letter(upper[1:]) != upper[0]:
        return None
    return upper


def ref_upn_readings(value: str) -> set[str | None]:
    outcomes = set()
    for trimmed in (value.strip(ASCII_WS), value.strip(), "".join(value.split())):
        outcomes.add(_ref_upn_core(trimmed))
    return outcomes


def _ref_urn_core(candidate: str) -> str | None:
    if len(candidate) not in (6, 7):
        return None
    for ch in candidate:
        if ch not in DIGIT_VALUE:
            return None
    return candidate


def ref_urn_readings(value: str) -> set[str | None]:
    # The brief does not say whether URNs are trimmed, so untrimmed is allowed too.
    return {_ref_urn_core(v) for v in (value, value.strip(ASCII_WS), value.strip())}


def assert_rejected(func, value):
    with pytest.raises(IdentifierError) as info:
        func(value)
    assert str(info.value).strip(), f"empty error message for {value!r}"
    return info.value


def outcome_of(func, value):
    """Return the normalised value, or None if the module raised IdentifierError.

    Any other exception (IndexError, TypeError, KeyError...) propagates and fails.
    """
    try:
        result = func(value)
    except IdentifierError as exc:
        assert str(exc).strip(), f"empty error message for {value!r}"
        return None
    assert type(result) is str
    return result


# --------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------

nine_digits = st.text(alphabet=ASCII_DIGITS, min_size=9, max_size=9)


@st.composite
def valid_nhs_numbers(draw) -> str:
    first_nine = draw(nine_digits.filter(lambda s: ref_nhs_check_digit(s) is not None))
    return first_nine + str(ref_nhs_check_digit(first_nine))


@st.composite
def upn_bodies(draw, temporary: bool | None = None) -> str:
    """Characters 2-13: LA (3), establishment (4), year (2), serial (3)."""
    la = draw(st.text(alphabet=ASCII_DIGITS, min_size=3, max_size=3))
    establishment = draw(st.text(alphabet=ASCII_DIGITS, min_size=4, max_size=4))
    year = draw(st.text(alphabet=ASCII_DIGITS, min_size=2, max_size=2))
    serial = draw(st.text(alphabet=ASCII_DIGITS, min_size=2, max_size=2))
    if temporary is None:
        temporary = draw(st.booleans())
    last = draw(st.sampled_from(UPN_LETTERS if temporary else ASCII_DIGITS))
    return la + establishment + year + serial + last


@st.composite
def valid_upns(draw, temporary: bool | None = None) -> str:
    body = draw(upn_bodies(temporary))
    return ref_upn_check_letter(body) + body


# Non-ASCII characters that str.isdigit() accepts. Decimal digits (Nd) also
# pass int(); superscripts and circled digits pass isdigit() but not int().
NON_ASCII_DIGIT_ZEROS = [
    0x0660,  # Arabic-Indic
    0x06F0,  # Extended Arabic-Indic
    0x0966,  # Devanagari
    0x09E6,  # Bengali
    0x0E50,  # Thai
    0xFF10,  # Fullwidth
    0x1D7CE,  # Mathematical bold
]
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CIRCLED_DIGITS = "⓪①②③④⑤⑥⑦⑧⑨"


def lookalike_digits(digit: str) -> list[str]:
    d = DIGIT_VALUE[digit]
    chars = [chr(zero + d) for zero in NON_ASCII_DIGIT_ZEROS]
    chars += [SUPERSCRIPT_DIGITS[d], CIRCLED_DIGITS[d]]
    for ch in chars:
        assert ch.isdigit() and ch not in ASCII_DIGITS
    return chars


@st.composite
def with_lookalike_digits(draw, base: str, positions: list[int]) -> str:
    """Replace at least one ASCII digit (at one of ``positions``) by a look-alike."""
    chosen = draw(st.sets(st.sampled_from(positions), min_size=1, max_size=len(positions)))
    chars = list(base)
    for index in chosen:
        chars[index] = draw(st.sampled_from(lookalike_digits(chars[index])))
    return "".join(chars)


MUTATION_ALPHABET = (
    ASCII_DIGITS
    + string.ascii_uppercase
    + "aghiostz"
    + " \t\n-./"
    + "\u00a0\u3000\u200b"
    + "٣۴५০๕５𝟗²①"
    + "ıſK"  # dotless i, long s, Kelvin sign
)


@st.composite
def mutated(draw, base_strategy) -> str:
    """A valid identifier with 0-3 random edits: replace, insert, delete, swap, recase."""
    chars = list(draw(base_strategy))
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "swap", "lower", "pad"]))
        if op == "insert" or not chars:
            chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(MUTATION_ALPHABET)))
            continue
        index = draw(st.integers(0, len(chars) - 1))
        if op == "replace":
            chars[index] = draw(st.sampled_from(MUTATION_ALPHABET))
        elif op == "delete":
            del chars[index]
        elif op == "swap" and index + 1 < len(chars):
            chars[index], chars[index + 1] = chars[index + 1], chars[index]
        elif op == "lower":
            chars[index] = chars[index].lower()
        elif op == "pad":
            chars.insert(0, draw(st.sampled_from(" \t\n\u00a0")))
    return "".join(chars)


ascii_ws_padding = st.text(alphabet=ASCII_WS, max_size=3)


# --------------------------------------------------------------------------
# Sanity checks on the reference itself
# --------------------------------------------------------------------------


def test_reference_letter_table_matches_dfe_guidance():
    # A=0 B=1 C=2 D=3 E=4 F=5 G=6 H=7 J=8 K=9 L=10 M=11 N=12 P=13 Q=14 R=15
    # T=16 U=17 V=18 W=19 X=20 Y=21 Z=22
    assert UPN_LETTERS == "ABCDEFGHJKLMNPQRTUVWXYZ"
    assert len(UPN_LETTERS) == 23
    assert UPN_LETTER_VALUE["J"] == 8 and UPN_LETTER_VALUE["P"] == 13
    assert UPN_LETTER_VALUE["T"] == 16 and UPN_LETTER_VALUE["Z"] == 22


@MODEST
@given(nine_digits)
def test_reference_prefix_sum_equals_explicit_weights(first_nine):
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    expected = None if check == 10 else (0 if check == 11 else check)
    assert ref_nhs_check_digit(first_nine) == expected


def test_identifier_error_is_value_error():
    assert issubclass(IdentifierError, ValueError)


# --------------------------------------------------------------------------
# NHS number: worked examples
# --------------------------------------------------------------------------


def test_nhs_worked_example_9434765919():
    # 9x10 + 4x9 + 3x8 + 4x7 + 7x6 + 6x5 + 5x4 + 9x3 + 1x2
    # = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299
    # 299 = 27x11 + 2, remainder 2, check = 11 - 2 = 9
    assert identifiers.nhs_number_check_digit("943476591") == 9
    assert identifiers.normalise_nhs_number("9434765919") == "9434765919"
    assert identifiers.normalise_nhs_number("943 476 5919") == "9434765919"
    assert identifiers.is_valid_nhs_number("943 476 5919") is True
    assert identifiers.is_valid_nhs_number("9434765918") is False
    assert_rejected(identifiers.normalise_nhs_number, "9434765918")


def test_nhs_test_range_example_9990000018():
    # 9x10 + 9x9 + 9x8 + 0x7 + 0x6 + 0x5 + 0x4 + 0x3 + 1x2
    # = 90 + 81 + 72 + 0 + 0 + 0 + 0 + 0 + 2 = 245
    # 245 = 22x11 + 3, remainder 3, check = 11 - 3 = 8
    assert identifiers.nhs_number_check_digit("999000001") == 8
    assert identifiers.normalise_nhs_number("  999 000 0018\n") == "9990000018"
    assert identifiers.is_valid_nhs_number("9990000018") is True


def test_nhs_check_digit_eleven_becomes_zero():
    # 9x10 + 9x9 + 9x8 + 0 + 0 + 0 + 0 + 0 + 5x2 = 90 + 81 + 72 + 10 = 253
    # 253 = 23x11 + 0, remainder 0, check = 11 - 0 = 11 -> 0
    assert identifiers.nhs_number_check_digit("999000005") == 0
    assert identifiers.normalise_nhs_number("9990000050") == "9990000050"
    assert identifiers.is_valid_nhs_number("9990000051") is False


def test_nhs_check_digit_ten_means_no_valid_number():
    # 9x10 + 9x9 + 9x8 + 1x7 + 2x6 + 3x5 + 4x4 + 5x3 + 6x2
    # = 90 + 81 + 72 + 7 + 12 + 15 + 16 + 15 + 12 = 320
    # 320 = 29x11 + 1, remainder 1, check = 11 - 1 = 10 -> invalid
    assert identifiers.nhs_number_check_digit("999123456") is None
    for last in ASCII_DIGITS:
        assert identifiers.is_valid_nhs_number("999123456" + last) is False
    # "999 123 4560" is nicely formatted but has no valid check digit.
    assert_rejected(identifiers.normalise_nhs_number, "999 123 4560")


def test_nhs_non_ascii_digit_examples_rejected():
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "9434765919")  # ٩٤٣٤٧٦٥٩١٩
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in "9434765919")  # ９４３４７６５９１９
    assert arabic_indic.isdigit() and fullwidth.isdigit()
    for value in (arabic_indic, fullwidth, "943476591" + "٩", "９434765919"):
        assert identifiers.is_valid_nhs_number(value) is False
        assert_rejected(identifiers.normalise_nhs_number, value)


def test_nhs_wrong_length_and_junk_examples():
    for value in ("", "   ", "943476591", "94347659190", "943-476-5919", "943\t476\t5919",
                  "943\u00a0476\u00a05919", "abcdefghij", "+9434765919"):
        assert identifiers.is_valid_nhs_number(value) is False
        assert_rejected(identifiers.normalise_nhs_number, value)


# --------------------------------------------------------------------------
# NHS number: properties
# --------------------------------------------------------------------------


@MODEST
@given(nine_digits)
def test_nhs_check_digit_matches_reference(first_nine):
    got = identifiers.nhs_number_check_digit(first_nine)
    expected = ref_nhs_check_digit(first_nine)
    assert got == expected
    if expected is not None:
        assert type(got) is int


@MODEST
@given(nine_digits)
def test_nhs_check_digit_round_trip(first_nine):
    check = identifiers.nhs_number_check_digit(first_nine)
    validity = [identifiers.is_valid_nhs_number(first_nine + d) for d in ASCII_DIGITS]
    if check is None:
        assert not any(validity)
    else:
        # exactly one final digit works, and it is the computed check digit
        assert validity == [d == check for d in range(10)]
        assert identifiers.normalise_nhs_number(first_nine + str(check)) == first_nine + str(check)


@MODEST
@given(valid_nhs_numbers(), st.data())
def test_nhs_spaces_and_outer_whitespace_accepted(number, data):
    pieces = [data.draw(st.text(alphabet=" ", max_size=2)) + digit for digit in number]
    formatted = (
        data.draw(ascii_ws_padding) + "".join(pieces) + data.draw(ascii_ws_padding)
    )
    assert identifiers.normalise_nhs_number(formatted) == number
    assert identifiers.is_valid_nhs_number(formatted) is True
    # 3-3-4 house style
    assert identifiers.normalise_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}") == number


@MODEST
@given(valid_nhs_numbers(), st.integers(1, 9), st.sampled_from(["\t", "\u00a0", "\u3000", "-", "."]))
def test_nhs_internal_separators_other_than_space_rejected(number, cut, separator):
    value = number[:cut] + separator + number[cut:]
    assert identifiers.is_valid_nhs_number(value) is False
    assert_rejected(identifiers.normalise_nhs_number, value)


@MODEST
@given(valid_nhs_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_nhs_single_digit_substitution_always_detected(number, position, shift):
    new_digit = str((int(number[position]) + shift) % 10)  # always a different digit
    corrupted = number[:position] + new_digit + number[position + 1:]
    assert corrupted != number
    assert identifiers.is_valid_nhs_number(corrupted) is False
    assert_rejected(identifiers.normalise_nhs_number, corrupted)


@MODEST
@given(valid_nhs_numbers(), st.data())
def test_nhs_adjacent_transposition_detected(number, data):
    swappable = [i for i in range(9) if number[i] != number[i + 1]]
    if not swappable:  # e.g. 0000000000 -- nothing to transpose
        return
    i = data.draw(st.sampled_from(swappable))
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
    assert identifiers.is_valid_nhs_number(swapped) is False
    assert_rejected(identifiers.normalise_nhs_number, swapped)


@MODEST
@given(valid_nhs_numbers().flatmap(lambda n: with_lookalike_digits(n, list(range(10)))))
def test_nhs_non_ascii_digits_rejected(value):
    assert identifiers.is_valid_nhs_number(value) is False
    assert_rejected(identifiers.normalise_nhs_number, value)


@MODEST
@given(valid_nhs_numbers(), st.data())
def test_nhs_wrong_length_rejected(number, data):
    if data.draw(st.booleans()):
        value = number[: data.draw(st.integers(0, 9))]
    else:
        value = number + data.draw(st.text(alphabet=ASCII_DIGITS, min_size=1, max_size=5))
    assert identifiers.is_valid_nhs_number(value) is False
    assert_rejected(identifiers.normalise_nhs_number, value)


@BROAD
@given(st.one_of(st.text(), mutated(valid_nhs_numbers()),
                 st.text(alphabet=ASCII_DIGITS + " ", min_size=9, max_size=14)))
def test_nhs_agrees_with_reference_on_arbitrary_strings(value):
    acceptable = ref_nhs_readings(value)
    got = outcome_of(identifiers.normalise_nhs_number, value)
    assert got in acceptable, f"{value!r}: module gave {got!r}, reference allows {acceptable!r}"
    assert identifiers.is_valid_nhs_number(value) is (got is not None)
    if got is not None:
        assert identifiers.normalise_nhs_number(got) == got  # idempotent


# --------------------------------------------------------------------------
# UPN: worked examples
# --------------------------------------------------------------------------


def test_upn_worked_example_permanent():
    # Body 201 2001 15 001 (LA 201, establishment 2001, year 15, serial 001)
    # 2x2 + 0x3 + 1x4 + 2x5 + 0x6 + 0x7 + 1x8 + 1x9 + 5x10 + 0x11 + 0x12 + 1x13
    # = 4 + 0 + 4 + 10 + 0 + 0 + 8 + 9 + 50 + 0 + 0 + 13 = 98
    # 98 = 4x23 + 6, remainder 6 -> G
    assert identifiers.upn_check_letter("201200115001") == "G"
    assert identifiers.normalise_upn("G201200115001") == "G201200115001"
    assert identifiers.normalise_upn("  g201200115001\n") == "G201200115001"
    assert identifiers.is_valid_upn("G201200115001") is True
    assert identifiers.is_temporary_upn("G201200115001") is False
    for wrong in "ABCDEFHJKLMNPQRTUVWXYZ":
        assert identifiers.is_valid_upn(wrong + "201200115001") is False


def test_upn_worked_example_temporary_letter_a():
    # 2x2 + 0x3 + 1x4 + 2x5 + 0x6 + 0x7 + 1x8 + 1x9 + 5x10 + 0x11 + 0x12 + A(0)x13
    # = 4 + 0 + 4 + 10 + 0 + 0 + 8 + 9 + 50 + 0 + 0 + 0 = 85
    # 85 = 3x23 + 16, remainder 16 -> T
    assert identifiers.upn_check_letter("20120011500A") == "T"
    assert identifiers.normalise_upn("T20120011500A") == "T20120011500A"
    assert identifiers.normalise_upn("t20120011500a") == "T20120011500A"
    assert identifiers.is_temporary_upn("T20120011500A") is True


def test_upn_worked_example_temporary_letter_z():
    # 9x2 + 3x3 + 8x4 + 1x5 + 2x6 + 3x7 + 4x8 + 2x9 + 3x10 + 0x11 + 0x12 + Z(22)x13
    # = 18 + 9 + 32 + 5 + 12 + 21 + 32 + 18 + 30 + 0 + 0 + 286 = 463
    # 463 = 20x23 + 3, remainder 3 -> D
    assert identifiers.upn_check_letter("93812342300Z") == "D"
    assert identifiers.is_valid_upn("D93812342300Z") is True
    assert identifiers.is_temporary_upn("D93812342300Z") is True
    # Same body with a digit in position 13 is a different (permanent) UPN:
    # 18 + 9 + 32 + 5 + 12 + 21 + 32 + 18 + 30 + 0 + 0 + 1x13 = 190
    # 190 = 8x23 + 6, remainder 6 -> G
    assert identifiers.upn_check_letter("938123423001") == "G"
    assert identifiers.is_temporary_upn("G938123423001") is False


def test_upn_edge_la_numbers_and_extremes():
    # All zeros: sum 0, remainder 0 -> A (LA 000 must not be rejected)
    assert identifiers.normalise_upn("A000000000000") == "A000000000000"
    # 0 x (2..12) + 1x13 = 13, remainder 13 -> P
    assert identifiers.normalise_upn("P000000000001") == "P000000000001"
    # All nines: 9 x (2+3+...+13) = 9 x 90 = 810 = 35x23 + 5, remainder 5 -> F
    assert identifiers.normalise_upn("F999999999999") == "F999999999999"


def test_upn_forbidden_letters_examples():
    for bad in "IOSios":
        # I, O, S are never check letters ...
        assert identifiers.is_valid_upn(bad + "201200115001") is False
        assert_rejected(identifiers.normalise_upn, bad + "201200115001")
        # ... and never valid in position 13, whatever the check letter.
        for check in UPN_LETTERS + "IOS":
            assert identifiers.is_valid_upn(check + "20120011500" + bad) is False
            assert identifiers.is_temporary_upn(check + "20120011500" + bad) is False


def test_upn_junk_examples():
    for value in ("", "G20120011500", "G2012001150011", "G2012001150O1", "2012001150011",
                  "G201200115001G", "Ｇ201200115001", "G２01200115001", "G201200115٠01",
                  "GG01200115001"):
        assert identifiers.is_valid_upn(value) is False
        assert_rejected(identifiers.normalise_upn, value)


# --------------------------------------------------------------------------
# UPN: properties
# --------------------------------------------------------------------------


@MODEST
@given(upn_bodies())
def test_upn_check_letter_matches_reference(body):
    assert identifiers.upn_check_letter(body) == ref_upn_check_letter(body)


@MODEST
@given(valid_upns(), ascii_ws_padding, ascii_ws_padding)
def test_upn_round_trip_and_case_and_padding(upn, before, after):
    assert identifiers.normalise_upn(upn) == upn
    assert identifiers.is_valid_upn(upn) is True
    assert identifiers.normalise_upn(before + upn.lower() + after) == upn
    assert identifiers.is_valid_upn(before + upn.lower() + after) is True


@MODEST
@given(valid_upns(temporary=True))
def test_upn_temporary_recognised(upn):
    assert upn[12] in UPN_LETTERS
    assert identifiers.is_valid_upn(upn) is True
    assert identifiers.is_temporary_upn(upn) is True
    assert identifiers.is_temporary_upn(upn.lower()) is True


@MODEST
@given(valid_upns(temporary=False))
def test_upn_permanent_not_temporary(upn):
    assert identifiers.is_valid_upn(upn) is True
    assert identifiers.is_temporary_upn(upn) is False


@MODEST
@given(valid_upns(temporary=True), st.data())
def test_upn_temporary_with_wrong_check_letter_is_not_temporary(upn, data):
    wrong = data.draw(st.sampled_from([c for c in UPN_LETTERS if c != upn[0]]))
    value = wrong + upn[1:]
    assert identifiers.is_valid_upn(value) is False
    assert identifiers.is_temporary_upn(value) is False
    assert_rejected(identifiers.normalise_upn, value)


def _last_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else identifiers._UPN_LETTER_VALUE[ch]


@MODEST
@given(valid_upns(), st.integers(0, 12), st.data())
def test_upn_any_single_character_substitution_detected(upn, position, data):
    if position == 0:
        pool = UPN_LETTERS
    elif position < 12:
        pool = ASCII_DIGITS
    else:
        # The last character of a temporary UPN is a letter that counts as its value in the
        # check-letter table (A = 0, B = 1, ...), so by the DfE's design '0' and 'A' there are
        # the same to the check letter: only a substitution that changes the value is caught.
        pool = [c for c in ASCII_DIGITS + UPN_LETTERS if _last_value(c) != _last_value(upn[position])]
    replacement = data.draw(st.sampled_from([c for c in pool if c != upn[position]]))
    corrupted = upn[:position] + replacement + upn[position + 1:]
    assert identifiers.is_valid_upn(corrupted) is False
    assert_rejected(identifiers.normalise_upn, corrupted)


@MODEST
@given(valid_upns(), st.data())
def test_upn_adjacent_transposition_detected(upn, data):
    swappable = [i for i in range(12) if upn[i] != upn[i + 1]]
    if not swappable:
        return
    i = data.draw(st.sampled_from(swappable))
    swapped = upn[:i] + upn[i + 1] + upn[i] + upn[i + 2:]
    assert identifiers.is_valid_upn(swapped) is False
    assert_rejected(identifiers.normalise_upn, swapped)


@MODEST
@given(valid_upns(), st.sampled_from([0, 12]), st.sampled_from("IOSios"))
def test_upn_i_o_s_rejected_in_letter_positions(upn, position, bad):
    value = upn[:position] + bad + upn[position + 1:]
    assert identifiers.is_valid_upn(value) is False
    assert identifiers.is_temporary_upn(value) is False
    assert_rejected(identifiers.normalise_upn, value)


@MODEST
@given(upn_bodies(temporary=False), st.sampled_from("IOS"))
def test_upn_i_o_s_never_accepted_as_temporary_letter(body, bad):
    # Whatever check letter is put in front, a body ending I/O/S is invalid.
    body = body[:11] + bad
    for check in UPN_LETTERS:
        assert identifiers.is_valid_upn(check + body) is False


@MODEST
@given(valid_upns().flatmap(lambda u: with_lookalike_digits(u, [i for i in range(1, 13)
                                                                if u[i] in ASCII_DIGITS])))
def test_upn_non_ascii_digits_rejected(value):
    assert identifiers.is_valid_upn(value) is False
    assert_rejected(identifiers.normalise_upn, value)


@MODEST
@given(valid_upns(), st.data())
def test_upn_wrong_length_rejected(upn, data):
    if data.draw(st.booleans()):
        value = upn[: data.draw(st.integers(0, 12))]
    else:
        value = upn + data.draw(st.text(alphabet=ASCII_DIGITS + UPN_LETTERS, min_size=1,
                                        max_size=3))
    assert identifiers.is_valid_upn(value) is False
    assert identifiers.is_temporary_upn(value) is False
    assert_rejected(identifiers.normalise_upn, value)


@BROAD
@given(st.one_of(st.text(), mutated(valid_upns()),
                 st.text(alphabet="ABGIOSTZagios0123456789 ", min_size=12, max_size=14)))
def test_upn_agrees_with_reference_on_arbitrary_strings(value):
    acceptable = ref_upn_readings(value)
    got = outcome_of(identifiers.normalise_upn, value)
    assert got in acceptable, f"{value!r}: module gave {got!r}, reference allows {acceptable!r}"
    assert identifiers.is_valid_upn(value) is (got is not None)
    assert identifiers.is_temporary_upn(value) is (got is not None and got[12] in UPN_LETTERS)
    if got is not None:
        assert identifiers.normalise_upn(got) == got  # idempotent


# --------------------------------------------------------------------------
# URN
# --------------------------------------------------------------------------


def test_urn_examples():
    assert identifiers.normalise_urn("100000") == "100000"
    assert identifiers.normalise_urn("1234567") == "1234567"
    for value in ("", "12345", "12345678", "12345a", "１２３４５６", "١٢٣٤٥٦", "12 3456", "-123456"):
        assert identifiers.is_valid_urn(value) is False
        assert_rejected(identifiers.normalise_urn, value)


@MODEST
@given(st.text(alphabet=ASCII_DIGITS, min_size=6, max_size=7))
def test_urn_six_or_seven_ascii_digits_accepted(urn):
    assert identifiers.normalise_urn(urn) == urn
    assert identifiers.is_valid_urn(urn) is True


@MODEST
@given(st.one_of(st.text(alphabet=ASCII_DIGITS, max_size=5),
                 st.text(alphabet=ASCII_DIGITS, min_size=8, max_size=12)))
def test_urn_wrong_length_rejected(value):
    assert identifiers.is_valid_urn(value) is False
    assert_rejected(identifiers.normalise_urn, value)


@MODEST
@given(st.text(alphabet=ASCII_DIGITS, min_size=6, max_size=7).flatmap(
    lambda u: with_lookalike_digits(u, list(range(len(u))))))
def test_urn_non_ascii_digits_rejected(value):
    assert identifiers.is_valid_urn(value) is False
    assert_rejected(identifiers.normalise_urn, value)


@BROAD
@given(st.one_of(st.text(), st.text(alphabet=ASCII_DIGITS + " a٣５", min_size=5, max_size=8)))
def test_urn_agrees_with_reference_on_arbitrary_strings(value):
    acceptable = ref_urn_readings(value)
    got = outcome_of(identifiers.normalise_urn, value)
    assert got in acceptable, f"{value!r}: module gave {got!r}, reference allows {acceptable!r}"
    assert identifiers.is_valid_urn(value) is (got is not None)


# --------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------

# Inputs that reach each kind of error (format, checksum, forbidden letters...).
_BAD_INPUTS = {
    "nhs": ["", "12345", "abcdefghij", "9434765918", "999 123 4560", "٩٤٣٤٧٦٥٩١٩"],
    "upn": ["", "G20120011500", "H201200115001", "I201200115001", "G20120011500I",
            "GG01200115001", "Ｇ201200115001"],
    "urn": ["", "12345", "12345678", "12345a", "１２３４５６"],
}
_EXAMPLE_PATTERNS = {
    "nhs": re.compile(r"(?<![\d])\d{3} ?\d{3} ?\d{4}(?![\d])"),
    "upn": re.compile(r"\b[A-Z]\d{11}[A-Z0-9]\b"),
    "urn": re.compile(r"(?<![\d])\d{6,7}(?![\d])"),
}
_REFERENCE_VALID = {
    "nhs": lambda v: ref_nhs_readings(v) != {None},
    "upn": lambda v: ref_upn_readings(v) != {None},
    "urn": lambda v: ref_urn_readings(v) != {None},
}
_NORMALISERS = {
    "nhs": identifiers.normalise_nhs_number,
    "upn": identifiers.normalise_upn,
    "urn": identifiers.normalise_urn,
}


@pytest.mark.parametrize("kind", ["nhs", "upn", "urn"])
def test_error_messages_are_plain_and_any_quoted_example_is_valid(kind):
    # A message that says "like X" must not show the user an X that would itself be rejected.
    for value in _BAD_INPUTS[kind]:
        message = str(assert_rejected(_NORMALISERS[kind], value))
        assert "Traceback" not in message and len(message) >= 10
        for example in _EXAMPLE_PATTERNS[kind].findall(message):
            assert _REFERENCE_VALID[kind](example), (
                f"error message for {value!r} quotes an invalid example {example!r}: {message!r}"
            )


def test_a_temporary_upns_last_letter_counts_as_its_table_value():
    # A = 0 in the check-letter table, so A00000000000A is the temporary twin of A000000000000.
    assert identifiers.is_valid_upn("A000000000000") and identifiers.is_valid_upn("A00000000000A")
    assert identifiers.is_temporary_upn("A00000000000A") and not identifiers.is_temporary_upn("A000000000000")
