"""Materialise a demo organisation and its per-repository results, as the org-inventory workflow would.

Twelve repositories are copied from examples/demo-repo, each with a different subset of its configs
and its own secret-shaped values generated at run time; one GitHub token is reused by a developer
config in one repository and a production config in another; only one repository keeps the template's
unparsable `.roo/mcp.json`. For each, `mcp-guard inventory` and
`mcp-guard scan` write <owner>__<name>/{inventory,scan,status}.json under DIR/results, ready for
`mcp-guard org report DIR/results`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "demo-repo"
NAMES = ("payments-api", "checkout-web", "data-platform", "ml-notebooks", "infra-live", "support-bot",
         "docs-site", "mobile-app", "billing-worker", "search", "auth-service", "analytics")
REUSED = {"payments-api": ".cursor/mcp.json", "infra-live": "deploy/production/mcp.json"}
BROKEN = "support-bot"  # keeps examples/demo-repo/.roo/mcp.json (does not parse): one incomplete repo
KEY = "demo-org-fingerprint-key-not-a-secret"


def _token(prefix: str, length: int, seed: str) -> str:
    rng = random.Random(seed)
    return prefix + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))


def _repo(root: Path, index: int, name: str, reused: str) -> None:
    values = {"GITHUB_PAT": _token("ghp_", 36, f"org-gh-{name}"),
              "STRIPE_LIVE": _token("sk_" + "live_", 24, f"org-stripe-{name}"),
              "DB_PASSWORD": _token("", 20, f"org-db-{name}")}
    configs = sorted(p for p in TEMPLATE.rglob("*") if p.is_file() and p.name != "README.md")
    for k, source in enumerate(configs):
        if (index + k) % 3 == 0 and k:
            continue
        if source.parent.name == ".roo" and name != BROKEN:  # the template's unparsable file, in one repo
            continue
        text = source.read_text(encoding="utf-8")
        for marker, value in values.items():
            text = text.replace(f"@@{marker}@@", value)
        dest = root / source.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    if name in REUSED and REUSED[name].startswith("deploy/"):
        server = {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
                  "headers": {"Authorization": f"Bearer {reused}"}}
        dest = root / REUSED[name]
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps({"mcpServers": {"github-deploy": server}}, indent=2), encoding="utf-8")
    elif name in REUSED:
        path = root / REUSED[name]
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8").replace(values["GITHUB_PAT"], reused),
                            encoding="utf-8")


def _commit(root: Path) -> None:
    """A checkout is a git repository: mcp-guard then scans exactly the tracked files."""
    git = ["git", "-C", str(root), "-c", "user.name=demo", "-c", "user.email=demo@example.invalid",
           "-c", "commit.gpgsign=false"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "demo"]):
        subprocess.run([*git, *args], check=True, stdin=subprocess.DEVNULL)


def _mcp_guard(*args: str) -> int:
    env = {"MCP_GUARD_FINGERPRINT_KEY": KEY, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run([sys.executable, "-m", "scanner", *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, check=False).returncode


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/org-demo")
    if target.exists():
        shutil.rmtree(target)
    reused = _token("ghp_", 36, "org-reused")
    for index, name in enumerate(NAMES):
        checkout = target / "checkouts" / name
        _repo(checkout, index, name, reused)
        _commit(checkout)
        out = target / "results" / f"acme__{name}"
        out.mkdir(parents=True)
        inv = _mcp_guard("inventory", "--format", "json", "-o", str(out / "inventory.json"), str(checkout))
        scan = _mcp_guard("scan", "--no-gitleaks", "--format", "json", "-o", str(out / "scan.json"),
                          str(checkout))
        status = {"repo": f"acme/{name}", "ref": "main", "checkout": "success", "inventory_exit": inv,
                  "scan_exit": scan}
        (out / "status.json").write_text(json.dumps(status), encoding="utf-8")
    # One repository whose clone failed: reported by the org report, not dropped.
    failed = target / "results" / "acme__legacy-monolith"
    failed.mkdir(parents=True)
    (failed / "status.json").write_text(json.dumps({"repo": "acme/legacy-monolith", "ref": "master",
                                                    "checkout": "failure", "inventory_exit": None,
                                                    "scan_exit": None}), encoding="utf-8")
    shutil.rmtree(target / "checkouts")
    print(f"demo organisation results written to {target / 'results'}")


if __name__ == "__main__":
    main()
