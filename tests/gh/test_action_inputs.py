"""action.yml declares exactly the inputs the Action reads (a typo'd input is silently ignored)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import scanner.gh.action as action_module
import scanner.gh.context as context_module

ROOT = Path(__file__).resolve().parents[2]


def test_action_yml_inputs_match_the_context() -> None:
    declared = set(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"])
    read: set[str] = set()
    for module in (context_module, action_module):  # action.py reads the secret `fingerprint-key`
        source = Path(module.__file__).read_text(encoding="utf-8")
        read |= set(re.findall(r'get_input\(env, "([a-z-]+)"', source))
    assert {"suggestions", "block-secrets-everywhere"} <= read
    assert declared == read
