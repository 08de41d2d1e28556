"""Hostile single-file shapes: parse + built-in scan time of each, and time per MiB.

Each shape is one config file just under the 5 MiB limit (or the size given), scanned in memory
through `scan_files` with gitleaks off (gitleaks has its own limits; this measures our code). The
target (issue 16): every file under the limit in about 2 s or less on the reference machine, time
linear in size (compare the per-MiB figure at two sizes with --scales). Not a test: figures depend
on the machine. Secret-shaped values are built at run time.

    python bench/hostile.py [--mib 5] [--scales 1,0.25] [--only NAME,...] [--fresh]

The shapes run one after another in this process; with --fresh each is also scanned once in a new
interpreter (as one `mcp-guard scan` of the file is: no heap, caches or registry left by the shapes
before it), printed beside the in-process figure with that process's CPU seconds.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scanner.pipeline import ScanOptions, scan_files  # noqa: E402

MIB = 1024 * 1024


def _token(rng: random.Random, prefix: str, n: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


def _server(rng: random.Random, i: int) -> dict[str, object]:
    leak = i % 7 == 0
    return {"command": "npx", "args": ["-y", f"@acme/server-{i}", "--port", str(3000 + i % 1000)],
            "env": {"API_TOKEN": _token(rng, "ghp_", 36) if leak else "${env:API_TOKEN}",
                    "LOG_LEVEL": "info", "DATABASE_URL": f"postgres://app:${{DB_PASS}}@db{i}.internal/app"}}


def _fill(size: int, unit: Callable[[int], str], sep: str = ",") -> list[str]:
    """Units until their joined length reaches `size`."""
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        part = unit(i)
        parts.append(part)
        total += len(part) + len(sep)
        i += 1
    return parts


def long_line(size: int) -> tuple[str, str]:
    """Ordinary servers, minified onto one line."""
    rng = random.Random(1)
    parts = _fill(size, lambda i: json.dumps(f"srv{i}") + ":"
                  + json.dumps(_server(rng, i), separators=(",", ":")))
    return ".cursor/mcp.json", '{"mcpServers":{' + ",".join(parts) + "}}"


def many_lines(size: int) -> tuple[str, str]:
    """Ordinary servers, pretty-printed (many short lines)."""
    rng = random.Random(2)
    parts = _fill(size, lambda i: json.dumps({f"srv{i}": _server(rng, i)}, indent=2)[2:-2])
    return ".mcp.json", '{\n"mcpServers": {\n' + ",\n".join(parts) + "\n}\n}\n"


def many_servers(size: int) -> tuple[str, str]:
    """As many tiny servers as fit (about 100k per 3 MiB)."""
    parts = _fill(size, lambda i: f'"s{i}":{{"command":"x{i}"}}')
    return ".mcp.json", '{"mcpServers":{' + ",".join(parts) + "}}"


def env_keys(size: int) -> tuple[str, str]:
    """One server with a huge env table (about 100k keys per 2.5 MiB)."""
    parts = _fill(size, lambda i: f'"KEY_{i}":"value{i}"')
    return ".mcp.json", '{"mcpServers":{"a":{"command":"x","env":{' + ",".join(parts) + "}}}}"


def vscode_env_keys(size: int) -> tuple[str, str]:
    """env_keys in a VS Code file: each fix declares an `${input:}` (its `inputs` were once read by
    parsing the whole file again per finding)."""
    parts = _fill(size, lambda i: f'"KEY_{i}":"value{i}"')
    return ".vscode/mcp.json", '{"servers":{"a":{"command":"x","env":{' + ",".join(parts) + "}}}}"


def vscode_inputs(size: int) -> tuple[str, str]:
    """A VS Code file with as many `inputs` as env values using them (each input's use was once
    looked for in every value)."""
    n = max(1, size // 80)
    inputs = ",".join(f'{{"type":"promptString","id":"k-{i}"}}' for i in range(n))
    env = ",".join(f'"API_KEY_{i}":"${{input:k-{i}}}"' for i in range(n))
    servers = '"servers":{"a":{"command":"x","env":{' + env + "}}}"
    return ".vscode/mcp.json", '{"inputs":[' + inputs + "]," + servers + "}"


def claude_projects(size: int) -> tuple[str, str]:
    """`.claude.json` with one server name in every project (servers of one name share their
    secrets' evidence: it was once recomputed per server, N projects x N secrets)."""
    rng = random.Random(7)
    parts = _fill(size, lambda i: json.dumps(f"/work/p{i}") + ':{"mcpServers":{"github":{"command":"npx",'
                  '"env":{"GITHUB_TOKEN":' + json.dumps(_token(rng, "ghp_", 36)) + "}}}}")
    return ".claude.json", '{"projects":{' + ",".join(parts) + "}}"


_AWS_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _aws_key_id(rng: random.Random) -> str:
    return "AK" + "IA" + "".join(rng.choice(_AWS_ID_ALPHABET) for _ in range(16))


def _aws_json_servers(seed: int, size: int) -> str:
    """Pretty-printed JSON servers (`"srvN": {...}`, comma-joined) each holding an AWS key id and
    secret key, to about `size` characters."""
    rng = random.Random(seed)

    def unit(i: int) -> str:
        env = {"AWS_ACCESS_KEY_ID": _aws_key_id(rng), "AWS_SECRET_ACCESS_KEY": _token(rng, "", 40)}
        return json.dumps({f"srv{i}": {"command": "npx", "env": env}}, indent=2)[2:-2]

    return ",\n".join(_fill(size, unit))


def aws_pairs(size: int) -> tuple[str, str]:
    """Pretty-printed servers each holding an AWS key id and secret key: one fix replaces the pair
    (it was once built by re-parsing the whole file per pair)."""
    return ".mcp.json", '{\n"mcpServers": {\n' + _aws_json_servers(8, size) + "\n}\n}\n"


def vscode_aws_pairs(size: int) -> tuple[str, str]:
    """aws_pairs in `.vscode/mcp.json`: each pair's fix also declares two `inputs` (it was once built
    by re-parsing the whole file per pair, and was one edit from the declaration down to the pair)."""
    return ".vscode/mcp.json", '{\n"servers": {\n' + _aws_json_servers(10, size) + "\n}\n}\n"


def settings_aws_pairs(size: int) -> tuple[str, str]:
    """vscode_aws_pairs in VS Code user settings (read only when the text holds `mcp`): each pair's
    fix once took the whole-file way, a parse per pair."""
    head = '{\n"editor.fontSize": 12,\n"mcp": {\n"servers": {\n'
    return ".vscode/settings.json", head + _aws_json_servers(12, size) + "\n}\n}\n}\n"


def codex_aws_pairs(size: int) -> tuple[str, str]:
    """aws_pairs in Codex TOML, an `env` table and an inline `env` alternately (each pair's fix moves
    both names to `env_vars`; it was once built by re-parsing the whole file per pair)."""
    rng = random.Random(11)

    def unit(i: int) -> str:
        key_id = _aws_key_id(rng)
        secret = _token(rng, "", 40)
        if i % 2:
            return (f'[mcp_servers.s{i}]\ncommand = "npx"\n'
                    f'env = {{ AWS_ACCESS_KEY_ID = "{key_id}", AWS_SECRET_ACCESS_KEY = "{secret}" }}\n')
        return (f'[mcp_servers.s{i}]\ncommand = "npx"\n[mcp_servers.s{i}.env]\n'
                f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n')

    return ".codex/config.toml", "\n".join(_fill(size, unit, "\n"))


def codex_described_aws_pairs(size: int) -> tuple[str, str]:
    """codex_aws_pairs with a multi-line description in every server (each pair's fix once took the
    whole-file way: a parse per pair)."""
    rng = random.Random(13)

    def unit(i: int) -> str:
        return (f'[mcp_servers.s{i}]\ncommand = "npx"\ndescription = """\nserver {i}\n"""\n'
                f'[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{_aws_key_id(rng)}"\n'
                f'AWS_SECRET_ACCESS_KEY = "{_token(rng, "", 40)}"\n')

    return ".codex/config.toml", "\n".join(_fill(size, unit, "\n"))


def codex_interleaved_aws_pairs(size: int) -> tuple[str, str]:
    """codex_aws_pairs with every server's own table first and every env table at the end (each
    pair's slice of the file once ran from its server's header down to its env table, past every
    other server's tables; its fix was one edit across them)."""
    rng = random.Random(17)
    pairs = _fill(size, lambda i: f'[mcp_servers.s{i}]\ncommand = "npx"\n'
                  f'[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{_aws_key_id(rng)}"\n'
                  f'AWS_SECRET_ACCESS_KEY = "{_token(rng, "", 40)}"\n', "")
    heads = [p[:p.index("[", 1)] for p in pairs]
    tables = (p[len(h):] for p, h in zip(pairs, heads, strict=True))
    return ".codex/config.toml", "".join(heads) + "".join(tables)


def codex_header_aws_pairs(size: int) -> tuple[str, str]:
    """AWS key id + secret in a remote Codex server's `[mcp_servers.X.http_headers]` table (each pair's
    fix once took the whole-file way: a parse per pair)."""
    rng = random.Random(19)
    return ".codex/config.toml", "".join(_fill(size, lambda i: (
        f'[mcp_servers.s{i}]\nurl = "https://h{i}.example.com/mcp"\n[mcp_servers.s{i}.http_headers]\n'
        f'AWS_ACCESS_KEY_ID = "{_aws_key_id(rng)}"\nAWS_SECRET_ACCESS_KEY = "{_token(rng, "", 40)}"\n'), ""))


def tokens_as_keys(size: int) -> tuple[str, str]:
    """Provider tokens used as env keys (each one found in the text was once looked for in every
    name of the file)."""
    rng = random.Random(9)
    parts = _fill(size, lambda i: json.dumps(_token(rng, "ghp_", 36)) + ':"x"')
    return ".mcp.json", '{"mcpServers":{"a":{"command":"x","env":{' + ",".join(parts) + "}}}}"


def args_list(size: int) -> tuple[str, str]:
    """One server with a huge args list of flag/value pairs."""
    parts = _fill(size, lambda i: f'"--opt-{i}","v{i}"' if i % 3 else f'"--api-key=k{i}"')
    return ".mcp.json", '{"mcpServers":{"a":{"command":"x","args":[' + ",".join(parts) + "]}}}"


def base64_blob(size: int) -> tuple[str, str]:
    """One env value holding a base64 blob the size of the file."""
    blob = base64.b64encode(random.Random(3).randbytes(size * 3 // 4)).decode()
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "env": {"CERT_DATA": blob}}}})


