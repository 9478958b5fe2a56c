"""A test's own words as an audit detail (the audit refuses bare text)."""

from __future__ import annotations

from kpadmin.billing.messages import Message, MessageCode


def text(words: str) -> Message:
    """A test's own words as an audit detail (`AUDIT_PARTS` of one part: its English is them)."""
    return Message.of(MessageCode.AUDIT_PARTS, parts=(words,))
