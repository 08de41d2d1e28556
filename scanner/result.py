"""What a scan takes (ScanOptions) and what it returns (ScanResult); no behaviour, no stage imports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.findings import Finding
from scanner.model import EnvVerdict, McpConfig, Severity, SkippedFile

if TYPE_CHECKING:
    from scanner.policy import Policy, Suppression

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
# Detailed findings per file (scanner/detail_budget.py). GitHub shows at most 5,000 results of a SARIF
# run (and keeps 25,000), a PR comment holds 65,536 characters: a file with more than a thousand
# findings is generated or pasted data no one reviews finding by finding. 1,000 keeps every real config
# whole and bounds a dense file's per-value analysis to about a tenth of a second.
DEFAULT_MAX_FINDINGS_PER_FILE = 1000
# (files read so far, files to read, MCP configs found so far)
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class ScanOptions:
    """Everything a scan needs, built by cli.py or action.py (never read from the environment here)."""

    root: Path
    paths: tuple[Path, ...] = ()
    all_files: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    use_gitleaks: bool = True
    require_gitleaks: bool = False
    gitleaks_path: str | None = None
    gitleaks_timeout: int = 120
    policy: Policy | None = None
    baseline: frozenset[str] = frozenset()
    fail_on: Severity | None = Severity.HIGH
    templates_dir: Path | None = None
    environ: Mapping[str, str] = field(default_factory=dict)  # for gitleaks lookup only
    today: date | None = None
    # MCP_GUARD_FINGERPRINT_KEY: keyed HMAC secret digests; None = slow fixed-parameter scrypt.
    fingerprint_key: str | None = None
    # A file that did not parse is searched line by line and reported as a warning; True makes that
    # parse failure an incomplete scan (exit 2), as `--strict-parse` asks.
    strict_parse: bool = False
    # Detailed findings per file (scanner/detail_budget.py): past them the rest of the file is not
    # analysed value by value and one MCPG106 finding stands for it; 0 = no limit.
    max_findings_per_file: int = DEFAULT_MAX_FINDINGS_PER_FILE


@dataclass(frozen=True)
class ScanResult:
    """What a scan found. `complete` is False when any file or engine could not be scanned."""

    root: str
    scanned_files: list[str]
    errors: list[SkippedFile]
    findings: list[Finding]
    configs: list[McpConfig]
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    suppressed: int = 0
    # What the policy (path ignores, rule disables, fingerprint ignores) and the baseline hid.
    suppressions: tuple[Suppression, ...] = ()
    engines: tuple[str, ...] = ()
    # Environment verdicts (with evidence) by config path and by (config path, server name).
    file_env: Mapping[str, EnvVerdict] = field(default_factory=dict)
    server_env: Mapping[tuple[str, str], EnvVerdict] = field(default_factory=dict)
    # MCP-config-looking files a default scan left out on purpose (untracked, git-ignored, unknown
    # name with MCP content): not errors, but never silent (`--all-files` includes them).
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def blocking_count(self) -> int:
        return sum(1 for finding in self.findings if finding.blocking)

    @property
    def server_count(self) -> int:
        return sum(len(config.servers) for config in self.configs)

    def summary(self) -> dict[str, int]:
        return {"files": len(self.scanned_files), "servers": self.server_count,
                "findings": len(self.findings), "blocking": self.blocking_count}