def base64_values(size: int) -> tuple[str, str]:
    """Many 64 KiB base64 values (each under the per-value analysis limit)."""
    rng = random.Random(4)
    chunk = 64 * 1024
    parts = _fill(size, lambda i: f'"BLOB_{i}":"'
                  + base64.b64encode(rng.randbytes(chunk * 3 // 4)).decode() + '"')
    return ".mcp.json", '{"mcpServers":{"a":{"command":"x","env":{' + ",".join(parts) + "}}}}"


def nested_json_strings(size: int) -> tuple[str, str]:
    """Values holding JSON packed in strings, nested several levels deep, many of them."""
    rng = random.Random(5)

    def unit(i: int) -> str:
        inner: object = {"token": _token(rng, "ghp_", 36), "n": i}
        for level in range(6):
            inner = {f"l{level}": json.dumps(inner), "other": "x"}
        return json.dumps(f"V{i}") + ":" + json.dumps(json.dumps(inner))

    parts = _fill(size, unit)
    return ".mcp.json", '{"mcpServers":{"a":{"command":"x","env":{' + ",".join(parts) + "}}}}"


def long_comment(size: int) -> tuple[str, str]:
    """A trailing `//` comment of one long word (the comment key/value regex once backtracked)."""
    return ".vscode/mcp.json", '{"servers": {}}\n// ' + "a" * size + "\n"


def comment_pairs(size: int) -> tuple[str, str]:
    """One long comment line of `key=value` and `"key": "value` fragments."""
    parts = _fill(size, lambda i: ('k=v' if i % 3 == 0 else '"k": "v' if i % 3 == 1 else "x:"), sep=" ")
    return ".vscode/mcp.json", '{"servers": {}}\n// ' + " ".join(parts) + "\n"


def many_references(size: int) -> tuple[str, str]:
    """`${A}` repeated in one value (the reference overlap check was once quadratic)."""
    value = "${A}" * (size // 4)
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "env": {"T": value}}}})


