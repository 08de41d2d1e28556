"""Credential issuers written as one Provider row each: token shapes, rotation advice, aliases and
gitleaks rule ids together. A new issuer is one row here plus a case in tests/providers/; its shapes
join PATTERNS (providers/patterns.py) and its advice joins ROTATIONS (providers/rotation.py).
"""

from __future__ import annotations

from scanner.model import Severity
from scanner.providers.base import LEFT, RIGHT, Provider, Rotation, pattern

ISSUERS: tuple[Provider, ...] = (
    Provider(
        id="grafana",
        # Service account tokens: glsa_ + 32 alphanumerics + _ + 8 hex (checksum); mcp-grafana reads
        # them from GRAFANA_SERVICE_ACCOUNT_TOKEN / GRAFANA_API_KEY.
        patterns=(pattern("grafana-service-account-token",
                          LEFT + r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}" + RIGHT, "glsa_", "grafana",
                          Severity.HIGH, "Grafana service account token"),),
        rotation=Rotation("grafana", "Grafana",
                          "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
                          "In Grafana, Administration > Users and access > Service accounts: delete the "
                          "token, add a new one, and give the account the Viewer role when the MCP server "
                          "only reads."),
        aliases=("grafana-cloud",),
        gitleaks_rules=("grafana-service-account-token", "grafana-api-key", "grafana-cloud-api-token"),
    ),
)
