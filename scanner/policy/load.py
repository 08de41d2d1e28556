"""Finding, reading and validating `.mcp-guard.yml`: a bounded YAML loader, the JSON schema, and
one-line ConfigError messages naming the key."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.errors import ConfigError
from scanner.model import Environment, Severity

if TYPE_CHECKING:
    import jsonschema
    import yaml

from scanner.policy.types import (
    POLICY_FILE_NAMES,
    HistoryMode,
    IgnoreEntry,
    PathIgnore,
    Policy,
    ProductionDefs,
    RuleDisable,
)

# A policy file is a few KiB; these bounds keep a hostile one from costing time or memory.
_MAX_BYTES = 1_000_000
_MAX_ALIASES = 50
_MAX_DEPTH = 20



def find_policy_file(root: Path) -> Path | None:
    """`<root>/.mcp-guard.yml` or `.mcp-guard.yaml`, whichever exists first."""
    for name in POLICY_FILE_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def load_policy(path: Path | None) -> Policy:
    """Read and validate a policy file; None gives the default Policy()."""
    if path is None:
        return Policy()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"policy {path.name}: cannot read ({exc.strerror or 'I/O error'})") from None
    if len(data) > _MAX_BYTES:
        raise ConfigError(f"policy {path.name}: file larger than {_MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"policy {path.name}: not UTF-8 text") from None
    return parse_policy(text, path.name)


def parse_policy(text: str, origin: str) -> Policy:
    """Parse policy YAML text; `origin` names the file in error messages."""
    prefix = f"policy {origin}"
    if len(text) > _MAX_BYTES:
        raise ConfigError(f"{prefix}: file larger than {_MAX_BYTES} bytes")
    raw = _load_yaml(text, prefix)
    if raw is None:
        return Policy(origin=origin)
    import jsonschema  # imported only when a policy file exists: it costs ~0.1 s at start-up

    error = jsonschema.exceptions.best_match(_validator().iter_errors(raw))
    if error is not None:
        raise ConfigError(f"{prefix}: {_describe(error)}")
    assert isinstance(raw, dict)  # the schema guarantees it
    return _build(raw, prefix, origin)


@functools.cache
def _bounded_loader() -> type[yaml.SafeLoader]:
    """SafeLoader that refuses alias bombs and deep nesting and keeps timestamps as text. Built on
    first use: PyYAML is imported only when a policy file is read (a scan without one, of JSON and
    TOML configs, never needs it: tests/test_cold_start.py)."""
    import yaml

    class _BoundedLoader(yaml.SafeLoader):
        _aliases = 0
        _depth = 0

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            if self.check_event(yaml.AliasEvent):
                self._aliases += 1
                if self._aliases > _MAX_ALIASES:
                    raise yaml.YAMLError("too many aliases")
            self._depth += 1
            try:
                if self._depth > _MAX_DEPTH:
                    raise yaml.YAMLError("nesting too deep")
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    _BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    return _BoundedLoader


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # Dates stay ISO text: the schema checks the shape, _build the calendar (2027-02-30 is an error).
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _load_yaml(text: str, prefix: str) -> object:
    import yaml

    try:
        return yaml.load(text, Loader=_bounded_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{prefix}: invalid YAML{where}: {exc.problem or 'syntax error'}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{prefix}: invalid YAML: {exc}") from None


@functools.cache
def load_schema() -> dict[str, object]:
    """The policy JSON Schema shipped in scanner/data."""
    text = resources.files("scanner").joinpath("data/mcp-guard.schema.json").read_text("utf-8")
    schema: dict[str, object] = json.loads(text)
    return schema


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema())


def _key_path(parts: Iterable[object]) -> str:
    out = ""
    for part in parts:
        name = _name(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


# Text an error may quote: a short one, or words (`hihg`, `ignore-pathz`, `release/*`, `DEPLOY_ENV`);
# anything else may be a token pasted in the wrong place (`fingerprint: <token>`), and the error line
# reaches the terminal, the Action log, an annotation and the commit status: it is described instead.
_QUOTABLE = 11
_WORDS = re.compile(r"[A-Za-z]+(?:[-_ ./*:]+[A-Za-z]+)*[0-9]{0,2}[*]?")


def _quotable(text: str) -> bool:
    return len(text) <= _QUOTABLE or (len(text) <= 40 and _WORDS.fullmatch(text) is not None)


def _name(text: str) -> str:
    """A key as an error names it (a key that may be a token is described)."""
    return text if _quotable(text) else f"<a {len(text)}-character key>"


def _short(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if _quotable(value) else f"a {len(value)}-character string"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    kind = _json_type(value)
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _describe(error: jsonschema.ValidationError) -> str:
    """One line naming the key; built here because jsonschema's text may quote whole documents."""
    where = _key_path(error.absolute_path)
    validator = error.validator
    if validator == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict)
                   and k not in error.instance]
        key = _name(missing[0]) if missing else "?"
        return f"{where + '.' if where else ''}{key}: required"
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        name = _name(extra[0]) if extra else "?"
        if allowed:
            known = ", ".join(sorted(allowed))
            return f"{where + '.' if where else ''}{name}: unknown key (allowed: {known})"
    label = where or "(top level)"
    if validator == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        return f"{label}: {_short(error.instance)} is not one of {options}"
    if validator == "const":
        return f"{label}: must be {error.validator_value!r}"
    if validator == "type":
        return f"{label}: expected {error.validator_value}, got {_json_type(error.instance)}"
    if validator == "pattern":
        return f"{label}: {_short(error.instance)} has the wrong format"
    if validator == "minLength":
        return f"{label}: must not be empty"
    if validator == "propertyNames":
        return f"{label}: invalid name"
    return f"{label}: {validator} check failed"


