"""Helm chart values files (`values.yaml`, `values-prod.yaml`) of charts that run MCP servers.

A chart's values are the configuration its templates render into the workload, so a token written
there ends up in the container as surely as one in the manifest. A values file counts when it names
an MCP server: an `image` block (`image: mcp/github`, `image: {repository: ghcr.io/github/
github-mcp-server}`, also under a component key such as `server:`), a `command` / `args` naming
one (`npx -y @modelcontextprotocol/server-github`), or an `mcpServers` section (a client-config
map, or the list of `{name, command, env}` entries of multi-server charts). Each such block is a
server; its `env` / `extraEnv` / `envVars` / `secretEnv` maps and `[{name, value}]` lists are its env
values (`valueFrom` entries are references); every other value of the file is searched too.

Public shapes: leothelyon17/kubernetes-gitops-playground helm-charts/github-mcp-server values.yaml
(`image.repository: ghcr.io/github/github-mcp-server`, `env.personalAccessToken`), Arbuzov/mcp-helm
charts/*/values.yaml (`image.repository: iwakitakuma/gitlab-mcp`, `env: {GITLAB_TOKEN: …}`,
`secretEnv.data`), TU-Wien-dataLAB/tuw-ai-stack charts/mcp-servers (`mcpServers[].command`, `env`).
"""

from __future__ import annotations

import re

from scanner.clients import mcpservers
from scanner.clients._build import env_map_values, location, string_leaves, uncovered_leaves
from scanner.clients.docker import names_mcp_server, runs_mcp_server
from scanner.clients.kubernetes import env_list
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry, Transport
from scanner.parsing.node import PNode

# `values.yaml`, `values-prod.yaml`, `values.dev.yml`, `my-values.yaml` (Helm's `-f` files).
_VALUES_NAME = re.compile(r"(?:^|.*[._-])values(?:[._-][\w.-]*)?\.ya?ml")
_ENV_KEYS = ("env", "extraEnv", "extraEnvVars", "envVars", "environment", "secretEnv", "envSecrets")
_MAX_DEPTH = 3  # component blocks sit at most this deep (`librechat.mcp.image`)


def is_values_file(rel_path: str) -> bool:
    return _VALUES_NAME.fullmatch(rel_path.rsplit("/", 1)[-1].lower()) is not None


def build(path: str, root: PNode) -> McpConfig | None:
    """The MCP servers a chart's values configure, plus every other value of the file; None when
    the values name no MCP server."""
    if not root.is_object:
        return None
    servers: list[ServerEntry] = []
    stack: list[tuple[str, PNode, int]] = [("", root, 0)]
    while stack:
        prefix, node, depth = stack.pop()
        listed = node.get("mcpServers")
        if listed is not None:
            servers.extend(_listed(path, prefix, node, listed))
        if _names_server(node):
            servers.append(_block(path, prefix or _chart_name(path), node, prefix))
            continue
        if depth < _MAX_DEPTH:
            stack.extend((f"{prefix}.{key}" if prefix else key, child, depth + 1)
                         for key, _k, child in reversed(list(node.pairs()))
                         if child.is_object and key != "mcpServers")
    if not servers:
        return None
    covered = {(fv.location.line, fv.location.column) for server in servers for fv in server.values}
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, tuple(servers),
                     extra_values=tuple(uncovered_leaves(path, root, covered)))


def _chart_name(path: str) -> str:
    parts = path.split("/")
    return parts[-2] if len(parts) > 1 else "chart"


def _names_server(node: PNode) -> bool:
    image = node.get("image")
    if image is not None and image.is_object:
        words = [str(part.value) for key in ("registry", "repository", "name")
                 if (part := image.get(key)) is not None and part.is_string]
        if words and names_mcp_server("/".join(words)):
            return True
    return runs_mcp_server(node, ("command", "args"))


def _env(path: str, node: PNode, prefix: str) -> tuple[list[FieldValue], list[str]]:
    """A block's env values (maps and `[{name, value}]` lists) and the names set from elsewhere."""
    env: list[FieldValue] = []
    refs: list[str] = []
    for key in _ENV_KEYS:
        child = node.get(key)
        field = f"{prefix}.{key}" if prefix else key
        if child is not None and child.is_object:
            data = child.get("data")  # `secretEnv: {data: {NAME: value}}`
            env.extend(env_map_values(path, data if data is not None and data.is_object else child, field))
        elif child is not None and child.is_array:  # a container's `[{name, value}]` list
            listed, listed_refs = env_list(path, child, field)
            env.extend(listed)
            refs.extend(listed_refs)
    return env, refs


def _block(path: str, name: str, node: PNode, prefix: str) -> ServerEntry:
    env, refs = _env(path, node, prefix)
    taken = {(fv.location.line, fv.location.column) for fv in env}
    values = [fv for fv in string_leaves(path, node, prefix)
              if (fv.location.line, fv.location.column) not in taken]
    return ServerEntry(name=name, client=Client.KUBERNETES, location=location(path, node),
                       transport=Transport.UNKNOWN, env=tuple(env), env_refs=tuple(refs),
                       values=tuple(values + env))


def _listed(path: str, prefix: str, holder: PNode, listed: PNode) -> list[ServerEntry]:
    """`mcpServers:` of a values file: a client-config map, or a list of `{name, command, env}`."""
    field = f"{prefix}.mcpServers" if prefix else "mcpServers"
    if listed.is_object:
        config = mcpservers.build(path, holder, Client.KUBERNETES, FileFormat.YAML)
        return list(config.servers) if config is not None else []
    out: list[ServerEntry] = []
    for index, item in enumerate(listed.items if listed.is_array else ()):
        if not item.is_object:
            continue
        label = item.get("name")
        name = str(label.value) if label is not None and label.is_string else f"{field}[{index}]"
        out.append(_block(path, name, item, f"{field}[{index}]"))
    return out
