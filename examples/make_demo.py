"""Materialise the demo repository: copy examples/demo-repo, fill @@NAME@@ markers, commit it.

Secret-shaped values are generated here at run time (deterministically, so the demo output is
stable); the committed templates hold only markers.
"""

from __future__ import annotations

import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "demo-repo"


def _token(prefix: str, length: int, seed: str, alphabet: str = string.ascii_letters + string.digits) -> str:
    rng = random.Random(seed)
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


VALUES = {
    "GITHUB_PAT": _token("ghp_", 36, "demo-github"),
    "STRIPE_LIVE": _token("sk_" + "live_", 24, "demo-stripe"),
    "DB_PASSWORD": _token("", 20, "demo-db"),
    "GITHUB_PAT_OLD": _token("ghp_", 36, "demo-github-broken"),
}


def materialise(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    for source in sorted(TEMPLATE.rglob("*")):
        dest = target / source.relative_to(TEMPLATE)
        if source.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for name, value in VALUES.items():
            text = text.replace(f"@@{name}@@", value)
        dest.write_text(text, encoding="utf-8")
    git = ["git", "-C", str(target), "-c", "user.name=demo", "-c", "user.email=demo@example.invalid",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "demo"], check=True)
    # A developer's local, never-committed config: the default scan reads only what git tracks and
    # says so in one notice (`--all-files` or naming the path scans it).
    local = target / ".gemini" / "settings.json"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text('{"mcpServers": {"github": {"command": "npx", "args": ["-y", "github-mcp"],\n'
                     '  "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "$GITHUB_PAT"}}}}\n', encoding="utf-8")


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/demo-repo")
    materialise(target)
    print(f"demo repository written to {target} (secret-shaped values generated at run time)")


if __name__ == "__main__":
    main()
