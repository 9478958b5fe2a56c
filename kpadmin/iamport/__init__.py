"""The async i'mport (PortOne V1) REST client: token cache, calls, typed results, errors. No Qt."""

from kpadmin.iamport.client import IamportClient, Timeouts
from kpadmin.iamport.errors import (
    ApiError,
    AuthenticationFailed,
    IamportError,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    PaymentDeclined,
    PaymentNotFinal,
    RequestNotSent,
    RequestRejected,
    TransportError,
)
from kpadmin.iamport.models import (
    AccessToken,
    CancelHistory,
    Customer,
    CustomersResult,
    Payment,
    PaymentPage,
)

__all__ = [
    "AccessToken",
    "ApiError",
    "AuthenticationFailed",
    "CancelHistory",
    "Customer",
    "CustomersResult",
    "IamportClient",
    "IamportError",
    "InvalidResponse",
    "NotFound",
    "OutcomeUnknown",
    "Payment",
    "PaymentDeclined",
    "PaymentNotFinal",
    "PaymentPage",
    "RequestNotSent",
    "RequestRejected",
    "Timeouts",
    "TransportError",
]
