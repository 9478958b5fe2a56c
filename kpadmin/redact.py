"""Masking of personal data and scrubbing of secrets in log output.

Two tools:

* ``mask_phone``, ``mask_card``, ``mask_email`` — for code that shows or logs one known value.
* ``SecretRedactingFilter`` — a ``logging.Filter`` that rewrites every record passing through it:
  registered secrets (the REST API secret, access tokens; see ``register_secret``) become
  ``[REDACTED]``, and anything shaped like a Korean phone number or a card number is masked. It
  formats ``msg % args`` first and then drops ``args``, so a secret hidden inside an argument's
  ``repr`` is caught as well; tracebacks (``exc_info``) and ``stack_info`` are scrubbed too.

A filter attached to a *logger* only sees records logged on that exact logger (not ones propagated
from its children), so ``install_redaction(logger)`` attaches it to the logger **and** to each of
its current handlers. Handlers added later need ``install_redaction(handler)`` as well.

Card-number scrubbing is deliberately eager: numbers written in groups (``1234-5678-9012-3456``) are
always masked; an unbroken run of 13–19 digits is masked when it passes the Luhn check, so order
numbers and timestamps stay readable while real card numbers do not. Phone and card shapes must
stand apart from letters and digits ("_", "-", "/", "=" and spaces are fine): a digit run inside a
hex hash such as ``kp-e0cf3f0621233043-…`` is not a phone number, ``cu_01012345678`` holds one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

REDACTED = "[REDACTED]"

# Shorter values are not treated as secrets: scrubbing "ab" from every line would wreck the logs.
_MIN_SECRET_LEN = 6
# Tokens are registered every 30 minutes; keep the newest ones only so a long session stays bounded.
_MAX_SECRETS = 512

_secrets: list[str] = []
_secrets_lock = threading.Lock()
# Longest first, so a secret that contains another is replaced whole; rebuilt on every change.
_scrub_order: tuple[str, ...] = ()


def _reorder() -> None:
    global _scrub_order
    _scrub_order = tuple(sorted(_secrets, key=len, reverse=True))


def register_secret(value: str | None) -> None:
    """Scrub ``value`` from every log record that passes a ``SecretRedactingFilter`` from now on."""
    if not value or len(value) < _MIN_SECRET_LEN:
        return
    with _secrets_lock:
        if value in _secrets:
            return
        _secrets.append(value)
        if len(_secrets) > _MAX_SECRETS:
            del _secrets[0]
        _reorder()


def unregister_secret(value: str) -> None:
    """Forget a value registered with ``register_secret`` (tests; a rotated secret)."""
    with _secrets_lock:
        if value in _secrets:
            _secrets.remove(value)
            _reorder()


def registered_secrets() -> tuple[str, ...]:
    """The secrets currently scrubbed (for tests and diagnostics; never log this)."""
    with _secrets_lock:
        return tuple(_secrets)


# --- phone numbers ---------------------------------------------------------------------------

# Korean numbers: mobile 01x, Seoul 02, other areas 0xx, 070/050x, optionally written as +82 with or
# without the trunk 0. Separators: "-", ".", " " (at most one between groups).
# Bounded by anything but a letter, digit or "*": a run of digits inside a hex hash or an id like
# "e0cf3f0621233043" is not a phone number, while "cu_01012345678" or "tel=010-…" are.
_PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z*])"
    r"(?:\+82[-. ]?0?|0)"  # +82, +82-0 or the domestic trunk 0
    r"(?:1[016789]|2|[3-6][1-5]|70|50[2-8])"  # mobile / Seoul / area / VoIP / personal
    r"[-. ]?\d{3,4}[-. ]?\d{4}"
    r"(?![0-9A-Za-z*])"
)


def mask_phone(phone: str) -> str:
    """Mask the middle group of a phone number: ``010-1234-5678`` -> ``010-****-5678``.

    Works on ``01012345678`` (-> ``010****5678``) and ``+82-10-1234-5678`` / ``+821012345678``.
    The area/mobile prefix and the last four digits stay; separators are kept as they are.
    Anything with fewer than 8 digits is masked entirely except the last two digits.
    """
    digit_positions = [i for i, ch in enumerate(phone) if ch.isdigit()]
    n = len(digit_positions)
    if n < 8:
        keep = set(digit_positions[-2:])
        return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(phone))
    digits = "".join(phone[i] for i in digit_positions)
    head = _phone_head_len(digits, phone.lstrip().startswith("+"))
    keep = set(digit_positions[:head]) | set(digit_positions[-4:])
    return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(phone))


def _phone_head_len(digits: str, international: bool) -> int:
    """How many leading digits identify the network/area (kept visible)."""
    offset = 2 if international and digits.startswith("82") else 0
    rest = digits[offset:]
    if rest.startswith("0"):
        # With the trunk 0 (domestic, or "+82 010-…"), it belongs to the prefix: 010, 02, 031.
        return offset + (2 if rest.startswith("02") else 3)
    # International without trunk 0: "10" (mobile), "2" (Seoul), "31" (area).
    return offset + (1 if rest.startswith("2") else 2)


# --- card numbers ----------------------------------------------------------------------------

# Grouped: 4-4-4-4 (and 4-6-5 Amex), separated by "-" or " ". Any such shape is masked.
_CARD_GROUPED_RE = re.compile(
    r"(?<![0-9A-Za-z*])"
    r"(?:\d{4}([- ])\d{4}\1\d{4}\1\d{1,4}|\d{4}([- ])\d{6}\2\d{5})"
    r"(?![0-9A-Za-z*])"
)
# Unbroken 13..19 digits: masked only when Luhn-valid (order numbers and timestamps stay readable).
_CARD_PLAIN_RE = re.compile(r"(?<![0-9A-Za-z*])\d{13,19}(?![0-9A-Za-z*])")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_card(card: str) -> str:
    """Keep the first four and last four digits: ``1234-5678-9012-3456`` -> ``1234-****-****-3456``.

    Separators and already-masked characters are kept; fewer than 12 digits -> all but the last 4
    masked.
    """
    digit_positions = [i for i, ch in enumerate(card) if ch.isdigit()]
    total_digits = sum(1 for ch in card if ch.isdigit() or ch == "*")
    if total_digits >= 12:
        keep = set(digit_positions[:4]) | set(digit_positions[-4:])
    else:
        keep = set(digit_positions[-4:])
    return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(card))


# --- e-mail ----------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_email(email: str) -> str:
    """``hong.gildong@example.com`` -> ``h***@example.com`` (the domain stays for support work)."""
    local, sep, domain = email.partition("@")
    if not sep:
        return email
    return f"{local[:1]}***@{domain}"


# --- scrubbing -------------------------------------------------------------------------------


def redact_text(text: str, *, emails: bool = False) -> str:
    """Scrub registered secrets, card numbers and phone numbers (and e-mails if asked) from text."""
    for secret in _scrub_order:  # an immutable snapshot: no lock needed to read it
        if secret in text:
            text = text.replace(secret, REDACTED)
    # Cards before phones: a card number's groups could otherwise be read as a phone number.
    text = _CARD_GROUPED_RE.sub(lambda m: mask_card(m.group(0)), text)
    text = _CARD_PLAIN_RE.sub(
        lambda m: mask_card(m.group(0)) if luhn_valid(m.group(0)) else m.group(0), text
    )
    text = _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    if emails:
        text = _EMAIL_RE.sub(lambda m: mask_email(m.group(0)), text)
    return text


class SecretRedactingFilter(logging.Filter):
    """Rewrites each record so that no registered secret, phone or card number reaches a handler.

    Never drops a record (always returns True). ``extra_secrets`` are scrubbed in addition to the
    module-wide registry; ``emails=True`` also masks e-mail addresses.
    """

    def __init__(self, extra_secrets: Iterable[str] = (), *, emails: bool = False) -> None:
        super().__init__()
        self._extra = tuple(s for s in extra_secrets if s and len(s) >= _MIN_SECRET_LEN)
        self._emails = emails

    def _scrub(self, text: str) -> str:
        for secret in self._extra:
            text = text.replace(secret, REDACTED)
        return redact_text(text, emails=self._emails)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, scrubbed
            message = f"{record.msg!s} {record.args!r}"
        record.msg = self._scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        return True


def install_redaction(
    target: logging.Logger | logging.Handler | None = None,
    *,
    emails: bool = False,
) -> SecretRedactingFilter:
    """Attach one ``SecretRedactingFilter`` to a logger and its handlers, or to one handler.

    ``None`` means the root logger. Installing twice on the same target is a no-op for that target.
    """
    flt = SecretRedactingFilter(emails=emails)
    if target is None:
        target = logging.getLogger()
    targets: list[logging.Logger | logging.Handler] = [target]
    if isinstance(target, logging.Logger):
        targets.extend(target.handlers)
    for t in targets:
        if not any(isinstance(f, SecretRedactingFilter) for f in t.filters):
            t.addFilter(flt)
    return flt