def toml_unterminated(size: int) -> tuple[str, str]:
    """An unterminated TOML string of escaped quotes (the depth pre-scan was once quadratic)."""
    return ".codex/config.toml", '[mcp_servers.a]\ncommand = "' + '\\"' * (size // 2)


def toml_servers(size: int) -> tuple[str, str]:
    """Codex config.toml with many servers."""
    rng = random.Random(6)

    def unit(i: int) -> str:
        token = _token(rng, "ghp_", 36) if i % 7 == 0 else "${GITHUB_TOKEN}"
        return (f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "pkg-{i}"]\n'
                f'[mcp_servers.s{i}.env]\nGITHUB_TOKEN = "{token}"\n')

    return ".codex/config.toml", "\n".join(_fill(size, unit, "\n"))


def yaml_servers(size: int) -> tuple[str, str]:
    """Goose config.yaml with many extensions."""
    def unit(i: int) -> str:
        return (f"  ext{i}:\n    type: stdio\n    cmd: npx\n    args: [-y, pkg-{i}]\n"
                f"    envs:\n      API_TOKEN: ${{API_TOKEN}}\n")

    return ".config/goose/config.yaml", "extensions:\n" + "".join(_fill(size, unit, ""))


def dotenv_lines(size: int) -> tuple[str, str]:
    """A dotenv file referenced by a config, with many lines."""
    return ".env", "\n".join(_fill(size, lambda i: f"KEY_{i}=value-{i}-abcdef", "\n")) + "\n"


