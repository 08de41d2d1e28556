"""The gitleaks config mcp-guard runs with: the default rules plus MCP-specific ones (Go RE2 syntax).

Kept as Python text (written into the private temp dir at run time), so it needs no package data.
"""

from __future__ import annotations

# Shapes gitleaks' default config has no rule for (reference/gitleaks.md 4.5, and the
# mcp-secrets table): DB URI passwords, Supabase/Tavily/Figma/Context7/xAI/OpenRouter/Neon keys.
GITLEAKS_CONFIG_TOML = r"""
title = "mcp-guard"

[extend]
useDefault = true

[[rules]]
id = "mcpg-db-uri-password"
description = "Password in a database connection URI"
regex = '''(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver)://[^:@\s/"'\\]*:([^@\s"'/\\]{3,})@[^\s"'/:\\]+'''
secretGroup = 1
keywords = ["://"]

[[rules]]
id = "mcpg-supabase-token"
description = "Supabase access token or secret key"
regex = '''\b(sbp_(?:v0_)?[A-Za-z0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["sbp_", "sb_secret_"]

[[rules]]
id = "mcpg-vendor-key"
description = "MCP vendor API key (Tavily, Figma, Context7, xAI, OpenRouter, Neon, Groq)"
regex = '''\b((?:tvly-(?:dev-|prod-)?|figd_|ctx7sk-|xai-|sk-or-v1-|napi_|gsk_)[A-Za-z0-9_-]{20,})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["tvly-", "figd_", "ctx7sk-", "xai-", "sk-or-v1-", "napi_", "gsk_"]
"""
