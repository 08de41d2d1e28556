"""Secrets written as names: a token that is a server name, an env or header key (or a part of a field
name) is printed wherever a report names that server or field, the inventory's name columns included.

Like a token in a path (engines/paths.py), it is shown in its redacted form: the pipeline registers
each secret value a name holds with output_guard.register_redactions, and every output has it
replaced before the leak check runs (that check would otherwise mask the whole name with `*`, and
the baseline, a file the CLI writes, named it raw).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from scanner.engines.engine import SecretMatch
from scanner.model import McpConfig
from scanner.output_guard import MIN_WHOLE, find_leaks, fold_case


def secrets_in_names(configs: Iterable[McpConfig], secrets: Sequence[SecretMatch]) -> dict[str, str]:
    """raw -> redacted form of every secret value some name of `configs` holds (the values are
    registered with output_guard already: its linear search finds the names to look at)."""
    # Keyed by the case-folded value: the boundary catches a token in any letter case (an env key is
    # often the token upper-cased), so the form the name holds is the one to show redacted.
    shown: dict[str, str] = {}
    for match in secrets:
        if len(match.value) >= MIN_WHOLE:
            shown.setdefault(fold_case(match.value), match.redacted)
    if not shown:  # nothing this scan found can be in a name (the loops below read only `shown`)
        return {}
    joined = "\n".join(dict.fromkeys(_names(configs)))
    spans = find_leaks(joined) if joined else []
    if not spans:
        return {}
    out: dict[str, str] = {}
    for text in {joined[start:end] for start, end in spans}:
        folded = fold_case(text)
        if folded in shown:  # the usual case: the name, or its part between separators, is the token
            out[text] = shown[folded]
            continue
        for value, redacted in shown.items():
            at = folded.find(value)
            while at >= 0:
                out[text[at:at + len(value)]] = redacted
                at = folded.find(value, at + 1)
    return out


def _names(configs: Iterable[McpConfig]) -> Iterator[str]:
    for config in configs:
        yield from config.input_ids
        yield from (field for field, _text in config.flags)
        for fv in (*config.file_values, *config.extra_values):
            yield fv.field
            if fv.key:
                yield fv.key
        for server in config.servers:
            yield server.name
            yield from server.env_refs
            yield from (field for field, _text in server.flags)
            extra = (server.command, server.url, server.env_file, *server.env, *server.headers, *server.args)
            for fv in (*server.values, *(fv for fv in extra if fv is not None)):
                yield fv.field
                if fv.key:
                    yield fv.key