def spring_placeholders(size: int) -> tuple[str, str]:
    """Spring AI properties: env values that each name a property of the same file (`${p_i}`; the tree
    building and the placeholder lookup once scanned a node's every entry per key)."""
    half = _fill(size // 2, lambda i: f"spring.ai.mcp.client.stdio.connections.a.env.K{i}=${{p{i}}}", "\n")
    props = [f"p{i}=value-{i}" for i in range(len(half))]
    return "src/main/resources/application.properties", (
        "spring.ai.mcp.client.stdio.connections.a.command=npx\n" + "\n".join(half + props) + "\n")


SHAPES: dict[str, Callable[[int], tuple[str, str]]] = {
    f.__name__: f for f in (long_line, many_lines, many_servers, env_keys, vscode_env_keys, vscode_inputs,
                            claude_projects, aws_pairs, vscode_aws_pairs, settings_aws_pairs,
                            codex_aws_pairs, codex_described_aws_pairs, codex_interleaved_aws_pairs,
                            codex_header_aws_pairs,
                            tokens_as_keys, args_list, base64_blob,
                            base64_values, nested_json_strings, long_comment, comment_pairs,
                            many_references, toml_unterminated, toml_servers, yaml_servers, dotenv_lines,
                            spring_placeholders)
}


def files_for(name: str, size: int) -> dict[str, bytes]:
    path, text = SHAPES[name](size)
    files = {path: text.encode()}
    if path == ".env":  # a dotenv file is scanned when a config points at it
        files[".cursor/mcp.json"] = json.dumps(
            {"mcpServers": {"a": {"command": "x", "envFile": "${workspaceFolder}/.env"}}}).encode()
    return files


def measure(name: str, size: int, formats: tuple[str, ...] = ()) -> tuple[float, int, int]:
    """(seconds, bytes, findings) of one in-memory scan of the shape at `size` bytes, plus the report
    in each of `formats` through the output boundary as the CLI writes it (render, then the check)."""
    from scanner import output_guard
    from scanner.output_guard import check_output
    from scanner.reporters import render

    # One CLI run scans one file here: start from an empty output registry, as a new process does
    # (the shapes run one after another in this process; each shape's ~1,000 registered secrets made
    # every later shape's output checks slower: toml_servers 6.2 s alone, 9.5 s after the others).
    output_guard.reset()
    files = files_for(name, size)
    total = sum(len(data) for data in files.values())
    options = ScanOptions(root=Path("."), use_gitleaks=False, max_file_bytes=5 * MIB)
    start = time.perf_counter()
    result = scan_files(files, options)
    for fmt in formats:
        check_output(render(fmt, result), "the output")
    elapsed = time.perf_counter() - start
    if result.errors and name not in ("toml_unterminated",):
        print(f"  note: {name}: {len(result.errors)} file(s) skipped: {result.errors[0].reason}")
    return elapsed, total, len(result.findings)


_FRESH = """
import sys, time
sys.path.insert(0, sys.argv[1])
import hostile
from scanner.pipeline import ScanOptions, scan_files
files = hostile.files_for(sys.argv[2], int(sys.argv[3]))
options = ScanOptions(root=hostile.Path('.'), use_gitleaks=False, max_file_bytes=5 * hostile.MIB)
wall, cpu = time.perf_counter(), time.process_time()
scan_files(files, options)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def measure_fresh(name: str, size: int) -> tuple[float, float]:
    """(wall, CPU) seconds of one scan of the shape in a new interpreter, imports excluded: what one
    `mcp-guard scan` of the file spends scanning it (no state carried over from other shapes)."""
    out = subprocess.run([sys.executable, "-c", _FRESH, str(HERE), name, str(size)], check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    wall, cpu = out.split()[-2:]
    return float(wall), float(cpu)


def report(mib: float = 4.9, scales: tuple[float, ...] = (1.0,), only: tuple[str, ...] = (),
           formats: tuple[str, ...] = (), fresh: bool = False) -> float:
    """Print one line per shape and scale; returns the worst seconds per file seen (in this process,
    or, with `fresh`, the worse of that and the fresh process's wall time)."""
    worst = 0.0
    reports = f", then the {'/'.join(formats)} report(s)" if formats else ""
    print(f"hostile shapes (one file each, in-memory scan{reports}, gitleaks off; target <= ~2 s per file "
          "under 5 MiB, linear in size)" + ("; fresh: the scan alone in a new process, wall / CPU" if fresh
                                            else ""))
    for name in SHAPES:
        if only and name not in only:
            continue
        for scale in scales:
            size = int(mib * MIB * scale)
            seconds, total, findings = measure(name, size, formats)
            worst = max(worst, seconds)
            per_mib = seconds / (total / MIB)
            per_finding = f"  {seconds / findings * 1e6:.0f} us/finding" if findings else ""
            column = ""
            if fresh:
                wall, cpu = measure_fresh(name, size)
                worst = max(worst, wall)
                column = f"  fresh {wall:6.2f} / {cpu:5.2f} s"
            print(f"  {name:<20} {total / MIB:5.2f} MiB  {seconds:6.2f} s  {per_mib:6.2f} s/MiB{column}"
                  f"  {findings} findings{per_finding}")
    print(f"  worst file: {worst:.2f} s ({'met' if worst <= 2.0 else 'MISSED'} ~2 s bound)")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=4.9, help="size of each file in MiB")
    parser.add_argument("--scales", default="1", help="comma-separated size factors, e.g. 1,0.25")
    parser.add_argument("--only", default="", help="comma-separated shape names")
    parser.add_argument("--formats", default="",
                        help="also render these reports (text,json,sarif,markdown) through the boundary")
    parser.add_argument("--fresh", action="store_true",
                        help="also scan each shape once in a new process (no state carried over)")
    args = parser.parse_args()
    scales = tuple(float(s) for s in args.scales.split(","))
    only = tuple(s for s in args.only.split(",") if s)
    unknown = set(only) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(sorted(unknown))}; known: {', '.join(SHAPES)}")
    formats = tuple(s for s in args.formats.split(",") if s)
    report(args.mib, scales, only, formats, args.fresh)


if __name__ == "__main__":
    main()
