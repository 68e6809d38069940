"""Type stubs for the native module (Rust, pyo3). Import from :mod:`cpaas_reseller` instead."""

import os
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import (
    Any,
    Awaitable,
    Callable,
    Coroutine,
    Dict,
    Generator,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Type,
    TypeVar,
    Union,
)

from .errors import ResellerError

__version__: str
#: The base URL the vendor's method page shows (``.../ResellerServices``): the default.
DEFAULT_BASE_URL: str
#: The endpoint the vendor's overview page gives (``.../ResellerService``); try it on a 404.
OVERVIEW_BASE_URL: str

_T = TypeVar("_T")
_Money = Union[Decimal, int]

def operations() -> List[Dict[str, Any]]:
    """The core's catalogue: ``method``, ``function``, ``area``, ``mutating``, ``documented``."""

def _panic_for_tests(*, in_task: bool = False) -> Any: ...

# Records. Attributes are read-only; ``raw`` is the object exactly as the service sent it.

class Account:
    """A CPaaS account (inferred record)."""

    @property
    def account_id(self) -> int: ...
    @property
    def account_name(self) -> Optional[str]: ...
    @property
    def parent_account_id(self) -> Optional[int]: ...
    @property
    def status(self) -> Optional[str]:
        """``Active``, ``Suspended``, ``Closed`` or a value this version does not know."""
    @property
    def contact_email_address(self) -> Optional[str]: ...
    @property
    def country_code(self) -> Optional[str]: ...
    @property
    def time_zone(self) -> Optional[str]: ...
    @property
    def notes(self) -> Optional[str]: ...
    @property
    def created_date(self) -> Optional[datetime]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class UserCreated:
    """The ``AddUserToAccount`` result (the vendor documents no 200 body: see ``raw``)."""

    @property
    def user_id(self) -> Optional[int]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class User:
    """A portal user (inferred record)."""

    @property
    def user_id(self) -> int: ...
    @property
    def account_id(self) -> Optional[int]: ...
    @property
    def username(self) -> Optional[str]: ...
    @property
    def firstname(self) -> Optional[str]: ...
    @property
    def last_name(self) -> Optional[str]: ...
    @property
    def email_address(self) -> Optional[str]: ...
    @property
    def mobile_phone_number(self) -> Optional[str]: ...
    @property
    def landline_phone_number(self) -> Optional[str]: ...
    @property
    def notes(self) -> Optional[str]: ...
    @property
    def enabled(self) -> Optional[bool]: ...
    @property
    def role_ids(self) -> List[int]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class Role:
    """A predefined set of allowed actions (inferred record)."""

    @property
    def role_id(self) -> int: ...
    @property
    def role_name(self) -> Optional[str]: ...
    @property
    def description(self) -> Optional[str]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class CreditAllocation:
    """One credit allocation (inferred record)."""

    @property
    def allocation_id(self) -> int: ...
    @property
    def account_id(self) -> int: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def reference(self) -> Optional[str]: ...
    @property
    def allocated_date(self) -> Optional[datetime]: ...
    @property
    def balance_after(self) -> Optional[Decimal]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class CreditBalance:
    """An account's credit balance (inferred record)."""

    @property
    def account_id(self) -> int: ...
    @property
    def balance(self) -> Decimal: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class ChargeableActivity:
    """One chargeable event in a report (inferred record)."""

    @property
    def account_id(self) -> int: ...
    @property
    def activity_date(self) -> datetime: ...
    @property
    def activity_type(self) -> str:
        """``SmsOutbound``, ``SmsInbound``, ``MmsOutbound``, ``Voice``, ``InboundNumberRental``,
        ``Other`` or a value this version does not know."""
    @property
    def description(self) -> Optional[str]: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_cost(self) -> Decimal: ...
    @property
    def total_cost(self) -> Decimal: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class InboundNumber:
    """An inbound number, available or allocated (inferred record)."""

    @property
    def number(self) -> str: ...
    @property
    def country_code(self) -> Optional[str]: ...
    @property
    def number_type(self) -> Optional[str]:
        """``LongCode``, ``ShortCode``, ``TollFree`` or a value this version does not know."""
    @property
    def monthly_cost(self) -> Optional[Decimal]: ...
    @property
    def account_id(self) -> Optional[int]: ...
    @property
    def allocated_date(self) -> Optional[datetime]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...

