"""An issuer whose kinds of credential are revoked on different pages links each kind's own page:
a classic GitHub token (`ghp_`) is not listed where fine-grained tokens are. Tokens built at run time."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scanner.markdown.templates import render_comment
from scanner.markdown.views import CommentContext
from scanner.providers.patterns import PATTERNS
from scanner.providers.runbooks import RUNBOOKS
from tests.fakes import fake_token
from tests.fix.cases import scan_root

_FINE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_CTX = CommentContext(repo="octo/demo", pr_number=1, head_sha="0" * 40)


def _comment(tmp_path: Path, env: dict[str, str]) -> str:
    servers = {f"s{i}": {"command": "npx", "env": {name: value}}
               for i, (name, value) in enumerate(env.items())}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2), encoding="utf-8")
    return render_comment(scan_root(tmp_path), _CTX)


def _rotate_links(comment: str) -> list[str]:
    return re.findall(r"\*\*Rotate\*\*[^\n]*? at \[GitHub\]\((https://[^)]+)\)", comment)


def test_every_page_names_a_credential_kind_of_its_issuer() -> None:
    kinds = {p.id for p in PATTERNS}
    for book in RUNBOOKS.values():
        for secret_type, url, steps in book.pages:
            assert secret_type in kinds and url.startswith("https://") and steps


def test_a_classic_token_links_the_classic_tokens_page(tmp_path: Path) -> None:
    comment = _comment(tmp_path, {"GITHUB_PERSONAL_ACCESS_TOKEN": fake_token("ghp_", 36, 71)})
    assert _rotate_links(comment) == ["https://github.com/settings/tokens"]
    assert "Tokens (classic)" in comment.replace("\\", "")


def test_two_kinds_of_one_issuer_each_get_their_page_and_steps(tmp_path: Path) -> None:
    comment = _comment(tmp_path, {"GITHUB_TOKEN": fake_token("ghp_", 36, 72),
                                  "GH_TOKEN": fake_token("github_pat_", 82, 73, _FINE)})
    assert sorted(_rotate_links(comment)) == ["https://github.com/settings/personal-access-tokens",
                                              "https://github.com/settings/tokens"]
    assert "steps above" not in comment
