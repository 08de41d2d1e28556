"""Rule registry: every rule registers here once; duplicate ids are refused at import."""

from __future__ import annotations

from scanner.rules.base import Rule

REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to REGISTRY (ids are never reused)."""
    if cls.id in REGISTRY:
        raise RuntimeError(f"duplicate rule id {cls.id}")
    if not cls.id.startswith("MCPG") or not cls.name:
        raise RuntimeError(f"malformed rule metadata for {cls.__name__}")
    REGISTRY[cls.id] = cls
    return cls


def all_rules() -> list[Rule]:
    """One instance of every registered rule, in id order."""
    _load_families()
    return [REGISTRY[rule_id]() for rule_id in sorted(REGISTRY)]


def _load_families() -> None:
    # Imported lazily so `import scanner.rules` stays cheap and free of cycles.
    import importlib

    for module in ("scanner.rules.secret", "scanner.rules.prod_env", "scanner.rules.hardening",
                   "scanner.rules.reference_syntax"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a family not written yet
            if exc.name != module:
                raise
