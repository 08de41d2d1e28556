"""Error hierarchy. Messages are user-facing, one line, and never contain scanned values."""

from __future__ import annotations


class McpGuardError(Exception):
    """Base class: cli.py and action.py turn it into exit code 2 with a one-line message."""


class ConfigError(McpGuardError):
    """Bad command-line option, policy file, baseline or template override."""


class ParseError(McpGuardError):
    """A scanned file could not be parsed; becomes an entry in ScanResult.errors."""


class GitError(McpGuardError):
    """A git subprocess failed or a ref is missing."""


class GitHubError(McpGuardError):
    """A GitHub API call failed in a way the Action cannot recover from."""


class EngineError(McpGuardError):
    """A secret engine failed while running (e.g. gitleaks exited with an error)."""


class EngineUnavailable(EngineError):
    """A secret engine cannot run here (e.g. no gitleaks binary)."""
