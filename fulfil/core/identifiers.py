"""Identifiers used for children and settings in England.

Pure functions, no Django, so the same checks run in forms, imports, the API and the demo
generator.

- NHS number: NHS Data Dictionary, "NHS Number" - 10 digits, the 10th a modulus 11 check digit.
- UPN: DfE "Unique pupil numbers (UPNs): guidance for schools and local authorities" - a check
  letter then 12 characters (LA number, establishment number, year, serial); a temporary UPN
  ends in a letter. Letters I, O and S are never used.
- URN: the DfE's unique reference number of an establishment (Get Information About Schools),
  6 or 7 digits.
"""

from __future__ import annotations


class IdentifierError(ValueError):
    """An identifier that cannot be right; the message says what to fix."""


_ASCII_DIGITS = frozenset("0123456789")

# DfE UPN check letters: remainder 0..22 -> letter. I, O and S are left out so they cannot be
# misread as 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_LETTER_VALUE = {letter: value for value, letter in enumerate(UPN_LETTERS)}


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() accepts Arabic-Indic and fullwidth digits; identifiers must be ASCII.
    return bool(value) and all(ch in _ASCII_DIGITS for ch in value)


# --- NHS number ------------------------------------------------------------------------------


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for the first nine digits, or None if no check digit works.

    Weights 10 down to 2; check = 11 - (sum mod 11); 11 becomes 0; 10 means the nine digits
    can never form a valid NHS number.
    """
    if len(first_nine) != 9 or not _is_ascii_digits(first_nine):
        raise IdentifierError("The first part of an NHS number must be 9 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Return the 10 digits of an NHS number written with or without spaces."""
    digits = value.strip().replace(" ", "")
    if len(digits) != 10 or not _is_ascii_digits(digits):
        raise IdentifierError("Enter an NHS number in the correct format, like 999 000 0018")
    if nhs_number_check_digit(digits[:9]) != int(digits[9]):
        raise IdentifierError(
            "That NHS number is not valid: check you have typed all 10 digits correctly"
        )
    return digits


def is_valid_nhs_number(value: str) -> bool:
    try:
        normalise_nhs_number(value)
    except IdentifierError:
        return False
    return True


def format_nhs_number(value: str) -> str:
    """3-3-4 spacing, as printed on NHS letters."""
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# --- UPN -------------------------------------------------------------------------------------


def upn_check_letter(last_twelve: str) -> str:
    """Check letter for characters 2-13 of a UPN.

    Each character is multiplied by its position (2..13); a letter in position 13 (temporary
    UPN) counts as its value in the check-letter table. The sum mod 23 indexes the table.
    """
    if len(last_twelve) != 12:
        raise IdentifierError("A UPN has 13 characters")
    body, last = last_twelve[:11], last_twelve[11]
    if not _is_ascii_digits(body):
        raise IdentifierError("Characters 2 to 12 of a UPN must be digits")
    if last in _ASCII_DIGITS:
        last_value = int(last)
    elif last in _UPN_LETTER_VALUE:
        last_value = _UPN_LETTER_VALUE[last]
    else:
        raise IdentifierError(
            "The last character of a UPN must be a digit, or a letter other than I, O or S"
        )
    total = sum(int(ch) * position for position, ch in enumerate(body, start=2)) + last_value * 13
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    upn = value.strip().upper()
    if len(upn) != 13:
        raise IdentifierError("A UPN must be 13 characters, like C319123424001")
    if not upn.isascii():
        raise IdentifierError("A UPN must only use the letters A to Z and digits 0 to 9")
    if any(ch in "IOS" for ch in upn):
        raise IdentifierError("A UPN never contains the letters I, O or S")
    if upn[0] not in _UPN_LETTER_VALUE:
        raise IdentifierError("A UPN must start with a check letter")
    expected = upn_check_letter(upn[1:])
    if upn[0] != expected:
        raise IdentifierError("That UPN is not valid: check each character has been typed correctly")
    return upn


def is_valid_upn(value: str) -> bool:
    try:
        normalise_upn(value)
    except IdentifierError:
        return False
    return True


def is_temporary_upn(value: str) -> bool:
    return is_valid_upn(value) and value.strip().upper()[12].isalpha()


def make_upn(la_number: int, establishment: int, year: int, serial: int) -> str:
    """Build a permanent UPN (used by the demo generator and tests)."""
    body = f"{la_number:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
    return upn_check_letter(body) + body


def make_temporary_upn(la_number: int, establishment: int, year: int, serial: int, letter: str) -> str:
    body = f"{la_number:03d}{establishment:04d}{year % 100:02d}{serial:02d}{letter}"
    return upn_check_letter(body) + body


# --- URN -------------------------------------------------------------------------------------


def normalise_urn(value: str) -> str:
    urn = value.strip()
    if not (6 <= len(urn) <= 7) or not _is_ascii_digits(urn):
        raise IdentifierError("A URN must be 6 or 7 digits, like 102345")
    return urn


def is_valid_urn(value: str) -> bool:
    try:
        normalise_urn(value)
    except IdentifierError:
        return False
    return True
