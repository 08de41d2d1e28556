"""Snippets cut secret-looking runs only, never a host name or a worded identifier."""

from __future__ import annotations

import pytest

from scanner.markdown.snippet import defang, masked_token
from tests.fakes import fake_token


@pytest.mark.parametrize("token", [
    '"postgresql://orders_app:****@analytics.prod.acme-corp.com:5432/orders"',
    '"https://analytics-eu-west-1.internal.example.com/mcp"',
    '"ORDERS_DB_DATABASE_PASSWORD_FILE"',
    '"--profile=production-readonly-analytics"',
    '"db-01.prod.example.com"',
])
def test_hosts_and_identifiers_are_shown_whole(token: str) -> None:
    assert masked_token(token, None) == token
    assert defang(token) == token


def test_unreported_secret_runs_are_still_cut() -> None:
    key = fake_token("", 32, seed=5)
    shown = masked_token(f'"--api-key={key}"', None)
    assert key[:12] not in shown and shown.startswith('"--api-key=' + key[:4] + "…")
    # A random token used as a host label is not a host name people write.
    sub = fake_token("", 24, seed=6)
    assert sub[:12] not in defang(f"https://{sub}.example.com/x".replace("/", " "))
