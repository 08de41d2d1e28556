"""Server inventory: which MCP servers exist, what they reach, and how their credentials are given.

Only names are listed (env var and header NAMES), never values: a value's presence is described by
its credential mode (literal / reference / placeholder / empty).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scanner.model import FieldValue, McpConfig, ServerEntry
from scanner.reach import reach

if TYPE_CHECKING:
    from scanner.engines.engine import Hit
    from scanner.org.keys import FingerprintKey
    from scanner.result import ScanResult


@dataclass(frozen=True, slots=True)
class InventoryRow:
    file: str
    line: int
    client: str
    server: str
    transport: str
    target: str  # command (program name) or URL host
    env: tuple[tuple[str, str], ...]  # (NAME, mode)
    headers: tuple[tuple[str, str], ...]  # (Name, mode)
    environment: str
    disabled: bool
    # (field, secret type, keyed fingerprint from scanner.org.keys) of each detected credential.
    fingerprints: tuple[tuple[str, str, str], ...] = ()
    environment_evidence: tuple[str, ...] = ()
    # Credentials outside env/headers the detectors see: args (flags, connection strings), the URL
    # (userinfo, query keys), as (field, mode).
    credentials: tuple[tuple[str, str], ...] = ()
    # What it runs and reaches (scanner/reach.py): the launcher's package or image, the hosts its
    # values name, the issuers of its literal credentials, and write / read-only / unspecified.
    package: str = ""
    reaches: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    access: str = "unspecified"


def credential_mode(value: FieldValue) -> str:
    """literal / reference / placeholder / empty for one value (no value is ever returned)."""
    from scanner.engines.filters import is_empty, is_placeholder, is_reference_only

    if is_empty(value.text):
        return "empty"
    if value.is_reference and is_reference_only(value.text):
        return "reference"
    if is_placeholder(value.text):
        return "placeholder"
    return "literal"


def _target(server: ServerEntry) -> str:
    if server.url is not None:
        try:
            host = urlsplit(server.url.text.strip()).hostname
        except ValueError:
            host = None
        return host or "(unparsed url)"
    if server.command is not None:
        program = server.command.text.strip().split(" ")[0]
        return program.rsplit("/", 1)[-1] or "(empty command)"
    return "(none)"


def build_inventory(result: ScanResult, key: FingerprintKey | None = None) -> list[InventoryRow]:
    """One row per server of every scanned config, in file order (with `key`: credential fingerprints)."""
    rows: list[InventoryRow] = []
    for config in result.configs:
        rows.extend(_rows(config, result.file_env, result.server_env, key))
    return rows


def _hits(server: ServerEntry) -> list[tuple[str, Hit]]:
    """(field, hit) of every secret the built-in detectors find in a server's args, URL, env and headers."""
    from scanner.engines.analyze import analyze, analyze_argv
    from scanner.engines.builtin import placement_of

    found = [(server.args[index].field, hit) for index, hit in analyze_argv([v.text for v in server.args])]
    for fv in (server.url, *server.env, *server.headers):
        if fv is not None:
            found.extend((fv.field, hit) for hit in analyze(fv.text, fv.key, placement_of(fv.field)[1]))
    return found


def _fingerprints(hits: list[tuple[str, Hit]],
                  key: FingerprintKey | None) -> tuple[tuple[str, str, str], ...]:
    """(field, secret type, keyed fingerprint) of every secret the built-in detectors find in a server."""
    if key is None:
        return ()
    found: dict[tuple[str, str], str] = {}
    for field, hit in hits:
        found.setdefault((field, key.fingerprint(hit.value)), hit.secret_type)
    return tuple((f, t, fp) for (f, fp), t in found.items())


