"""Typed sync and asyncio client for the CPaaS Partner / Reseller Services API.

The work is done by the project's Rust core (validation, retries, decoding, errors); this
package exposes it natively::

    from cpaas_reseller import Client

    with Client("api-user", "api-password") as client:
        account = client.get_account(account_id=1001)
        print(account.account_name, account.raw)

:class:`Client` blocks (with the GIL released); :class:`AsyncClient` has the same methods as
awaitables. One method per vendor operation, named after it in snake_case, with keyword-only
arguments in snake_case of the vendor's field names. Only ``AddUserToAccount`` is documented by
the vendor; the other operations are inferred from its naming style (see :func:`operations`).
Money is :class:`decimal.Decimal`, dates are timezone-aware UTC :class:`datetime.datetime`,
enumeration values are ``str`` (values this version does not know are kept as sent).
"""

from __future__ import annotations

from . import errors
from ._native import (
    DEFAULT_BASE_URL,
    OVERVIEW_BASE_URL,
    Account,
    AccountList,
    ActivityReport,
    AsyncClient,
    BulkOutcome,
    BulkProgress,
    ChargeableActivity,
    Client,
    CreditAllocation,
    CreditAllocationList,
    CreditBalance,
    InboundNumber,
    InboundNumberList,
    Role,
    RoleList,
    User,
    UserCreated,
    UserList,
    __version__,
    doctor,
    operations,
)
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    GatewayTimeoutError,
    RequestTimeoutError,
    ResellerError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "OVERVIEW_BASE_URL",
    "Account",
    "AccountList",
    "ActivityReport",
    "ApiError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BulkOutcome",
    "BulkProgress",
    "ChargeableActivity",
    "Client",
    "CreditAllocation",
    "CreditAllocationList",
    "CreditBalance",
    "GatewayTimeoutError",
    "InboundNumber",
    "InboundNumberList",
    "RequestTimeoutError",
    "ResellerError",
    "Role",
    "RoleList",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "User",
    "UserCreated",
    "UserList",
    "ValidationError",
    "__version__",
    "errors",
    "doctor",
    "operations",
]
