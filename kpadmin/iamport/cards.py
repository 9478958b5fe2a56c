"""The name kpadmin stores and shows for a billing key's means of payment (a card or Kakao Money).

Reading it from i'mport's fields is V1 knowledge, so it lives here, in the adapter
(`kpadmin.iamport.gateway` fills `GatewayPayment.card_label` / `BillingKey.card_label`); billing
and the GUI only read the label. i'mport reports a Kakao Money payment with
``pay_method: "point"`` and every card field ``null`` (the captured live answer
``tests/iamport/real_answers/kakaopay-test-payment-paid.json``), and a Kakao Pay billing key paid
with Kakao Money has no card fields either. Staff should read "카카오머니" there, never a blank
card column or "None".
"""

from __future__ import annotations

from typing import Final

KAKAO_MONEY: Final = "카카오머니"


def card_label(
    card_name: str | None,
    card_number: str | None,
    *,
    pay_method: str | None = None,
    pg_provider: str | None = None,
) -> str | None:
    """i'mport's card name when it sent one; `KAKAO_MONEY` for a Kakao Money payment or key.

    A payment says so itself (``pay_method == "point"``); a customer record has no pay_method, so
    a Kakao Pay key without any card field is taken for Kakao Money. Anything else: None.
    """
    if card_name:
        return card_name
    if pay_method == "point":
        return KAKAO_MONEY
    if pay_method is None and pg_provider == "kakaopay" and not card_number:
        return KAKAO_MONEY
    return None
