"""i'mport (PortOne V1) behind the gateway port: `IamportGateway` implements
`kpadmin.billing.gateway.Gateway` over an `IamportClient`.

The one place V1 is translated into billing's words. What it maps:

* names: ``customer_uid`` → ``key_id``, ``merchant_uid`` → ``order_id``, ``imp_uid`` →
  ``payment_id``, ``cancel_amount`` → ``refunded_amount``; a payment's ``status`` string →
  `PaymentStatus` (one it does not know → ``OTHER``, never final);
* the card label: i'mport's card name, or "카카오머니" read from ``pay_method: "point"`` / a Kakao
  Pay key without card fields (`kpadmin.iamport.cards`);
* errors, one to one, keeping the client's careful classification (client.py says how each is
  decided): ``RequestNotSent`` → `NotSent`; ``OutcomeUnknown`` (and any other transport failure)
  → `OutcomeUnknown`; ``PaymentNotFinal`` → `NotFinal`; ``PaymentDeclined`` → `Declined`;
  ``RequestRejected`` → `Rejected`; ``NotFound`` (only ever from i'mport's own envelope: a bare
  404 is ``InvalidResponse``) → `NotFound`; ``AuthenticationFailed`` → `AuthFailed`;
  ``InvalidResponse`` → `BadAnswer`. The messages were redacted by the client and are again by
  the port's errors; the V1 error stays reachable as ``__cause__`` (logs, tests).

What the client does stays with it: the token cache, re-sending lookups that were never sent,
never re-sending a charge, refund or key deletion, the 10 MB answer cap (a too-large answer to a
lookup is `BadAnswer`, to a charge / refund / deletion `OutcomeUnknown`), the ``include_sandbox``
flag on payment lookups, paging.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime
from typing import Any

from kpadmin.billing import gateway as gw
from kpadmin.iamport import errors as ie
from kpadmin.iamport.cards import card_label
from kpadmin.iamport.client import IamportClient
from kpadmin.iamport.models import Customer, Payment

_STATUSES = {s.value: s for s in gw.PaymentStatus if s is not gw.PaymentStatus.OTHER}


def to_payment(payment: Payment) -> gw.GatewayPayment:
    """A V1 payment in the port's words."""
    return gw.GatewayPayment(
        payment_id=payment.imp_uid,
        order_id=payment.merchant_uid,
        status=_STATUSES.get(payment.status, gw.PaymentStatus.OTHER),
        amount=payment.amount,
        refunded_amount=payment.cancel_amount,
        key_id=payment.customer_uid,
        currency=payment.currency,
        pay_method=payment.pay_method,
        pg_provider=payment.pg_provider,
        order_name=payment.name,
        card_name=payment.card_name or None,
        # A payment says itself whether it was Kakao Money (pay_method "point").
        card_label=card_label(
            payment.card_name, payment.card_number, pay_method=payment.pay_method
        ),
        card_number=payment.card_number,
        receipt_url=payment.receipt_url,
        started_at=payment.started_at,
        paid_at=payment.paid_at,
        failed_at=payment.failed_at,
        cancelled_at=payment.cancelled_at,
        fail_reason=payment.fail_reason,
        refunds=tuple(
            gw.GatewayRefund(
                amount=c.amount,
                refunded_at=c.cancelled_at,
                reason=c.reason,
                cancellation_id=c.cancellation_id,
                pg_tid=c.pg_tid,
                receipt_url=c.receipt_url,
            )
            for c in payment.cancel_history
        ),
    )


def to_key(customer: Customer) -> gw.BillingKey:
    """A V1 customer (billing key) in the port's words."""
    return gw.BillingKey(
        key_id=customer.customer_uid,
        pg_provider=customer.pg_provider,
        card_name=customer.card_name or None,
        # A key has no pay_method: a Kakao Pay key without any card field is Kakao Money.
        card_label=card_label(
            customer.card_name, customer.card_number, pg_provider=customer.pg_provider
        ),
        card_number=customer.card_number,
        created_at=customer.inserted,
    )


