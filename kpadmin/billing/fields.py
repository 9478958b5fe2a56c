"""One rule set for the subscriber fields staff type or import: name, phone, e-mail, amount, plan.

Sign-up (`signup.validate_form`), the CSV import (`csvio.parse_import_csv`) and the edit dialog
(`kpadmin.gui.edit_dialog`) call the same validator for each field, so a value one of them takes
the others take too (tests/gui/test_field_rules.py proves it for arbitrary input). Each validator
returns the normalised value, or a `FieldError`: the field and a `Message` — a `MessageCode` with
its parameters (`kpadmin.billing.messages`: the GUI says it in the user's language) whose English
is the ``message`` (the command line, logs, the CSV report).

The rules, and why:

* **name** — required; whitespace runs (tabs included) become one space, the ends trimmed,
  Unicode NFC (a name typed on a Mac arrives decomposed and would not compare equal); at most
  `NAME_MAX` (50) characters: it is the ``buyer_name`` the Kakao Pay window shows, and a person's
  or a shop's name fits easily (import used to allow 100, the edit dialog 60: three limits for
  one column). Control and format characters (Unicode category C: line breaks, NUL, bidi
  overrides, zero-width joiners) and ``<`` ``>`` are refused: the name is put into the checkout
  page and the CSV export, and nobody's name needs them. A name starting with ``=`` ``+`` ``-``
  ``@`` is refused too, with its own message (`NAME_FORMULA`): a spreadsheet runs such a cell as
  a formula (``=HYPERLINK(…)``), and every export, the payments view's Excel file and whatever a
  merchant's accountant does with them would carry it; no person's or shop's name starts so.
* **phone** — required, and a Korean **mobile** number (010 with 4 + 4 digits, or the old
  011/016/017/018/019 with 3-4 + 4), normalised to ``010-1234-5678``; separators (``-`` ``.``
  spaces, parentheses) and the international form ``+82 10 …`` are accepted, and so is the
  number Excel made of it by dropping the leading 0 (``1012345678``: a cell typed as a number).
  A Kakao Pay customer approves on a mobile (a Kakao Pay account is a mobile number; the
  window's phone tab sends the request to it), and the notices planned for subscribers (알림톡)
  reach only a mobile. So a landline or an 070 internet number — which the CSV import used to
  take — is refused with the same message everywhere; the edit dialog used to take any 9-11
  digits.
* **email** — optional; at most `EMAIL_MAX` (254) characters (RFC 5321), ``local@domain`` with
  a local part of at most 64 of ``A-Z a-z 0-9 . _ % + -`` (no leading, trailing or double dot)
  and a domain of at least two labels (letters, digits, inner hyphens) ending in a letters-only
  top-level label (the characters sign-up always took). One pattern instead of three (import
  and edit took anything around an ``@``).
* **amount** — required; whole won, ``9900``, ``9,900`` (commas only in thousands groups),
  ``₩9,900``, ``￦9,900`` (the full-width sign), ``\\9,900`` (a ₩ cell Korean Excel saved as
  CP949, where the sign is byte 0x5C) or ``9,900원``, spaces around the sign allowed; ASCII digits
  only; 1 to `AMOUNT_MAX` (₩10,000,000, a typo guard:
  a monthly subscription above it is a mistyped amount). The edit dialog's spin box hands an int.
* **plan** — optional (empty is allowed: the order name is then "정기결제", as the charge engine
  already names a charge without a plan; a CSV without a plan column stays importable); the same
  one-line cleaning and characters as the name; at most `PLAN_MAX` (40) characters: i'mport's
  limit for the order ``name`` the Kakao Pay window shows (the import used to take 100).

What each entry point adds is not a field rule: sign-up also checks the billing day and channel,
the import the ``customer_uid`` and date columns (and says which line), and the edit dialog judges
only the values staff changed — a value stored before these rules (an imported landline, an
80-character name) is left as it is until someone edits that field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from kpadmin.billing.messages import Message, MessageCode

NAME_MAX: Final = 50
PLAN_MAX: Final = 40
EMAIL_MAX: Final = 254
AMOUNT_MAX: Final = 10_000_000
#: Longer than any phone number written with separators; anything longer is not one.
_PHONE_TEXT_MAX: Final = 25
#: Amount text read at most (a bound on the work; anything longer is not an amount anyone typed).
_AMOUNT_TEXT_MAX: Final = 40

_PHONE_CHARS = re.compile(r"[+0-9\-. ()]+")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE_010 = re.compile(r"010(\d{4})(\d{4})")
_MOBILE_OLD = re.compile(r"01([16789])(\d{3,4})(\d{4})")
_EXCEL_DROPPED_0 = re.compile(r"10\d{8}|1[16789]\d{7,8}")
_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
_EMAIL_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_EMAIL_TLD = re.compile(r"[A-Za-z]{2,63}")
_REFUSED_IN_TEXT = frozenset("<>")


@dataclass(frozen=True, slots=True)
class FieldError:
    """A refused value: which field, and why — a `Message` (its `MessageCode` and parameters, for
    the GUI to say in the user's language through the one catalogue; ``message`` is the English)."""

    field: str
    note: Message

    @property
    def code(self) -> MessageCode:
        return self.note.code

    @property
    def params(self) -> Mapping[str, object]:
        return self.note.params

    @property
    def message(self) -> str:
        return self.note.english()

    def __str__(self) -> str:
        return self.message


def _error(field: str, code: MessageCode, **params: object) -> FieldError:
    return FieldError(field, Message.of(code, **params))


# ------------------------------------------------------------------------------- text fields


def _has_control(raw: str) -> bool:
    """A control character other than tab / line ends, anywhere (even where ``strip`` would drop
    it: ``str.strip`` takes \\x1c-\\x1f for whitespace, and the CSV import refuses a file holding
    any of them, so sign-up must not quietly accept one either)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in raw)


def _one_line(raw: str) -> tuple[str, bool]:
    """``raw`` as one clean line (NFC, whitespace runs -> one space, trimmed) and whether it held
    a character no name or plan may have. Tabs are whitespace; a line break is not allowed."""
    text = unicodedata.normalize("NFC", raw)
    bad = any(
        (unicodedata.category(ch).startswith("C") and ch != "\t") or ch in _REFUSED_IN_TEXT
        for ch in text
    )
    # str.split() without arguments splits on every Unicode whitespace, not only spaces.
    return " ".join(text.split()), bad


#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@")


def name(raw: str) -> str | FieldError:
    """The customer's name, cleaned (see the module docstring for the rule)."""
    value, bad = _one_line(raw)
    if not value:
        return _error("name", MessageCode.NAME_EMPTY)
    if bad:
        return _error("name", MessageCode.NAME_CHARS)
    if value.startswith(FORMULA_STARTS):
        return _error("name", MessageCode.NAME_FORMULA, first=value[0])
    if len(value) > NAME_MAX:
        return _error("name", MessageCode.NAME_TOO_LONG)
    return value


def plan(raw: str) -> str | FieldError:
    """The plan's name, cleaned; ``""`` when none is given."""
    value, bad = _one_line(raw)
    if bad:
        return _error("plan", MessageCode.PLAN_CHARS)
    if len(value) > PLAN_MAX:
        return _error("plan", MessageCode.PLAN_TOO_LONG)
    return value


# ------------------------------------------------------------------------------------- phone


def normalise_mobile(raw: str) -> str | None:
    """A Korean mobile number as ``010-1234-5678``, or None when ``raw`` is not one."""
    text = raw.strip()
    if not text or len(text) > _PHONE_TEXT_MAX or not _PHONE_CHARS.fullmatch(text):
        return None
    if _has_control(raw):
        return None
    if "+" in text[1:]:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        if not digits.startswith("82"):
            return None
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    elif _EXCEL_DROPPED_0.fullmatch(digits):
        digits = "0" + digits  # a cell Excel read as a number: 1012345678
    m = _MOBILE_010.fullmatch(digits)
    if m:
        return f"010-{m.group(1)}-{m.group(2)}"
    m = _MOBILE_OLD.fullmatch(digits)
    if m:
        return f"01{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


def phone(raw: str) -> str | FieldError:
    """The subscriber's mobile number, normalised (``010-1234-5678``)."""
    if not raw.strip() and not _has_control(raw):
        return _error("phone", MessageCode.PHONE_EMPTY)
    value = normalise_mobile(raw)
    if value is None:
        return _error("phone", MessageCode.PHONE_FORMAT)
    return value


# ------------------------------------------------------------------------------------- email


def _valid_email(value: str) -> bool:
    if len(value) > EMAIL_MAX or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if len(local) > 64 or not _EMAIL_LOCAL.fullmatch(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_EMAIL_LABEL.fullmatch(label) for label in labels):
        return False
    return _EMAIL_TLD.fullmatch(labels[-1]) is not None


def email(raw: str) -> str | FieldError:
    """An e-mail address, trimmed; ``""`` when none is given."""
    value = raw.strip()
    if not value and not _has_control(raw):
        return ""
    if _has_control(raw) or not _valid_email(value):
        return _error("email", MessageCode.EMAIL_FORMAT)
    return value


# ------------------------------------------------------------------------------------ amount


#: The won sign as it arrives: ₩, the full-width ￦, and \\ (₩ saved as CP949 by Korean Excel).
WON_SIGNS: Final = ("₩", "￦", "\\")


def parse_won(raw: str) -> int | None:
    """Whole won from ``9900``, ``9,900``, ``₩9,900``, ``￦9,900``, ``\\9,900``, ``₩ 9,900`` or
    ``9,900 원`` (ASCII digits, commas only between thousands groups); None when ``raw`` is not
    written like that. No range check."""
    text = raw.strip()
    for sign in WON_SIGNS:
        if text.startswith(sign):
            text = text[len(sign) :].lstrip()
            break
    text = text.removesuffix("원").rstrip()
    if len(text) > _AMOUNT_TEXT_MAX or not _AMOUNT.fullmatch(text) or _has_control(raw):
        return None
    return int(text.replace(",", ""))


def amount(raw: str | int) -> int | FieldError:
    """A monthly amount in whole won, 1..`AMOUNT_MAX` (text as typed or imported, or an int)."""
    if isinstance(raw, bool):
        raise TypeError("an amount is text or a whole number, not a bool")
    if isinstance(raw, int):
        value = raw
    else:
        if not raw.strip() and not _has_control(raw):
            return _error("amount", MessageCode.AMOUNT_EMPTY)
        parsed = parse_won(raw)
        if parsed is None:
            return _error("amount", MessageCode.AMOUNT_FORMAT)
        value = parsed
    if value <= 0:
        return _error("amount", MessageCode.AMOUNT_ZERO)
    if value > AMOUNT_MAX:
        return _error("amount", MessageCode.AMOUNT_HIGH)
    return value


# ------------------------------------------------------------------------------ many at once

#: The fields this module rules on, with their validators.
VALIDATORS: Final[Mapping[str, Callable[[str], object]]] = {
    "name": name,
    "phone": phone,
    "email": email,
    "plan": plan,
    "amount": amount,
}


@dataclass(frozen=True, slots=True)
class Checked:
    """Normalised values of the fields that passed, and the errors of those that did not."""

    values: dict[str, object]
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(raw: Mapping[str, str | int]) -> Checked:
    """Every ruled field in ``raw`` through its validator (other keys are left out)."""
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for key, value in raw.items():
        validator = VALIDATORS.get(key)
        if validator is None:
            continue
        result = validator(value)  # type: ignore[arg-type]  # amount takes an int too
        if isinstance(result, FieldError):
            errors.append(result)
        else:
            values[key] = result
    return Checked(values, tuple(errors))


def _unchanged(key: str, typed: str | int, stored: object) -> bool:
    """Staff left the stored value as it was: the same text but for spacing (a phone also but
    for its separators: the dialog shows it in its own grouping)."""
    if key == "amount":
        return typed == stored
    if key == "phone":
        return _PHONE_SEPARATORS.sub("", str(typed)) == _PHONE_SEPARATORS.sub("", str(stored or ""))
    return " ".join(str(typed).split()) == " ".join(str(stored or "").split())


def check_changes(stored: Mapping[str, object], typed: Mapping[str, str | int]) -> Checked:
    """What an edit changes: the ruled fields whose typed value differs from the stored one,
    normalised, or their errors. A field left as it was is not judged again (a value stored
    before these rules stays until someone edits it); one whose normalised value equals the
    stored one is no change."""
    judged = {
        k: v for k, v in typed.items() if k in VALIDATORS and not _unchanged(k, v, stored.get(k))
    }
    result = check(judged)
    changes = {k: v for k, v in result.values.items() if v != stored.get(k)}
    return Checked(changes, result.errors)


__all__ = [
    "AMOUNT_MAX",
    "EMAIL_MAX",
    "FORMULA_STARTS",
    "NAME_MAX",
    "PLAN_MAX",
    "VALIDATORS",
    "Checked",
    "FieldError",
    "amount",
    "check",
    "check_changes",
    "email",
    "name",
    "normalise_mobile",
    "parse_won",
    "phone",
    "plan",
]
