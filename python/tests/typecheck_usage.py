"""Typed usage of the public API; `mypy --strict` must accept it (scripts/test-python.sh)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from decimal import Decimal
from typing import List, Optional

from cpaas_reseller import (
    Account,
    ActivityReport,
    ApiError,
    AsyncClient,
    BulkOutcome,
    Client,
    CreditAllocation,
    RequestTimeoutError,
    ValidationError,
)
from cpaas_reseller.testing import Emulator, JournalEntry


def sync_usage(client: Client) -> Decimal:
    account: Account = client.get_account(account_id=1001)
    name: Optional[str] = account.account_name
    created: Optional[datetime] = account.created_date
    allocation: CreditAllocation = client.allocate_credit(account_id=1001, amount=Decimal("12.50"), reference="x")
    report: ActivityReport = client.get_chargeable_activity(
        start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), end_date=datetime(2026, 1, 2, tzinfo=timezone.utc)
    )
    total = sum((activity.total_cost for activity in report.activities), Decimal(0))
    client.remove_user_from_account(user_id=102)
    outcomes: List[BulkOutcome] = client.bulk("allocate_credit", [{"account_id": 1001, "amount": Decimal(1)}])
    print(name, created, allocation.balance_after, outcomes[0].status, account.raw.get("BillingReference"))
    return total


async def async_usage(client: AsyncClient) -> int:
    async with client:
        roles = await client.get_roles()
        task = asyncio.create_task(client.get_user(user_id=100))
        user = await task
        accounts, balance = await asyncio.gather(client.get_accounts(), client.get_credit_balance(account_id=1001))
        print(user.username, balance.balance, len(accounts.accounts))
        return len(roles.roles)


def error_handling(client: Client) -> str:
    try:
        client.get_account(account_id=1001)
    except ValidationError as error:
        return error.field
    except RequestTimeoutError as error:
        return f"timeout, outcome unknown: {error.outcome_unknown}"
    except ApiError as error:
        return f"{error.status} {error.error_type} {error.message} {error.detail}"
    return "ok"


def main() -> None:
    with Emulator() as emulator:
        with emulator.client() as client:
            print(sync_usage(client), error_handling(client))
        print(asyncio.run(async_usage(emulator.async_client())))
        entry: Optional[JournalEntry] = emulator.last_request("GetRoles")
        print(entry.body if entry else None)


if __name__ == "__main__":
    main()
