"""Exceptions raised by :mod:`cpaas_reseller`.

They mirror the Rust core's ``Error`` one to one (the native module builds them from it, so the
attributes are exactly the core's fields). They are defined in Python so that
:class:`ValidationError` is also a :class:`ValueError` and :class:`RequestTimeoutError` also a
builtin :class:`TimeoutError`.

The text of an exception (``str(e)``) never contains the API password.

Hierarchy::

    ResellerError
    ├── ValidationError (ValueError)      invalid input; nothing was sent
    ├── TransportError                    no complete response (connect, TLS, I/O)
    │   └── RequestTimeoutError (TimeoutError)
    └── ApiError                          the service answered with an error
        ├── BadRequestError               400
        ├── AuthenticationError           401
        ├── ServerError                   500
        ├── GatewayTimeoutError           504 (a mutating call may have been applied)
        └── UnexpectedResponseError       any other status, or an unreadable body
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional, Tuple, Type

__all__ = [
    "ResellerError",
    "ValidationError",
    "TransportError",
    "RequestTimeoutError",
    "ApiError",
    "BadRequestError",
    "AuthenticationError",
    "ServerError",
    "GatewayTimeoutError",
    "UnexpectedResponseError",
]


class ResellerError(Exception):
    """Base class of every error this package raises.

    ``method`` is the vendor method the call was for (``"AllocateCredit"``), or ``None`` for an
    invalid client configuration.
    """

    #: The core's error kind (``"validation"``, ``"bad_request"``, ...), stable across languages.
    kind: ClassVar[str] = "error"

    method: Optional[str]

    def __init__(self, text: str, *, method: Optional[str] = None) -> None:
        super().__init__(text)
        self.method = method

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keyword-only attributes survive pickling (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), str(self), dict(self.__dict__)))


def _rebuild(cls: Type[ResellerError], text: str, attributes: Dict[str, Any]) -> ResellerError:
    error = cls.__new__(cls, text)
    Exception.__init__(error, text)
    error.__dict__.update(attributes)
    return error


class ValidationError(ResellerError, ValueError):
    """The input failed local validation; nothing was sent.

    ``field`` names the field as the vendor spells it (PascalCase, as on the wire) or the client
    option (``"base_url"``); ``message`` is the rule that failed.
    """

    kind: ClassVar[str] = "validation"

    field: str
    message: str

    def __init__(
        self,
        text: str,
        *,
        field: str = "",
        message: str = "",
        method: Optional[str] = None,
    ) -> None:
        super().__init__(text, method=method)
        self.field = field
        self.message = message


class TransportError(ResellerError):
    """No complete response arrived (connect, TLS, I/O).

    When ``outcome_unknown`` is true a mutating call may have been applied: reconcile with a
    read (for credit, by its ``Reference``) before trying again.
    """

    kind: ClassVar[str] = "transport"

    method: str
    message: str
    outcome_unknown: bool
    attempts: int

    def __init__(
        self,
        text: str,
        *,
        method: str = "",
        message: str = "",
        outcome_unknown: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(text, method=method)
        self.message = message
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts


class RequestTimeoutError(TransportError, TimeoutError):
    """No complete response within the client's ``timeout`` (or ``connect_timeout``)."""

    kind: ClassVar[str] = "timeout"


class ApiError(ResellerError):
    """The service answered with an error status or a body that could not be read.

    ``status`` is the HTTP status; ``error_type`` and ``message`` come from the vendor's error
    body (``ErrorType``, ``ErrorDetail.Message``), ``detail`` is the whole ``ErrorDetail``
    object; ``body_excerpt`` is a short, bounded excerpt of the body; ``hint`` says what to
    check next (for a 404, the base URL used and the documented path discrepancy).
    """

    kind: ClassVar[str] = "api"

    method: str
    status: int
    error_type: Optional[str]
    message: Optional[str]
    detail: Dict[str, Any]
    body_excerpt: str
    content_type: Optional[str]
    hint: Optional[str]
    outcome_unknown: bool
    attempts: int

    def __init__(
        self,
        text: str,
        *,
        method: str = "",
        status: int = 0,
        error_type: Optional[str] = None,
        message: Optional[str] = None,
        detail: Optional[Dict[str, Any]] = None,
        body_excerpt: str = "",
        content_type: Optional[str] = None,
        hint: Optional[str] = None,
        outcome_unknown: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(text, method=method)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.detail = {} if detail is None else detail
        self.body_excerpt = body_excerpt
        self.content_type = content_type
        self.hint = hint
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts


class BadRequestError(ApiError):
    """HTTP 400: the service rejected the parameters (``message`` says which)."""

    kind: ClassVar[str] = "bad_request"


class AuthenticationError(ApiError):
    """HTTP 401: the user name or password was refused."""

    kind: ClassVar[str] = "authentication"


class ServerError(ApiError):
    """HTTP 500: the service failed internally."""

    kind: ClassVar[str] = "server"


class GatewayTimeoutError(ApiError):
    """HTTP 504: the service's own timeout passed; a mutating call may have been applied."""

    kind: ClassVar[str] = "gateway_timeout"


class UnexpectedResponseError(ApiError):
    """Any other status (404 included, with a ``hint`` about the base URL), or a body that was
    not the expected JSON (XML, HTML, empty, truncated)."""

    kind: ClassVar[str] = "unexpected_response"
