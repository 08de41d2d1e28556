"""The client catalog has exactly one row per Client, and its tables only name real clients."""

from __future__ import annotations

from scanner.clients.catalog import (
    BY_NAME,
    CATALOG,
    DEV_TOOL_CLIENTS,
    MCP_JSON_GRANDPARENT,
    MCP_JSON_PARENT,
    SETTINGS_PARENT,
    documents_references,
    syntax_for,
)
from scanner.model import Client, FileFormat


def test_every_client_has_exactly_one_row_keyed_by_itself() -> None:
    assert set(CATALOG) == set(Client)
    assert all(key is spec.client for key, spec in CATALOG.items())


def test_rows_are_consistent() -> None:
    for spec in CATALOG.values():
        assert spec.label and spec.note
        assert spec.language in ("json", "yaml", "toml", "dotenv", "shell", "properties", "python",
                                 "typescript", "nix", "elisp")
        if spec.style in ("names", "none"):
            assert not spec.interpolates and spec.reference("X") is None
        else:
            assert spec.interpolates and spec.reference("X")
        assert spec.content_words is None or all(spec.content_words)


def test_path_tables_name_real_clients_and_formats() -> None:
    for fmt, hints, generic in BY_NAME.values():
        assert isinstance(fmt, FileFormat) and hints and all(isinstance(h, Client) for h in hints)
        assert isinstance(generic, bool)
    for fmt, client in (*MCP_JSON_PARENT.values(), *SETTINGS_PARENT.values()):
        assert isinstance(fmt, FileFormat) and isinstance(client, Client)
    assert all(isinstance(client, Client) for client in MCP_JSON_GRANDPARENT.values())


def test_derived_views_read_the_rows() -> None:
    assert Client.CURSOR in DEV_TOOL_CLIENTS and Client.GH_AW not in DEV_TOOL_CLIENTS
    assert documents_references(Client.ZED) and not documents_references(Client.DOCKER_MCP)
    assert syntax_for("no-such-client") is CATALOG[Client.GENERIC]


# The text each fix style writes, as the client's docs spell it (the row's `source` must name it).
_STYLE_WORD = {"dollar-brace": "${", "env-colon": "${env:", "input": "${input:", "dollar": "$",
               "brace-env": "{env:", "gha": "${{ secrets.", "copilot": "COPILOT_MCP_",
               "py-environ": "os.environ", "js-env": "process.env"}


def test_every_row_cites_where_its_syntax_is_documented() -> None:
    for spec in CATALOG.values():
        assert spec.source, f"{spec.client.value}: no source for its remediation syntax"
        if spec.interpolates:
            assert _STYLE_WORD[spec.style] in spec.source, spec.client.value
        if spec.style == "none":
            # A client that passes values literally: its source must not claim a reference syntax.
            assert not any(word in spec.source for word in ("${", "{env:", "$VAR")), spec.client.value
