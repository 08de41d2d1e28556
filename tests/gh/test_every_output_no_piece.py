"""One repository with several kinds of secret in several clients' files, and every output mcp-guard
can produce from it: `scan` in each format, `inventory`, `fix --dry-run`, `baseline`, the Action (log
with its annotations, step summary, step outputs, SARIF, PR comment, status, review suggestions) and
`org report` in each format (HTML included) over the scan's artifacts. No output may hold any
12-character window of any of the secrets, in any letter case. Values are built at run time.

The output boundary runs in strict mode here (tests/conftest.py): a leak would also raise."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import main
from tests.fakes import fake_token
from tests.gh.action_helpers import Repo, git, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, status_reply
from tests.gh.test_review import PullReview, _sticky

_WINDOW = 12
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0234567"


def _secrets() -> dict[str, str]:
    rng = random.Random(2026)
    password = "".join(rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGH23456789") for _ in range(22))
    return {
        "github": fake_token("ghp_", 36, 501),
        "stripe-live": fake_token("sk_live_", 32, 502),
        "aws-id": fake_token("AKIA", 16, 503, _UPPER_ALNUM),
        "aws-secret": fake_token("", 40, 504),
        "openai": fake_token("sk-proj-", 48, 505),
        "gitlab": fake_token("glpat-", 20, 506),
        "db-password": password,
        "codex-bearer": fake_token("ghp_", 36, 507),
        "dotenv": fake_token("xoxb-", 0) + "-".join(str(rng.randrange(10**11, 10**12)) for _ in range(2))
                  + "-" + fake_token("", 24, 508),
        "k8s": fake_token("ghp_", 36, 509),
        "goose-key": fake_token("ghp_", 36, 510),  # also the env key, upper-cased (a token used as a name)
    }


def _files(s: dict[str, str]) -> dict[str, str]:
    mcp = {"mcpServers": {
        "github": {"command": "npx",
                   "args": ["-y", "@modelcontextprotocol/server-github", "--env", "production"],
                   "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": s["github"], "GITHUB_READ_ONLY": "false"}},
        "payments": {"command": "npx", "args": ["-y", "@stripe/mcp", f"--api-key={s['stripe-live']}"]},
        "aws": {"command": "uvx", "args": ["awslabs.core-mcp-server"],
                "env": {"AWS_ACCESS_KEY_ID": s["aws-id"], "AWS_SECRET_ACCESS_KEY": s["aws-secret"],
                        "AWS_REGION": "eu-west-1"}},
        "db": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres",
                                          f"postgresql://app:{s['db-password']}@db.prod.acme-corp.io:5432/app"]},
    }}
    vscode = {"servers": {"openai": {"type": "http", "url": "https://mcp.acme-tools.io/mcp",
                                     "headers": {"Authorization": f"Bearer {s['openai']}"}}}}
    codex = ('[mcp_servers.hub]\nurl = "https://api.githubcopilot.com/mcp/"\n'
             f'bearer_token = "{s["codex-bearer"]}"\n')
    compose = ("services:\n  gitlab-mcp:\n    image: mcp/gitlab\n    environment:\n"
               f"      GITLAB_PERSONAL_ACCESS_TOKEN: {s['gitlab']}\n"
               "      GITLAB_API_URL: https://gitlab.com/api/v4\n")
    k8s = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: github-mcp\nspec:\n  template:\n"
           "    spec:\n      containers:\n      - name: github-mcp-server\n"
           "        image: ghcr.io/github/github-mcp-server:latest\n        env:\n"
           f"        - name: GITHUB_PERSONAL_ACCESS_TOKEN\n          value: \"{s['k8s']}\"\n")
    goose = ("extensions:\n  github:\n    type: stdio\n    cmd: npx\n    envs:\n"
             f"      {s['goose-key'].upper()}: {s['goose-key']}\n    enabled: true\n")
    return {".mcp.json": json.dumps(mcp, indent=2) + "\n",
            ".config/goose/config.yaml": goose,
            ".vscode/mcp.json": json.dumps(vscode, indent=2) + "\n",
            ".codex/config.toml": codex,
            "docker-compose.yml": compose,
            "deploy/k8s/deployment.yaml": k8s,
            ".env.mcp": f"SLACK_BOT_TOKEN={s['dotenv']}\n"}


def _windows(value: str) -> set[str]:
    value = value.lower()
    return {value[i:i + _WINDOW] for i in range(len(value) - _WINDOW + 1)}


def _assert_clean(outputs: dict[str, str], secrets: dict[str, str]) -> None:
    for where, text in outputs.items():
        folded = text.lower()
        for kind, value in secrets.items():
            leaked = [w for w in _windows(value) if w in folded]
            assert not leaked, f"{len(leaked)} 12-character window(s) of the {kind} secret in {where}"


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"MCP_GUARD_FINGERPRINT_KEY": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + "\n" + result.stderr


def test_no_output_of_any_format_carries_a_piece_of_any_secret(tmp_path: Path, gh: FakeGitHub) -> None:
    secrets = _secrets()
    files = _files(secrets)
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit(files)
    root = str(repo.path)
    outputs: dict[str, str] = {}

    # The CLI: every report format, the inventory, the fix diff and the baseline.
    code, json_report = _cli("scan", "--format", "json", root)
    assert code == 1
    found = json.loads(json_report[:json_report.rindex("}") + 1])["findings"]
    secret_files = {f["file"] for f in found if f["category"] == "secret"}
    assert secret_files == set(files), sorted(set(files) - secret_files)  # every planted file was caught
    shown = {f["redacted"] for f in found if f.get("redacted")}
    # each value was found (the AWS key id goes with its secret key: one finding, one redacted form)
    assert len(shown) >= len(secrets) - 1, "; ".join(sorted(shown))
    outputs["scan json (gitleaks)"] = json_report
    for fmt in ("text", "json", "sarif", "markdown"):
        outputs[f"scan {fmt}"] = _cli("scan", "--no-gitleaks", "--format", fmt, root)[1]
    for fmt in ("text", "json"):
        outputs[f"inventory {fmt}"] = _cli("inventory", "--format", fmt, root)[1]
    outputs["fix --dry-run"] = _cli("fix", "--dry-run", "--no-gitleaks", root)[1]
    baseline = tmp_path / "baseline.json"
    outputs["baseline (stdout)"] = _cli("baseline", "--no-gitleaks", "-o", str(baseline), root)[1]
    outputs["baseline (file)"] = baseline.read_text(encoding="utf-8")

    # The org report over the artifacts the org workflow writes.
    artifacts = tmp_path / "results" / "acme__ws"
    artifacts.mkdir(parents=True)
    _cli("inventory", "--format", "json", "-o", str(artifacts / "inventory.json"), root)
    _cli("scan", "--no-gitleaks", "--format", "json", "-o", str(artifacts / "scan.json"), root)
    outputs["scan json artifact"] = (artifacts / "scan.json").read_text(encoding="utf-8")
    outputs["inventory json artifact"] = (artifacts / "inventory.json").read_text(encoding="utf-8")
    for fmt in ("json", "markdown", "csv", "html"):
        code, text = _cli("org", "report", str(tmp_path / "results"), "--format", fmt)
        assert code == 0 and "acme" in text, text[-400:]
        outputs[f"org report {fmt}"] = text

    # The Action on the pull request: log and annotations, summary, outputs, SARIF, comment, status,
    # review suggestions.
    review = PullReview(repo.path, base, head, sorted(files))
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true",
                 gitleaks="true")
    assert result.code == 1
    assert store.comments and review.reviews and review.reviews[0]["comments"]
    outputs.update({"action log": result.log, "step summary": result.summary, "step outputs": result.outputs,
                    "action sarif": result.sarif, "GitHub request bodies": gh.bodies(),
                    "PR comment": "\n".join(c["body"] for c in store.comments),
                    "review suggestions": json.dumps(review.reviews)})
    assert "::error" in result.log or "::warning" in result.log  # annotations were written
    _assert_clean(outputs, secrets)
