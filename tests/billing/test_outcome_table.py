"""The engine's per-charge outcome rules are one table (`kpadmin.billing.engine.send.OUTCOMES`):
every answer has its rule, a looked-up answer one for everything a lookup can find."""

from __future__ import annotations

from kpadmin.billing.engine.send import LOOKED_UP, OUTCOMES, Again, Answer, Found, answer_of
from kpadmin.billing.gateway import (
    AuthFailed,
    BadAnswer,
    Declined,
    NotFound,
    NotSent,
    OutcomeUnknown,
    Rejected,
)
from kpadmin.billing.messages import ENGLISH
from kpadmin.store.models import ChargeState


def test_every_answer_has_exactly_its_rules() -> None:
    expected = {
        (answer, found)
        for answer in Answer
        for found in (tuple(Found) if answer in LOOKED_UP else (None,))
    }
    assert set(OUTCOMES) == expected


def test_a_paid_lookup_is_always_paid_and_nothing_paid_is_ever_sent_again() -> None:
    for (answer, found), rule in OUTCOMES.items():
        if found is Found.PAID:
            assert rule.state is ChargeState.PAID, answer
        if rule.again is not Again.NO:
            # Only a request that never left, or an order id the lookup found nothing under.
            assert answer is Answer.NOT_SENT or found in (Found.NOTHING, Found.NOTHING_SENT_BEFORE)


def test_an_unclear_answer_is_never_final() -> None:
    for (answer, found), rule in OUTCOMES.items():
        if found is Found.UNCLEAR or answer in (Answer.INTERRUPTED, Answer.INTERNAL_ERROR):
            assert rule.state is ChargeState.UNKNOWN, (answer, found)


def test_a_rejection_that_may_have_been_sent_before_is_not_final() -> None:
    assert OUTCOMES[Answer.REJECTED, Found.NOTHING].state is ChargeState.REJECTED
    assert OUTCOMES[Answer.REJECTED, Found.NOTHING_SENT_BEFORE].state is ChargeState.UNKNOWN


def test_notes_name_only_their_templates_parameters() -> None:
    for key, rule in OUTCOMES.items():
        if rule.note is None:
            assert not rule.params, key
            continue
        template = ENGLISH[rule.note]
        for name in rule.params:
            assert "{" + name + "}" in template, (key, name)


def test_errors_map_by_class() -> None:
    assert answer_of(NotSent("x")) is Answer.NOT_SENT
    assert answer_of(AuthFailed("x")) is Answer.AUTH_FAILED
    assert answer_of(Rejected("x", code="1")) is Answer.REJECTED
    for ambiguous in (OutcomeUnknown("x"), BadAnswer("x"), NotFound("x")):
        assert answer_of(ambiguous) is Answer.AMBIGUOUS
    assert answer_of(Declined(None, "no")) is Answer.DECLINED
