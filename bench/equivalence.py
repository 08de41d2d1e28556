"""Old-vs-new equivalence of whole scans: the same findings (every field), the same environment
verdicts with the same evidence, in the same order, over the test corpus and generated configs.

A speed change must not change a result. This runs the corpus through `scan_files` with the scanner
of a git revision (extracted with `git archive` into a temporary directory) and with the work tree's,
each in its own process, and compares the two dumps line by line. Not a test: it needs the git
history (the committed test, tests/test_evidence_cache.py, compares the cached paths with the
uncached reference functions instead).

    python bench/equivalence.py [--against REV]   # default REV: HEAD
    python bench/equivalence.py --dump FILE       # this tree's dump only
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

Item = tuple[str, dict[str, bytes], str]  # (name, files, policy text)

_NAMES = ["prod-db", "staging", "dev-tools", "github", "supabase", "analytics_prod", "localDev", "qa-runner",
          "product-catalog", "preprod-api", "nonprod", "live-server", "test", "sandbox", "postgres"]
_ENV_KEYS = ["NODE_ENV", "APP_ENV", "STAGE", "AWS_PROFILE", "PAYPAL_ENVIRONMENT", "STRIPE_MODE", "DB_HOST",
             "DATABASE_URL", "REDIS_URL", "PROJECT_NAME", "CLUSTER", "KUBE_CONTEXT", "API_TOKEN",
             "PROD_DATABASE_URL", "STAGING_API_KEY", "SUPABASE_URL", "DEPLOY_TARGET", "LOG_LEVEL",
             "SERVER", "ENDPOINT", "READ_ONLY", "ALLOW_WRITE", "SPRING_PROFILES_ACTIVE", "X_TIER"]
_VALUES = ["prod", "production", "staging", "dev", "live", "PRODUCTION", "SANDBOX", "local", "info",
           "${APP_ENV}", "${env:DB}", "db-prod.internal", "db.staging.example.com", "localhost:5432",
           "127.0.0.1", "10.0.0.5", "[::1]:8080", "abc.supabase.co", "mcp.supabase.com", "api.prod.acme.io",
           "postgres://app:${P}@db.prod.internal:5432/app_prod?sslmode=require",
           "postgresql://ro_user@db-main.internal/analytics_dev",
           "mysql://u@h1.internal,h2.prod.internal/app?env=staging", "sqlite:///tmp/x.db",
           "https://mcp.supabase.com/mcp?project_ref=abc&read_only=true", "https://mcp.supabase.com/mcp",
           "http://api.acme.corp/v1", "live-2", "true", "false", "uat", "pre-prod", "my-cluster-prod",
           "https://${HOST}/x", "file:///home/alice/x.db", "redis://cache.prod.internal:6379/0"]
_FLAGS = ["--env", "--stage", "--profile", "--namespace", "--project", "--host", "--url", "--dsn",
          "--read-only", "--allow-write", "-e", "--env-var", "--access-mode", "--port"]
_POLICIES = ["", 'production:\n  hosts: ["db-main.internal", "*.prod.acme.io"]\n',
             'production:\n  env: {DEPLOY_TARGET: "live*", APP_ENV: "prd"}\n',
             'production:\n  paths:\n    "ops/**": prod\n']
_PATHS = [".cursor/mcp.json", ".mcp.json", "ops/.mcp.json", "staging/.vscode/mcp.json",
          "examples/demo/.mcp.json", "prod/claude_desktop_config.json"]


def _generated(count: int, seed: int = 7) -> Iterator[Item]:
    from tests.fakes import fake_token

    rng = random.Random(seed)
    for index in range(count):
        files: dict[str, bytes] = {}
        for path in rng.sample(_PATHS, rng.randint(1, 3)):
            servers: dict[str, object] = {}
            for s in range(rng.randint(1, 5)):
                env = {rng.choice(_ENV_KEYS): rng.choice(_VALUES) for _ in range(rng.randint(0, 5))}
                if rng.random() < 0.4:
                    env[rng.choice(["STRIPE_SECRET_KEY", "GITHUB_TOKEN", "API_KEY"])] = rng.choice([
                        fake_token("sk_" + "live_", 24, index), fake_token("sk_" + "test_", 24, index),
                        fake_token("ghp_", 36, s), fake_token("", 24, index)])
                args: list[str] = ["-y", rng.choice(["@acme/mcp@latest", "pkg", "git+https://x.test/r"])]
                for _ in range(rng.randint(0, 4)):
                    flag = rng.choice(_FLAGS)
                    value = rng.choice(_VALUES + [f"{rng.choice(_ENV_KEYS)}={rng.choice(_VALUES)}"])
                    args += [f"{flag}={value}"] if rng.random() < 0.3 else [flag, value]
                if rng.random() < 0.2:
                    args.append(f"{rng.choice(_ENV_KEYS)}={rng.choice(_VALUES)}")
                entry: dict[str, object] = {"command": rng.choice(["npx", "docker", "uvx", "bash"]),
                                            "args": args, "env": env}
                if rng.random() < 0.3:
                    entry = {"url": rng.choice([v for v in _VALUES if "://" in v]),
                             "headers": {"X-Env": rng.choice(_VALUES), "x-read-only": "true"}}
                if rng.random() < 0.2:
                    entry["alwaysAllow"] = ["execute_sql", "list_tables"]
                servers[f"{rng.choice(_NAMES)}{s if rng.random() < 0.5 else ''}"] = entry
            key = "servers" if "vscode" in path else "mcpServers"
            files[path] = json.dumps({key: servers}, indent=rng.choice([None, 2])).encode()
        yield f"generated-{index}", files, rng.choice(_POLICIES)


def corpus() -> Iterator[Item]:
    sys.path.insert(0, str(ROOT / "bench"))
    from hostile import SHAPES, files_for

    from tests.matrix.prod_cases import build, cases
    from tests.matrix.secret_cases import all_cases
    from tests.matrix.wild_cases import wild_cases

    for case in cases():
        _configs, _matches, sources = build(case)
        yield f"prod:{case.name}", {p: t.encode() for p, t in sources.items()}, case.policy
    for secret_case in all_cases():
        yield f"secret:{secret_case.id}", {secret_case.path: secret_case.text.encode()}, ""
    for wild in wild_cases():
        yield f"wild:{wild.id}", {wild.path: wild.text.encode()}, ""
    fixtures = ROOT / "tests" / "fixtures" / "clients"
    files = {f".cursor/{p.name}" if p.suffix == ".json" else p.name: p.read_bytes()
             for p in sorted(fixtures.iterdir()) if p.is_file()}
    yield "fixtures", files, ""
    for path in sorted(fixtures.iterdir()):
        if path.is_file():
            yield f"fixture:{path.name}", {path.name: path.read_bytes()}, ""
    demo = ROOT / "examples" / "demo-repo"
    yield "demo-templates", {str(p.relative_to(demo)): p.read_bytes()
                             for p in sorted(demo.rglob("*")) if p.is_file()}, ""
    for name in SHAPES:
        yield f"hostile:{name}", files_for(name, 24 * 1024), ""
    yield from _generated(400)


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def dump(out_path: str) -> None:
    from scanner.pipeline import ScanOptions, scan_files
    from scanner.policy import parse_policy

    with open(out_path, "w", encoding="utf-8") as out:
        for name, files, policy_text in corpus():
            policy = parse_policy(policy_text, ".mcp-guard.yml") if policy_text else None
            options = ScanOptions(root=Path("."), use_gitleaks=False, policy=policy,
                                  max_file_bytes=5 * 1024 * 1024)
            result = scan_files(files, options)
            record = {"name": name, "findings": _plain(result.findings), "file_env": _plain(result.file_env),
                      "server_env": _plain(result.server_env), "warnings": result.warnings,
                      "errors": _plain(result.errors)}
            out.write(json.dumps(record, sort_keys=True) + "\n")
    import scanner.environment

    print(f"dumped with {Path(scanner.environment.__file__).parent.parent}", file=sys.stderr)


def _run_dump(scanner_root: Path, out_path: str) -> None:
    paths = [str(scanner_root), str(ROOT)]
    code = (f"import sys; sys.path[:0] = {paths!r}; sys.argv = ['eq', '--dump', {out_path!r}]; "
            f"import runpy; runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT), stdin=subprocess.DEVNULL)


def compare(rev: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp) / "old"
        old_root.mkdir()
        archive = subprocess.run(["git", "archive", rev, "scanner"], cwd=str(ROOT), check=True,
                                 capture_output=True, stdin=subprocess.DEVNULL).stdout
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
        old_dump, new_dump = Path(tmp) / "old.jsonl", Path(tmp) / "new.jsonl"
        _run_dump(old_root, str(old_dump))
        _run_dump(ROOT, str(new_dump))
        old_lines = old_dump.read_text().splitlines()
        new_lines = new_dump.read_text().splitlines()
    differ = [json.loads(a)["name"] for a, b in zip(old_lines, new_lines, strict=False) if a != b]
    findings = sum(len(json.loads(line)["findings"]) for line in new_lines)
    print(f"{len(new_lines)} scans ({findings} findings) vs {rev}: "
          f"{'identical' if not differ and len(old_lines) == len(new_lines) else 'DIFFERENT'}")
    for name in differ[:20]:
        print(f"  differs: {name}")
    return 1 if differ or len(old_lines) != len(new_lines) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="git revision to compare with")
    parser.add_argument("--dump", help="write this tree's dump (JSON lines) to FILE and stop")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
        return
    sys.exit(compare(args.against))


if __name__ == "__main__":
    main()
