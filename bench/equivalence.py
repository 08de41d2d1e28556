"""Old-vs-new equivalence of whole scans: the same findings (every field), the same environment
verdicts with the same evidence, in the same order, over the test corpus and generated configs.

A speed change must not change a result. This runs the corpus through `scan_files` with the scanner
of a git revision (extracted with `git archive` into a temporary directory) and with the work tree's,
each in its own process, and compares the two dumps line by line (an ephemeral fingerprint, keyed
per process by design, compares as its scheme only; every other fingerprint compares exactly). Not a
test: it needs the git history (the committed test, tests/test_evidence_cache.py, compares the
cached paths with the uncached reference functions instead).

    python bench/equivalence.py [--against REV]   # default REV: HEAD
    python bench/equivalence.py --dump FILE       # this tree's dump only
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Item = tuple[str, dict[str, bytes], str]  # (name, files, policy text)


def corpus() -> Iterator[Item]:
    sys.path.insert(0, str(ROOT / "bench"))
    from hostile import SHAPES, files_for

    from tests.matrix.env_configs import generated
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
    yield from generated(400)


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
    from scanner.fingerprints import is_ephemeral
    from scanner.pipeline import ScanOptions, scan_files
    from scanner.policy import parse_policy

    with open(out_path, "w", encoding="utf-8") as out:
        for name, files, policy_text in corpus():
            policy = parse_policy(policy_text, ".mcp-guard.yml") if policy_text else None
            options = ScanOptions(root=Path("."), use_gitleaks=False, policy=policy,
                                  max_file_bytes=5 * 1024 * 1024)
            result = scan_files(files, options)
            # An ephemeral fingerprint (past the process's scrypt budget, see scanner/fingerprints.py)
            # is keyed by a random per-process key: unstable by design, so it compares as its scheme.
            findings = [dataclasses.replace(f, fingerprint="<ephemeral>") if is_ephemeral(f.fingerprint)
                        else f for f in result.findings]
            record = {"name": name, "findings": _plain(findings), "file_env": _plain(result.file_env),
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
