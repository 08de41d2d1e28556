"""Wild-matrix rows from the second real-config corpus (committed MCP configs of public
repositories, 2026): application passwords pasted with their display spaces (WordPress MCP servers'
`WORDPRESS_APP_PASSWORD`, mail servers' Google app passwords), and what sits in the same place when
nothing leaks: the layout's placeholders, the jwt.io sample token, words-and-counting test values,
SOPS ciphertext. Every value is built at run time."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.engines.test_corpus_shapes import jwt_io_sample, sops_value
from tests.fakes import fake_token

if TYPE_CHECKING:
    from tests.matrix.wild_cases import _Builder

_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _groups(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def corpus_rows(b: _Builder) -> None:
    from tests.matrix.wild_cases import env_entry, mcp

    wp = _groups(fake_token("", 24, 600))
    b.add("app-password", env_entry({"WORDPRESS_URL": "https://shop.acme-tools.io",
                                     "WORDPRESS_USERNAME": "editor", "WORDPRESS_APP_PASSWORD": wp},
                                    "claude_desktop_config.json"), wp)
    wp2 = _groups(fake_token("", 24, 601))
    b.add("app-password", env_entry({"WP_URL": "https://blog.acme-tools.io", "WP_APP_PASSWORD": wp2},
                                    ".cursor/mcp.json"), wp2)
    gmail = _groups(fake_token("", 16, 602, _LOWER))
    b.add("app-password", env_entry({"EMAIL_ADDRESS": "ops@acme-tools.io", "EMAIL_PASSWORD": gmail,
                                     "IMAP_HOST": "imap.gmail.com"}), gmail)
    smtp = _groups(fake_token("", 16, 603, _LOWER))
    b.add("app-password", env_entry({"SMTP_HOST": "smtp.gmail.com", "SMTP_USER": "ops@acme-tools.io",
                                     "SMTP_PASS": smtp}, ".vscode/mcp.json"), smtp)
    # The same layout in READMEs' configs: placeholders, not passwords.
    b.add("neg-placeholder", env_entry({"WORDPRESS_APPLICATION_PASSWORD": "xxxx xxxx xxxx xxxx xxxx xxxx"}))
    b.add("neg-placeholder", env_entry({"GMAIL_APP_PASSWORD": "abcd efgh ijkl mnop"}))
    b.add("neg-placeholder", env_entry({"SMTP_PASSWORD": "aaaa bbbb cccc dddd"}))
    # Documentation examples and ciphertext under credential names.
    b.add("neg-placeholder", env_entry({"AUTH_TOKEN": jwt_io_sample()}))
    b.add("neg-placeholder", mcp({"url": "https://mcp.acme-tools.io/mcp",
                                  "headers": {"Authorization": "Bearer " + jwt_io_sample()}}))
    b.add("neg-placeholder", env_entry({"API_KEY": "test-api-key-12345", "SECRET_TOKEN": "my-test-key-123"}))
    b.add("neg-placeholder", env_entry({"OPENAI_API_KEY": sops_value(604), "DB_PASSWORD": sops_value(605)}))
    header = jwt_io_sample().split(".")[0]
    b.add("neg-placeholder", env_entry({"SUPABASE_ANON_KEY": header + "...",
                                        "SUPABASE_KEY": header + "\u2026"}))
    b.add("neg-local", env_entry({"POSTGRES_PASSWORD": "mysecretpassword", "POSTGRES_HOST": "localhost"}))
    # Claude Code permission rules: the approved command, credentials included, wrapped in `Bash(...)`.
    pg = fake_token("", 20, 606)
    token = fake_token("", 40, 607)
    rules = [f"Bash(PGPASSWORD={pg} psql -h db.acme-tools-cloud.com -U app -d app)",
             f"Bash(ACME_API_TOKEN={token} npm run sync:*)", "Bash(npm run test:*)"]
    settings = json.dumps({"permissions": {"allow": rules}})
    b.add("claude-rule", (".claude/settings.local.json", settings), pg, token)
    b.add("neg-local", (".claude/settings.local.json", json.dumps({"permissions": {"allow": [
        "Bash(PGPASSWORD=postgres psql -h localhost -U postgres)", "Bash(psql:*)"]}})))
