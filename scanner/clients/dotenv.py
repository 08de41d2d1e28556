"""Dotenv files (`.mcp.env`, `.env.mcp`, files a config references): every NAME=value is a file
value with field `env.NAME` and key NAME."""

from __future__ import annotations

from scanner.clients._build import env_map_values
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode


def build(path: str, root: PNode) -> McpConfig:
    return McpConfig(path, Client.DOTENV, FileFormat.DOTENV, (), tuple(env_map_values(path, root)))
