"""Money invariants of SandboxState under random operation sequences (hypothesis state machine).

Whatever mix of key issuance, deletion, charges, declines and refunds happens:
* a merchant_uid has at most one payment that was ever paid;
* a payment's refunds never exceed its amount, and it is "cancelled" exactly when fully refunded;
* a rejected call (unknown key, paid merchant_uid, bad refund) leaves no trace.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kpadmin.sandbox.state import SandboxState, StateError

CUSTOMERS = st.sampled_from(["c1", "c2", "c3"])
ORDERS = st.sampled_from([f"m{i}" for i in range(6)])


class SandboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = SandboxState()
        self.rows = 0

    @rule(customer=CUSTOMERS, declining=st.booleans())
    def issue(self, customer: str, declining: bool) -> None:
        self.state.issue_billing_key(
            customer, card_name="카드", behaviour="decline" if declining else None
        )

    @rule(customer=CUSTOMERS)
    def delete(self, customer: str) -> None:
        try:
            self.state.delete_customer(customer)
        except StateError:
            assert self.state.get_customer(customer) is None

    @rule(customer=CUSTOMERS, order=ORDERS, amount=st.integers(1, 50_000), decline=st.booleans())
    def charge(self, customer: str, order: str, amount: int, decline: bool) -> None:
        before = len(self.state.all_payments())
        try:
            self.state.pay_again(
                customer_uid=customer,
                merchant_uid=order,
                amount=amount,
                name="n",
                monthly_limit=4,
                decline_reason="거절" if decline else None,
            )
        except StateError:
            assert len(self.state.all_payments()) == before
            return
        assert len(self.state.all_payments()) == before + 1

    @rule(order=ORDERS, part=st.integers(0, 60_000), use_checksum=st.booleans())
    def refund(self, order: str, part: int, use_checksum: bool) -> None:
        paid = [p for p in self.state.find_payments(order) if p["paid_at"]]
        checksum = None
        if use_checksum and paid:
            checksum = paid[0]["amount"] - paid[0]["cancel_amount"]
        snapshot = self.state.all_payments()
        try:
            self.state.cancel(merchant_uid=order, amount=part, checksum=checksum)
        except StateError:
            assert self.state.all_payments() == snapshot

    @invariant()
    def money_is_consistent(self) -> None:
        payments = self.state.all_payments()
        ever_paid = Counter(p["merchant_uid"] for p in payments if p["paid_at"])
        assert all(n == 1 for n in ever_paid.values())
        for p in payments:
            assert 0 <= p["cancel_amount"] <= p["amount"]
            assert sum(h["amount"] for h in p["cancel_history"]) == p["cancel_amount"]
            assert (p["status"] == "cancelled") == (p["cancel_amount"] == p["amount"] > 0)
            assert (p["status"] == "failed") == bool(p["fail_reason"])


SandboxMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
test_sandbox_state_machine = SandboxMachine.TestCase
