"""Build an organisation's worth of per-repository results from the bundled example repository.

Each repository is a copy of examples/demo-repo with a subset of its configs and its own secret
values generated at run time; `plant` puts one extra credential into chosen repositories. The
artifacts are produced by the real `mcp-guard inventory --format json` and `mcp-guard scan
--format json` commands, exactly as the org-inventory workflow runs them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import main
from tests.fakes import fake_token

TEMPLATE = Path(__file__).resolve().parents[2] / "examples" / "demo-repo"
# The demo's config that does not parse (.roo/mcp.json) is left out: the farm measures reuse and
# inventory, and its parse warning would be a per-repository problem.
CONFIGS = sorted(str(p.relative_to(TEMPLATE)) for p in TEMPLATE.rglob("*") if p.is_file()
                 and p.name != "README.md" and p.parent.name != ".roo")


@dataclass
class Farm:
    results: Path
    secrets: list[str] = field(default_factory=list)
    servers: dict[str, list[str]] = field(default_factory=dict)  # repo -> ["file:server", ...]


def _values(index: int) -> dict[str, str]:
    return {"GITHUB_PAT": fake_token("ghp_", 36, 1000 + index),
            "STRIPE_LIVE": fake_token("sk_" + "live_", 24, 2000 + index),
            "DB_PASSWORD": fake_token("", 20, 3000 + index)}


def build_repo(root: Path, index: int, extra: dict[str, str] | None = None) -> list[str]:
    """Materialise repository `index`; returns its secret values."""
    values = _values(index)
    chosen = [rel for k, rel in enumerate(CONFIGS) if (index + k) % 4 != 0] or CONFIGS[:1]
    for rel in chosen:
        text = (TEMPLATE / rel).read_text(encoding="utf-8")
        for name, value in values.items():
            text = text.replace(f"@@{name}@@", value)
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    for rel, text in (extra or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return list(values.values())


def run_repo(checkout: Path, out: Path, env: dict[str, str]) -> dict[str, int]:
    """The workflow's two commands for one repository; returns their exit codes."""
    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    inv = runner.invoke(main, ["inventory", "--format", "json", "-o", str(out / "inventory.json"),
                               str(checkout)], env=env)
    scan = runner.invoke(main, ["scan", "--no-gitleaks", "--format", "json", "-o", str(out / "scan.json"),
                                str(checkout)], env=env)
    assert inv.exit_code == 0, inv.output
    assert scan.exit_code in (0, 1), scan.output
    return {"inventory_exit": inv.exit_code, "scan_exit": scan.exit_code}


def build_farm(tmp: Path, count: int, key: str, plants: dict[int, dict[str, str]],
               planted_secrets: list[str]) -> Farm:
    farm = Farm(results=tmp / "results")
    env = {"MCP_GUARD_FINGERPRINT_KEY": key}
    for index in range(count):
        repo = f"acme/service-{index:02d}"
        checkout = tmp / "checkouts" / f"r{index:02d}"
        farm.secrets += build_repo(checkout, index, plants.get(index))
        folder = farm.results / repo.replace("/", "__")
        status = run_repo(checkout, folder, env)
        (folder / "status.json").write_text(json.dumps({"repo": repo, "checkout": "success", **status}),
                                            encoding="utf-8")
        inventory = json.loads((folder / "inventory.json").read_text(encoding="utf-8"))
        farm.servers[repo] = [f"{s['file']}:{s['server']}" for s in inventory["servers"]]
        shutil.rmtree(checkout)
    farm.secrets += planted_secrets
    return farm
