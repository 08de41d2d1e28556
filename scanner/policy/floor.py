"""The base branch's default-named policy as a floor under a policy named by the `config` input.

A workflow's `config` input is whatever the workflow file says, and with `on: pull_request` a PR
runs its own copy of the workflow: it can point `config` at any file of the base branch (a relaxed
example policy, a fixture) or at one the base does not have. So when the base has a default-named
policy (`.mcp-guard.yml`) and `config` names another file, every setting that can weaken the gate
is taken at the stricter of the two: a suppression (ignore, ignore-paths, disable-rules) applies
only when both policies have it (with the earlier expiry); the lower `fail-on` and
`max-findings-per-file` (a named policy cannot raise the base's limit); `history: block` if
either says so; production hosts, env pairs and branches of both; the floor's path environments
first, and the named policy's only where they say production. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scanner.detail_budget import lower_limit
from scanner.model import Environment, Severity
from scanner.policy.types import HistoryMode, Policy, ProductionDefs


def _earlier(first: dt.date | None, second: dt.date | None) -> dt.date | None:
    if first is None or second is None:
        return second if first is None else first
    return min(first, second)


def _stricter(first: Severity | None, second: Severity | None) -> Severity | None:
    """The lower (stricter) blocking threshold; None (the built-in default) counts as the floor's."""
    if first is None or second is None:
        return second if first is None else first
    return min(first, second)


def floor_policy(named: Policy, floor: Policy) -> Policy:
    """`named` with every weakening setting capped by `floor` (see the module docstring)."""
    ignores = {entry.fingerprint: entry for entry in floor.ignores}
    paths = {entry.path: entry for entry in floor.ignore_paths}
    rules = {entry.rule: entry for entry in floor.disable_rules}
    production = ProductionDefs(
        hosts=tuple(dict.fromkeys((*floor.production.hosts, *named.production.hosts))),
        env=tuple(dict.fromkeys((*floor.production.env, *named.production.env))),
        paths=(*floor.production.paths,
               *((glob, env) for glob, env in named.production.paths if env is Environment.PROD)),
        branches=tuple(dict.fromkeys((*floor.production.branches, *named.production.branches))),
    )
    return replace(
        named,
        fail_on=_stricter(named.fail_on, floor.fail_on),
        max_findings_per_file=lower_limit(named.max_findings_per_file, floor.max_findings_per_file),
        ignores=tuple(replace(e, expires=_earlier(e.expires, ignores[e.fingerprint].expires))
                      for e in named.ignores if e.fingerprint in ignores),
        ignore_paths=tuple(replace(e, expires=_earlier(e.expires, paths[e.path].expires))
                           for e in named.ignore_paths if e.path in paths),
        disable_rules=tuple(replace(e, expires=_earlier(e.expires, rules[e.rule].expires))
                            for e in named.disable_rules if e.rule in rules),
        production=production,
        history=HistoryMode.WARN if named.history is floor.history is HistoryMode.WARN else HistoryMode.BLOCK,
    )