class AccountList:
    @property
    def accounts(self) -> List[Account]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Account]: ...

class UserList:
    @property
    def users(self) -> List[User]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[User]: ...

class RoleList:
    @property
    def roles(self) -> List[Role]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Role]: ...

class CreditAllocationList:
    @property
    def allocations(self) -> List[CreditAllocation]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[CreditAllocation]: ...

class ActivityReport:
    @property
    def activities(self) -> List[ChargeableActivity]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[ChargeableActivity]: ...

class InboundNumberList:
    @property
    def numbers(self) -> List[InboundNumber]: ...
    @property
    def raw(self) -> Dict[str, Any]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[InboundNumber]: ...

class BulkProgress:
    """Counters after each decided bulk item (``done = succeeded + already_applied + failed +
    outcome_unknown``)."""

    @property
    def done(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def succeeded(self) -> int: ...
    @property
    def already_applied(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def outcome_unknown(self) -> int: ...

class BulkOutcome:
    """What happened to one bulk item, at ``index`` in the input."""

    @property
    def index(self) -> int: ...
    @property
    def status(
        self,
    ) -> Literal["applied", "already_applied", "failed", "outcome_unknown", "not_started"]: ...
    @property
    def ok(self) -> bool:
        """``status`` is ``applied`` or ``already_applied``."""
    @property
    def id(self) -> Optional[int]:
        """``AllocationId``, ``UserId`` or ``AccountId`` of what the item created, when known
        (``applied`` and ``already_applied``)."""
    @property
    def source(self) -> Optional[Literal["journal", "service"]]:
        """For ``already_applied``: found in the journal of an earlier run, or on the service."""
    @property
    def result(self) -> Any:
        """The result (``applied``) or the record found (``already_applied``) as JSON with the
        vendor's field names; ``None`` otherwise and for operations without one."""
    @property
    def error(self) -> Optional[ResellerError]: ...

_BulkItems = Iterable[Mapping[str, Any]]
_OnProgress = Optional[Callable[[BulkProgress], object]]

class Client:
    """The sync client. Each call blocks with the GIL released; errors are
    :class:`cpaas_reseller.errors.ResellerError` subclasses."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        base_url: Optional[str] = None,
        timeout: float = 130.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        user_agent: Optional[str] = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    @property
    def username(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self: _T) -> _T: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    def call(self, method: str, body: Optional[Dict[str, Any]] = None) -> Any: ...
    def bulk(
        self,
        method: str,
        items: _BulkItems,
        *,
        concurrency: int = 16,
        on_progress: _OnProgress = None,
        journal: Union[str, os.PathLike[str], None] = None,
        reconcile: bool = True,
        settle: Optional[float] = None,
    ) -> List[BulkOutcome]:
        """Runs ``method`` (``"allocate_credit"`` or ``"AllocateCredit"``) once per item (a dict
        of its keyword arguments), at most ``concurrency`` at a time; outcomes in input order.
        With ``journal`` (a file path) every item's fate is recorded durably and the same call
        can be repeated after a crash: items applied are reported ``already_applied``. With
        ``reconcile`` (default) items are first looked up on the service (credit by Reference,
        users by Username, accounts by AccountName under their parent). ``settle``: seconds a
        request may still be applied after its sender stopped waiting (default: ``timeout``)."""
    def create_account(
        self,
        *,
        account_name: str,
        parent_account_id: Optional[int] = None,
        contact_email_address: Optional[str] = None,
        country_code: Optional[str] = None,
        time_zone: Optional[str] = None,
        notes: Optional[str] = None,
    ) -> Account: ...
    def get_account(self, *, account_id: int) -> Account: ...
    def get_accounts(self, *, parent_account_id: Optional[int] = None) -> AccountList: ...
    def update_account(
        self,
        *,
        account_id: int,
        account_name: Optional[str] = None,
        contact_email_address: Optional[str] = None,
        time_zone: Optional[str] = None,
        notes: Optional[str] = None,
    ) -> Account: ...
    def set_account_status(self, *, account_id: int, status: str) -> Account: ...
    def add_user_to_account(
        self,
        *,
        account_id: int,
        username: str,
        password: str,
        firstname: str,
        last_name: str,
        email_address: str,
        mobile_phone_number: str,
        landline_phone_number: str,
        notes: Optional[str] = None,
        change_password_at_next_logon: Optional[bool] = None,
    ) -> UserCreated: ...
    def get_users(self, *, account_id: int) -> UserList: ...
    def get_user(self, *, user_id: int) -> User: ...
    def update_user(
        self,
        *,
        user_id: int,
        firstname: Optional[str] = None,
        last_name: Optional[str] = None,
        email_address: Optional[str] = None,
        mobile_phone_number: Optional[str] = None,
        landline_phone_number: Optional[str] = None,
        notes: Optional[str] = None,
        enabled: Optional[bool] = None,
    ) -> User: ...
    def remove_user_from_account(self, *, user_id: int) -> None: ...
    def reset_user_password(
        self,
        *,
        user_id: int,
        new_password: str,
        change_password_at_next_logon: Optional[bool] = None,
    ) -> None: ...
    def get_roles(self) -> RoleList: ...
    def assign_role_to_user(self, *, user_id: int, role_id: int) -> None: ...
    def remove_role_from_user(self, *, user_id: int, role_id: int) -> None: ...
    def assign_role_to_account(self, *, account_id: int, role_id: int) -> None: ...
    def remove_role_from_account(self, *, account_id: int, role_id: int) -> None: ...
    def allocate_credit(
        self, *, account_id: int, amount: _Money, reference: Optional[str] = None
    ) -> CreditAllocation: ...
    def get_credit_balance(self, *, account_id: int) -> CreditBalance: ...
    def get_credit_allocations(
        self,
        *,
        account_id: int,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> CreditAllocationList: ...
    def get_chargeable_activity(
        self, *, start_date: datetime, end_date: datetime, account_id: Optional[int] = None
    ) -> ActivityReport: ...
    def get_available_inbound_numbers(
        self, *, country_code: Optional[str] = None, number_type: Optional[str] = None
    ) -> InboundNumberList: ...
    def allocate_inbound_number(self, *, account_id: int, number: str) -> InboundNumber: ...
    def release_inbound_number(self, *, account_id: int, number: str) -> None: ...
    def get_allocated_inbound_numbers(self, *, account_id: int) -> InboundNumberList: ...

class _Ready(Awaitable[_T]):
    def __await__(self) -> Generator[Any, None, _T]: ...

class AsyncClient:
    """The asyncio client: the same methods as :class:`Client`, returning coroutines (accepted
    by ``await``, ``asyncio.create_task`` and ``gather``). A call starts when first awaited;
    cancelling the awaiting task cancels the call."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        base_url: Optional[str] = None,
        timeout: float = 130.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        user_agent: Optional[str] = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    @property
    def username(self) -> str: ...
    def close(self) -> _Ready[None]: ...
    def __aenter__(self: _T) -> _Ready[_T]: ...
    def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> _Ready[None]: ...
    def call(self, method: str, body: Optional[Dict[str, Any]] = None) -> Coroutine[Any, Any, Any]: ...
    def bulk(
        self,
        method: str,
        items: _BulkItems,
        *,
        concurrency: int = 16,
        on_progress: _OnProgress = None,
        journal: Union[str, os.PathLike[str], None] = None,
        reconcile: bool = True,
        settle: Optional[float] = None,
    ) -> Coroutine[Any, Any, List[BulkOutcome]]: ...
    def create_account(
        self,
        *,
        account_name: str,
        parent_account_id: Optional[int] = None,
        contact_email_address: Optional[str] = None,
        country_code: Optional[str] = None,
        time_zone: Optional[str] = None,
        notes: Optional[str] = None,
    ) -> Coroutine[Any, Any, Account]: ...
    def get_account(self, *, account_id: int) -> Coroutine[Any, Any, Account]: ...
    def get_accounts(self, *, parent_account_id: Optional[int] = None) -> Coroutine[Any, Any, AccountList]: ...
    def update_account(
        self,
        *,
        account_id: int,
        account_name: Optional[str] = None,
        contact_email_address: Optional[str] = None,
        time_zone: Optional[str] = None,
        notes: Optional[str] = None,
    ) -> Coroutine[Any, Any, Account]: ...
    def set_account_status(self, *, account_id: int, status: str) -> Coroutine[Any, Any, Account]: ...
    def add_user_to_account(
        self,
        *,
        account_id: int,
        username: str,
        password: str,
        firstname: str,
        last_name: str,
        email_address: str,
        mobile_phone_number: str,
        landline_phone_number: str,
        notes: Optional[str] = None,
        change_password_at_next_logon: Optional[bool] = None,
    ) -> Coroutine[Any, Any, UserCreated]: ...
    def get_users(self, *, account_id: int) -> Coroutine[Any, Any, UserList]: ...
    def get_user(self, *, user_id: int) -> Coroutine[Any, Any, User]: ...
    def update_user(
        self,
        *,
        user_id: int,
        firstname: Optional[str] = None,
        last_name: Optional[str] = None,
        email_address: Optional[str] = None,
        mobile_phone_number: Optional[str] = None,
        landline_phone_number: Optional[str] = None,
        notes: Optional[str] = None,
        enabled: Optional[bool] = None,
    ) -> Coroutine[Any, Any, User]: ...
    def remove_user_from_account(self, *, user_id: int) -> Coroutine[Any, Any, None]: ...
    def reset_user_password(
        self,
        *,
        user_id: int,
        new_password: str,
        change_password_at_next_logon: Optional[bool] = None,
    ) -> Coroutine[Any, Any, None]: ...
    def get_roles(self) -> Coroutine[Any, Any, RoleList]: ...
    def assign_role_to_user(self, *, user_id: int, role_id: int) -> Coroutine[Any, Any, None]: ...
    def remove_role_from_user(self, *, user_id: int, role_id: int) -> Coroutine[Any, Any, None]: ...
    def assign_role_to_account(self, *, account_id: int, role_id: int) -> Coroutine[Any, Any, None]: ...
    def remove_role_from_account(self, *, account_id: int, role_id: int) -> Coroutine[Any, Any, None]: ...
    def allocate_credit(
        self, *, account_id: int, amount: _Money, reference: Optional[str] = None
    ) -> Coroutine[Any, Any, CreditAllocation]: ...
    def get_credit_balance(self, *, account_id: int) -> Coroutine[Any, Any, CreditBalance]: ...
    def get_credit_allocations(
        self,
        *,
        account_id: int,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> Coroutine[Any, Any, CreditAllocationList]: ...
    def get_chargeable_activity(
        self, *, start_date: datetime, end_date: datetime, account_id: Optional[int] = None
    ) -> Coroutine[Any, Any, ActivityReport]: ...
    def get_available_inbound_numbers(
        self, *, country_code: Optional[str] = None, number_type: Optional[str] = None
    ) -> Coroutine[Any, Any, InboundNumberList]: ...
    def allocate_inbound_number(self, *, account_id: int, number: str) -> Coroutine[Any, Any, InboundNumber]: ...
    def release_inbound_number(self, *, account_id: int, number: str) -> Coroutine[Any, Any, None]: ...
    def get_allocated_inbound_numbers(self, *, account_id: int) -> Coroutine[Any, Any, InboundNumberList]: ...

class Emulator:
    """The native emulator; use :class:`cpaas_reseller.testing.Emulator`."""

    def __init__(
        self,
        *,
        username: Optional[str] = None,
        password: Optional[str] = None,
        port: int = 0,
        seed: Optional[int] = None,
        empty: bool = False,
        activities_per_account_day: Optional[int] = None,
    ) -> None: ...
    @property
    def base_url(self) -> str: ...
    @property
    def alt_base_url(self) -> str: ...
    @property
    def control_url(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def root_account_id(self) -> int: ...
    def inject(self, fault: Dict[str, Any]) -> None: ...
    def clear_faults(self) -> None: ...
    def pending_faults(self) -> List[Dict[str, Any]]: ...
    def journal(self) -> List[Dict[str, Any]]: ...
    def clear_journal(self) -> None: ...
    def calls(self, method: str) -> int: ...
    def state(self) -> Dict[str, Any]: ...
    def reset(self) -> None: ...
    def shutdown(self) -> None: ...

def doctor(
    username: str, password: str, *, base_url: Optional[str] = None, timeout: float = 130.0
) -> Dict[str, Any]: ...
