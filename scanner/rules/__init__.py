"""Rule registry: every rule registers once (rules/base.register); duplicate ids are refused at import.

The families are imported statically, so a missing or broken family fails at import time.
"""

from __future__ import annotations

from scanner.rules import hardening, prod_env, reference_syntax, secret
from scanner.rules.base import REGISTRY, Rule, register

__all__ = ["REGISTRY", "Rule", "all_rules", "register"]
FAMILIES = (secret, prod_env, hardening, reference_syntax)


def all_rules() -> list[Rule]:
    """One instance of every registered rule, in id order."""
    return [REGISTRY[rule_id]() for rule_id in sorted(REGISTRY)]
