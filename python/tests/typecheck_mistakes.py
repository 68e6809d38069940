"""Wrong usage that `mypy --strict` must reject, one mistake per marked line (checked by
scripts/test-python.sh), so the stubs are known to constrain callers."""

from __future__ import annotations

from datetime import datetime

from cpaas_reseller import AsyncClient, Client


def mistakes(client: Client, async_client: AsyncClient) -> None:
    client.get_account(1001)  # MISTAKE: keyword-only
    client.get_account(account_id="1001")  # MISTAKE: wrong type
    client.allocate_credit(account_id=1001, amount=1.5)  # MISTAKE: float money
    client.get_chargeable_activity(start_date=datetime.now())  # MISTAKE: missing end_date
    name: int = client.get_user(user_id=1).username  # MISTAKE: Optional[str]
    roles_count: int = len(async_client.get_roles().roles)  # MISTAKE: not awaited
    print(name, roles_count)