def _credentials(server: ServerEntry, hits: list[tuple[str, Hit]]) -> tuple[tuple[str, str], ...]:
    """(field, mode) of credentials in `args` and the URL: literal ones the built-in detectors find
    (flags, docker `-e`, connection strings, URL userinfo/query), and references or placeholders
    given to a credential flag (`--api-key ${KEY}`, `--token=<token>`)."""
    from dataclasses import replace

    from scanner.names import is_sensitive_name
    from scanner.references import is_reference

    outside = {v.field for v in server.args} | ({server.url.field} if server.url is not None else set())
    found: dict[str, str] = {field: "literal" for field, _hit in hits if field in outside}
    args = server.args
    for i, fv in enumerate(args):
        flag, eq, inline = fv.text.partition("=")
        if not flag.startswith("-") or not is_sensitive_name(flag.lstrip("-")):
            continue
        given = replace(fv, text=inline, is_reference=is_reference(inline)) if eq else \
            (args[i + 1] if i + 1 < len(args) and not args[i + 1].text.startswith("-") else None)
        if given is not None:
            found.setdefault(given.field, credential_mode(given))
    return tuple(found.items())


def _rows(config: McpConfig, file_env: Any, server_env: Any,
          key: FingerprintKey | None) -> list[InventoryRow]:
    rows = []
    for server in config.servers:
        verdict = server_env.get((config.path, server.name)) or file_env.get(config.path)
        hits = _hits(server)
        reached = reach(config, server, [h.value for _f, h in hits], [h.provider for _f, h in hits])
        rows.append(InventoryRow(
            file=config.path, line=server.location.line, client=config.client.value, server=server.name,
            transport=server.transport.value, target=_target(server),
            env=tuple((v.key or v.field, credential_mode(v)) for v in server.env)
            + tuple((name, "reference") for name in server.env_refs),
            headers=tuple((v.key or v.field, credential_mode(v)) for v in server.headers),
            environment=verdict.environment.value if verdict is not None else "unknown",
            disabled=server.disabled, fingerprints=_fingerprints(hits, key),
            environment_evidence=verdict.evidence if verdict is not None else (),
            credentials=_credentials(server, hits), package=reached.package, reaches=reached.hosts,
            providers=reached.providers, access=reached.access,
        ))
    return rows


def _row_dict(row: InventoryRow) -> dict[str, Any]:
    return {"file": row.file, "line": row.line, "client": row.client, "server": row.server,
            "transport": row.transport, "target": row.target, "package": row.package,
            "reaches": list(row.reaches), "providers": list(row.providers), "access": row.access,
            "env": [{"name": n, "mode": m} for n, m in row.env],
            "headers": [{"name": n, "mode": m} for n, m in row.headers],
            "credentials": [{"field": f, "mode": m} for f, m in row.credentials],
            "environment": row.environment, "environment_evidence": list(row.environment_evidence),
            "disabled": row.disabled,
            "credential_fingerprints": [{"field": f, "secret_type": t, "fingerprint": fp}
                                        for f, t, fp in row.fingerprints]}


def _clean(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def render_inventory(rows: list[InventoryRow], fmt: str, key: FingerprintKey | None = None) -> str:
    """`json` (a list of servers; with `key`, which key made the fingerprints) or an aligned text table."""
    if fmt == "json":
        doc: dict[str, Any] = {"version": 1, "servers": [_row_dict(r) for r in rows]}
        if key is not None:
            doc["fingerprint_key"] = key.describe()
        return json.dumps(doc, indent=2) + "\n"
    header = ("FILE", "CLIENT", "SERVER", "TRANSPORT", "TARGET", "REACHES", "ENV", "CREDENTIALS")
    table: list[tuple[str, ...]] = [header]
    for row in rows:
        creds = ", ".join(f"{n}={m}" for n, m in row.env + row.headers + row.credentials) or "-"
        name = row.server + (" (disabled)" if row.disabled else "")
        target = f"{row.target} {row.package}" if row.package else row.target
        reaches = ",".join(row.reaches[:3]) + (f" +{len(row.reaches) - 3}" if len(row.reaches) > 3 else "")
        table.append((f"{row.file}:{row.line}", row.client, name, row.transport, target,
                      reaches or "-", row.environment, creds))
    table = [tuple(_clean(cell) for cell in line) for line in table]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])) + "  " + line[-1]
           for line in table]
    out.append(f"\n{len(rows)} server(s)")
    return "\n".join(out) + "\n"
