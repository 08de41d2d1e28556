"""`.mcp-guard.yml`: load and validate the policy file, apply its ignores, match branches and globs.

The file is validated against scanner/data/mcp-guard.schema.json (public copy in schema/); every
problem becomes a one-line ConfigError naming the key, never a traceback.

types.py holds the parsed policy, load.py reads and validates the file, ignores.py applies the
ignores (fingerprints, paths, rules), globs.py matches branch and path globs; this module
re-exports their public names.
"""

from __future__ import annotations

from scanner.policy.globs import match_path_glob, matches_branch
from scanner.policy.ignores import IgnoreOutcome, apply_ignores
from scanner.policy.load import find_policy_file, load_policy, load_schema, parse_policy
from scanner.policy.types import (
    POLICY_FILE_NAMES,
    HistoryMode,
    IgnoreEntry,
    PathIgnore,
    Policy,
    ProductionDefs,
    RuleDisable,
    Suppression,
)

__all__ = ["POLICY_FILE_NAMES", "HistoryMode", "IgnoreEntry", "IgnoreOutcome", "PathIgnore", "Policy",
           "ProductionDefs", "RuleDisable", "Suppression", "apply_ignores", "find_policy_file", "load_policy",
           "load_schema", "match_path_glob", "matches_branch", "parse_policy"]