def _json_type(value: object) -> str:
    names = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string",
             list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _expires(item: dict[str, object], where: str) -> dt.date | None:
    if "expires" not in item:
        return None
    try:
        return dt.date.fromisoformat(str(item["expires"]))
    except ValueError:
        raise ConfigError(f"{where}.expires: not a valid date") from None


def _entries(raw: dict[str, object], key: str, prefix: str) -> list[tuple[dict[str, object], dt.date | None]]:
    out: list[tuple[dict[str, object], dt.date | None]] = []
    for index, item in enumerate(_list(raw.get(key))):
        assert isinstance(item, dict)  # the schema guarantees it
        out.append((item, _expires(item, f"{prefix}: {key}[{index}]")))
    return out


def _build(raw: dict[str, object], prefix: str, origin: str) -> Policy:
    ignores = [IgnoreEntry(str(item["fingerprint"]).lower(), str(item["reason"]), expires)
               for item, expires in _entries(raw, "ignore", prefix)]
    ignore_paths = [PathIgnore(str(item["path"]).removeprefix("./"), str(item["reason"]), expires)
                    for item, expires in _entries(raw, "ignore-paths", prefix)]
    disable_rules = [RuleDisable(str(item["rule"]).upper(), str(item["reason"]), expires)
                     for item, expires in _entries(raw, "disable-rules", prefix)]
    prod = raw.get("production") or {}
    assert isinstance(prod, dict)
    env = prod.get("env") or {}
    paths = prod.get("paths") or {}
    assert isinstance(env, dict) and isinstance(paths, dict)
    production = ProductionDefs(
        hosts=tuple(str(h) for h in _list(prod.get("hosts"))),
        env=tuple((str(k), str(v)) for k, v in env.items()),
        paths=tuple((str(k), Environment(str(v))) for k, v in paths.items()),
        branches=tuple(str(b) for b in _list(prod.get("branches"))),
    )
    fail_on = raw.get("fail-on")
    return Policy(
        version=1,
        fail_on=Severity.from_label(str(fail_on)) if fail_on is not None else None,
        ignores=tuple(ignores),
        ignore_paths=tuple(ignore_paths),
        disable_rules=tuple(disable_rules),
        production=production,
        history=HistoryMode(str(raw.get("history", "block"))),
        origin=origin,
        # (the schema allows an integer only; 5.0 is one to JSON Schema)
        max_findings_per_file=int(limit) if isinstance(limit := raw.get("max-findings-per-file"),
                                                       (int, float)) else None,
    )


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
