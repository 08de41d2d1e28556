"""mcp-guard: secrets and production reuse in MCP client configs."""

__version__ = "0.1.0"
