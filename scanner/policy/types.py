"""The parsed policy: Policy, its ignores, production definitions and history mode."""

from __future__ import annotations

import datetime as dt
import enum
import fnmatch
from dataclasses import dataclass, field

from scanner.model import Environment, Severity
from scanner.policy.globs import match_path_glob

POLICY_FILE_NAMES = (".mcp-guard.yml", ".mcp-guard.yaml")


class HistoryMode(enum.StrEnum):
    BLOCK = "block"  # a secret removed later in the PR still blocks (it is in git history)
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One suppressed fingerprint with its reason and optional last valid day."""

    fingerprint: str
    reason: str
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PathIgnore:
    """Findings in files matching a path glob are suppressed (`ignore-paths` entry)."""

    path: str  # glob relative to the scan root; `**` crosses directories
    reason: str
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RuleDisable:
    """Findings of one rule are suppressed everywhere (`disable-rules` entry)."""

    rule: str  # rule id, e.g. MCPG312
    reason: str
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    """One policy entry (or the baseline) and what it hid in this scan: always shown in reports.

    kind: "fingerprint" | "path" | "rule" | "baseline"; `match` is the fingerprint (shortened to 12
    characters), path glob or rule id; `count` the findings it suppressed in this scan.
    """

    kind: str
    match: str
    reason: str
    expires: dt.date | None
    count: int
    origin: str  # policy file name, or the baseline file


@dataclass(frozen=True, slots=True)
class ProductionDefs:
    """What production means here; overrides the heuristics of scanner/environment.py."""

    hosts: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # (NAME, value glob)
    paths: tuple[tuple[str, Environment], ...] = ()  # (path glob, environment), file order
    branches: tuple[str, ...] = ()

    def host_is_prod(self, host: str) -> str | None:
        """The first host glob matching `host` (case-insensitive), or None."""
        lowered = host.lower().rstrip(".")
        for pattern in self.hosts:
            if fnmatch.fnmatchcase(lowered, pattern.lower()):
                return pattern
        return None

    def env_is_prod(self, name: str, value: str) -> bool:
        """True when NAME=value matches a production env pair (name exact, value glob, any case)."""
        return self.env_glob(name, value) is not None

    def env_glob(self, name: str, value: str) -> str | None:
        """The value glob of the first production env pair NAME=value matches, or None."""
        return next((pattern for key, pattern in self.env
                     if name == key and fnmatch.fnmatchcase(value.lower(), pattern.lower())), None)

    def path_environment(self, path: str) -> tuple[str, Environment] | None:
        """(glob, environment) of the first path glob matching the relative path, or None."""
        for pattern, environment in self.paths:
            if match_path_glob(path, pattern):
                return pattern, environment
        return None


@dataclass(frozen=True, slots=True)
class Policy:
    """Parsed `.mcp-guard.yml`; Policy() is the behaviour without a file."""

    version: int = 1
    fail_on: Severity | None = None
    ignores: tuple[IgnoreEntry, ...] = ()
    ignore_paths: tuple[PathIgnore, ...] = ()
    disable_rules: tuple[RuleDisable, ...] = ()
    production: ProductionDefs = field(default_factory=ProductionDefs)
    history: HistoryMode = HistoryMode.BLOCK
    origin: str | None = None  # file name the policy came from (for messages)
    # Detailed findings per file (scanner/detail_budget.py); None: the built-in default; 0: no limit.
    max_findings_per_file: int | None = None
