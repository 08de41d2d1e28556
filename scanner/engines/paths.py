"""Credentials in the paths of scanned files: a token as a folder or file name (`tools/<token>/.mcp.json`,
an envFile named `<token>.env`) is committed like any value, and every report names the path.

Only what a value analysis without a name finds counts (a provider shape, an encoded token): a random
folder name is no credential. The match sits at the file's first line under the field `path`; the
output boundary shows the path with the token in its redacted form (output_guard.register_redactions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scanner.engines.engine import Placement, SecretMatch
from scanner.model import Client, FileFormat, Location, McpConfig

FIELD = "path"
_SEPARATORS = str.maketrans({"/": " ", "\\": " "})


def path_secrets(paths: Iterable[str], configs: Mapping[str, McpConfig]) -> list[SecretMatch]:
    """One match per credential found in a component of each path (each path once)."""
    from scanner.engines.analyze import analyze

    out: list[SecretMatch] = []
    for path in dict.fromkeys(paths):
        seen: set[str] = set()
        for part in path.translate(_SEPARATORS).split():
            for hit in analyze(part, None, "field"):
                if hit.value in seen:
                    continue
                seen.add(hit.value)
                config = configs.get(path) or McpConfig(path, Client.GENERIC, FileFormat.JSON)
                out.append(SecretMatch(
                    secret_type=hit.secret_type, value=hit.value, config=config, server=None, fv=None,
                    field_name=FIELD, location=Location(path, 1, 1), severity=hit.severity,
                    redacted=hit.redacted, provider=hit.provider,
                    description=f"{hit.description} in the file's path (a folder or file name)",
                    facts=(*hit.facts, ("placement", Placement.FILE.value))))
    return out