def _maybe_payment(value: Any) -> gw.GatewayPayment | None:
    return to_payment(value) if isinstance(value, Payment) else None


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Raise the port's error for any V1 error raised inside (the V1 one as ``__cause__``).

    Order matters: subclasses before their bases (``PaymentNotFinal`` is an
    ``InvalidResponse``; ``RequestNotSent`` and ``OutcomeUnknown`` are ``TransportError``s)."""
    try:
        yield
    except ie.PaymentDeclined as exc:
        raise gw.Declined(_maybe_payment(exc.payment), exc.fail_reason) from exc
    except ie.PaymentNotFinal as exc:
        raise gw.NotFinal(str(exc), payment=_maybe_payment(exc.payment)) from exc
    except ie.RequestNotSent as exc:
        raise gw.NotSent(str(exc)) from exc
    except ie.TransportError as exc:
        # OutcomeUnknown, and any transport failure not known to have happened before sending:
        # the money-safe reading is "it may have been processed".
        raise gw.OutcomeUnknown(str(exc)) from exc
    except ie.AuthenticationFailed as exc:
        raise gw.AuthFailed(str(exc)) from exc
    except ie.NotFound as exc:
        raise gw.NotFound(str(exc), gateway_message=exc.api_message) from exc
    except ie.InvalidResponse as exc:
        raise gw.BadAnswer(str(exc), gateway_message=exc.api_message) from exc
    except ie.ApiError as exc:  # RequestRejected (and any other refusal)
        code = None if exc.code is None else str(exc.code)
        raise gw.Rejected(str(exc), gateway_message=exc.api_message, code=code) from exc
    except ie.IamportError as exc:
        raise gw.GatewayError(str(exc)) from exc


class IamportGateway:
    """`kpadmin.billing.gateway.Gateway` for i'mport V1. Does not own ``client``: whoever opened
    the client closes it (`open_gateway` does both)."""

    def __init__(self, client: IamportClient) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"IamportGateway({self.client!r})"

    async def check_connection(self) -> None:
        with translated():
            await self.client.get_token()

    async def charge_key(
        self, key_id: str, order_id: str, amount: int, order_name: str
    ) -> gw.GatewayPayment:
        with translated():
            return to_payment(await self.client.pay_again(key_id, order_id, amount, order_name))

    async def payments_for_order(self, order_id: str) -> tuple[gw.GatewayPayment, ...]:
        with translated():
            # findAll, every page (404 from i'mport's envelope: no attempt at all -> ()).
            return tuple(to_payment(p) for p in await self.client.all_payments(order_id))

    async def get_payment(self, payment_id: str) -> gw.GatewayPayment:
        with translated():
            return to_payment(await self.client.get_payment(payment_id, include_sandbox=True))

    async def get_key(self, key_id: str) -> gw.BillingKey:
        with translated():
            return to_key(await self.client.get_customer(key_id))

    async def get_keys(self, key_ids: Sequence[str]) -> gw.KeysResult:
        with translated():
            result = await self.client.get_customers(key_ids)
        return gw.KeysResult(
            found=tuple(to_key(c) for c in result.found), missing=tuple(result.missing)
        )

    async def get_payments(self, payment_ids: Sequence[str]) -> tuple[gw.GatewayPayment, ...]:
        with translated():
            payments = await self.client.get_payments(payment_ids)
        return tuple(to_payment(p) for p in payments)

    async def delete_key(self, key_id: str, reason: str) -> None:
        with translated():
            await self.client.delete_customer(key_id, reason or None)

    async def refund(
        self,
        *,
        payment_id: str | None = None,
        order_id: str | None = None,
        amount: int | None = None,
        checksum: int | None = None,
        reason: str,
    ) -> gw.GatewayPayment:
        with translated():
            payment = await self.client.cancel_payment(
                imp_uid=payment_id,
                merchant_uid=order_id,
                amount=amount,
                checksum=checksum,
                reason=reason,
            )
        return to_payment(payment)

    async def key_payments(self, key_id: str) -> AsyncIterator[gw.GatewayPayment]:
        # i'mport lists a key's payments newest first (`-started`), 20 a page.
        with translated():
            async for payment in self.client.iter_customer_payments(key_id):
                yield to_payment(payment)

    async def payments_by_status(
        self,
        status: gw.PaymentStatus | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[gw.GatewayPayment]:
        if status is gw.PaymentStatus.OTHER:
            raise ValueError("payments_by_status: OTHER is not a status i'mport can list")
        name = "all" if status is None else status.value
        with translated():
            async for payment in self.client.iter_payments_by_status(
                name, limit=100, from_=since, to=until
            ):
                yield to_payment(payment)


@contextlib.asynccontextmanager
async def open_gateway(
    base_url: str, imp_key: str, imp_secret: str, **client_options: Any
) -> AsyncIterator[IamportGateway]:
    """A connected `IamportGateway` owning its `IamportClient` for the ``async with`` block
    (``client_options``: `IamportClient`'s keyword arguments — timeouts, transport …)."""
    async with IamportClient(base_url, imp_key, imp_secret, **client_options) as client:
        yield IamportGateway(client)


__all__ = ["IamportGateway", "open_gateway", "to_key", "to_payment", "translated"]
