"""One piece of environment evidence and the weights the classifier sums (scanner/environment)."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.model import Environment, FieldValue

WEAK, MEDIUM, STRONG, POLICY = 1, 2, 3, 100


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason for an environment. `remote` marks managed/internal hosts of unknown tier."""

    environment: Environment
    weight: int
    text: str
    kind: str  # path | client | name | host | db | selector | provider-selector | target | key | policy
    fv: FieldValue | None = None
    remote: bool = False
