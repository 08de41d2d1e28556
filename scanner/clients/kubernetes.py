"""Kubernetes manifests that run MCP servers: workloads (Deployment, StatefulSet, DaemonSet,
ReplicaSet, Job, CronJob, Pod, Argo Rollout, Knative / Cloud Run `Service`, also inside a
`kind: List` and in multi-document files) whose containers run an MCP server image or command
(decided by clients/docker.py's rule: `ghcr.io/github/github-mcp-server`, `mcp/fetch`,
`docker/mcp-gateway` and the containers beside it, `npx -y @modelcontextprotocol/server-...`), and
the MCP operators' resources: ToolHive `MCPServer` (`spec.image`, `spec.env`, `spec.secrets`),
kagent `RemoteMCPServer` (`spec.url`, `spec.headersFrom`) and `ToolServer` (`spec.config.stdio` /
`sse` / `streamableHttp`).

A container's `env: [{name, value}]` entries are its env values; `valueFrom` (`secretKeyRef`,
`configMapKeyRef`, ...) names a value resolved elsewhere (`env_refs`), never a secret. The
`stringData` / `data` entries of the Secrets and ConfigMaps beside such a workload are what it reads
through `envFrom`: searched as file values (a Secret's base64 `data` is decoded by engines/encoded.py).

Public shapes: docker/mcp-gateway examples/kubernetes/deployment.yaml (gateway + `mcp/*` sidecars,
`MCP_GATEWAY_AUTH_TOKEN` literal), koosha-t/K8sMCPs github-mcp-server/deployment.yaml (secretKeyRef),
stacklok/toolhive operator docs (MCPServer `secrets[].targetEnvName`), kagent docs (RemoteMCPServer
`headersFrom[].valueFrom`). A document that does not parse (a Helm template: `{{ ... }}` is not YAML
before rendering) is searched line by line (clients/unparsed.py); only a document without template
syntax that does not parse is reported as a parse error.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import replace

from scanner import parsing
from scanner.clients._build import collect_flags, location, make_value, string_leaves, uncovered_leaves
from scanner.clients.docker import (
    CLIENT_WORDS,
    gateway_transport,
    is_gateway_image,
    names_mcp_server,
    runs_mcp_server,
)
from scanner.clients.unparsed import line_values
from scanner.engines.filters import is_empty, is_placeholder
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry, Transport
from scanner.parsing.node import NodeKind, PNode

# A document's top-level `kind:` (column 0): the kinds that can run or declare an MCP server.
_KIND = re.compile(r"(?m)^kind:[ \t]*[\"']?([A-Za-z]{2,40})")
_RUNNING_KINDS = frozenset({
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
    "Pod", "PodTemplate", "List", "Rollout", "DeploymentConfig", "Service",  # Knative / Cloud Run
    "MCPServer", "RemoteMCPServer", "MCPRemoteProxy", "ToolServer",
})
_MCP_KINDS = frozenset({"MCPServer", "RemoteMCPServer", "MCPRemoteProxy", "ToolServer"})
# The documents read: the ones that may run a server, and the Secrets / ConfigMaps they read from.
_READ_KINDS = _RUNNING_KINDS | {"Secret", "ConfigMap"}
_MCP_TEXT = re.compile(r"(?i)mcp|modelcontextprotocol")
# A line that starts a YAML document (`---`, `--- # comment`); the text after it is the document.
_DOC_START = re.compile(r"^---(?=[ \t]|\r?$)", re.M)
_TEMPLATE = "{{"
# Where a resource keeps its pod spec: Pod / Deployment-like / CronJob.
_POD_SPECS = (("spec",), ("spec", "template", "spec"), ("spec", "jobTemplate", "spec", "template", "spec"))
_CONTAINER_LISTS = ("containers", "initContainers")
# Container keys that are no configuration the server reads (handled apart or not text to search).
_ENV_KEYS = frozenset({"env"})


def names_mcp(text: str) -> bool:
    """True when `text` holds the word MCP (any case) or the reference servers' npm scope."""
    return _MCP_TEXT.search(text) is not None


def may_run_mcp(text: str) -> bool:
    """Cheap test before `build`: some document is a kind that runs or declares an MCP server, and
    the text names MCP somewhere (an image, a command word, an MCP operator's kind) or an MCP client
    configured through its environment (docker.CLIENT_WORDS: Open WebUI)."""
    if _MCP_TEXT.search(text) is None and not any(word in text for word in CLIENT_WORDS):
        return False
    return any(kind in _RUNNING_KINDS for kind in _KIND.findall(text))


def build(path: str, text: str) -> McpConfig | None:
    """The MCP servers `text`'s documents run, and every other value of the documents read (the
    Secrets / ConfigMaps beside them included): None when no document runs one."""
    servers: list[ServerEntry] = []
    data: list[FieldValue] = []
    unparsed: list[FieldValue] = []
    errors: list[str] = []
    for line, body in _documents(text):
        kind = _KIND.search(body)
        if kind is None or kind.group(1) not in _READ_KINDS:
            continue  # a CustomResourceDefinition, RBAC, an Ingress, ...: nothing that runs a server
        try:
            root = parsing.parse_yaml_document(body, line)  # at the file's own lines
        except ParseError as exc:
            unparsed.extend(_moved_down(line_values(path, body), line))
            if _TEMPLATE not in body:
                errors.append(f"document at line {line + 1}: {exc}")
            continue
        found: list[ServerEntry] = []
        kept: list[FieldValue] = []
        covered: set[tuple[int, int]] = set()  # this document's values taken already
        for resource in _resources(root):
            found.extend(_servers(path, resource))
            kept.extend(_data_values(path, resource, covered))
        covered.update((fv.location.line, fv.location.column) for s in found for fv in s.values)
        covered.update((fv.location.line, fv.location.column) for fv in kept)
        servers.extend(found)
        # every other value of the document: the file runs an MCP server, all of it is searched
        data.extend(kept)
        data.extend(uncovered_leaves(path, root, covered))
    if not servers and not (unparsed and (_names_mcp_image(text) or names_mcp_server(path))):
        return None  # a template counts when an image / command line or the chart's path names MCP
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, tuple(servers),
                     extra_values=tuple(data + unparsed), parse_error=errors[0] if errors else None)


def _moved_down(values: tuple[FieldValue, ...], lines: int) -> list[FieldValue]:
    return [replace(fv, location=replace(fv.location, line=fv.location.line + lines),
                    end_line=fv.end_line + lines) for fv in values]


def _names_mcp_image(text: str) -> bool:
    """A template (unparsed) of a workload whose `image:` / command line names an MCP server."""
    for match in re.finditer(r"(?m)^[ \t-]*(?:image|command|args)[ \t]*:[ \t]*(.+)$", text):
        if names_mcp_server(match.group(1)):
            return True
    return False


def _documents(text: str) -> Iterator[tuple[int, str]]:
    """(0-based first line, text) of each YAML document of `text`."""
    start, line = 0, 0
    for marker in _DOC_START.finditer(text):
        yield line, text[start:marker.start()]
        line += text.count("\n", start, marker.start())
        end = text.find("\n", marker.start())
        start = len(text) if end < 0 else end + 1
        line += 1 if end >= 0 else 0
    yield line, text[start:]


def _resources(root: PNode) -> Iterator[PNode]:
    """The resources of a document: itself, or the items of a `kind: List` (nested lists too)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if not node.is_object:
            continue
        if _text(node.get("kind")) == "List":
            items = node.get("items")
            if items is not None and items.is_array:
                stack.extend(reversed(items.items))
            continue
        yield node


def _text(node: PNode | None) -> str | None:
    return str(node.value) if node is not None and node.is_string else None


def _at(node: PNode | None, *keys: str) -> PNode | None:
    for key in keys:
        node = node.get(key) if node is not None and node.is_object else None
    return node


def _servers(path: str, resource: PNode) -> list[ServerEntry]:
    kind = _text(resource.get("kind"))
    name = _text(_at(resource, "metadata", "name")) or kind or "resource"
    if kind in _MCP_KINDS:
        spec = resource.get("spec")
        if spec is None or not spec.is_object:
            return []
        anchor = _at(resource, "metadata", "name") or resource
        if kind == "ToolServer":
            return [_tool_server(path, name, anchor, spec)]
        return [_operator_server(path, name, anchor, spec)]
    out: list[ServerEntry] = []
    for keys in _POD_SPECS:
        pod = _at(resource, *keys)
        if pod is None or not pod.is_object:
            continue
        containers = [c for field in _CONTAINER_LISTS if (lst := pod.get(field)) is not None and lst.is_array
                      for c in lst.items if c.is_object]
        if not containers:
            continue
        gateway = any(is_gateway_image(c.get("image")) for c in containers)
        for container in containers:
            if gateway or runs_mcp_server(container, ("command", "args")):
                out.append(_container(path, name, container))
        break  # one pod spec per resource
    return out


def env_list(path: str, node: PNode | None, prefix: str = "env") -> tuple[list[FieldValue], list[str]]:
    """`[{name: X, value: Y}]` entries as env values; entries with `valueFrom` as resolved names."""
    env: list[FieldValue] = []
    refs: list[str] = []
    if node is None or not node.is_array:
        return env, refs
    for item in node.items:
        var = _text(item.get("name")) if item.is_object else None
        if var is None:
            continue
        value = item.get("value")
        if value is not None and value.scalar_text() is not None:
            env.append(make_value(path, f"{prefix}.{var}", value, var))
        elif item.get("valueFrom") is not None:
            refs.append(var)
    return env, refs


def _container(path: str, workload: str, container: PNode) -> ServerEntry:
    cname = _text(container.get("name"))
    name = f"{workload}/{cname}" if cname and cname != workload else workload
    env, refs = env_list(path, container.get("env"))
    values: list[FieldValue] = []
    args: list[FieldValue] = []
    command: FieldValue | None = None
    flags: list[tuple[str, str]] = []
    for field, _key, node in container.pairs():
        if field in _ENV_KEYS:
            continue
        leaves = string_leaves(path, node, field, field)
        values.extend(leaves)
        collect_flags(node, field, flags)
        if field in ("command", "args") and node.is_array:
            args.extend(leaves)
        elif field == "command" and node.kind is NodeKind.STRING:
            command = leaves[0]
    transport = gateway_transport(args) if is_gateway_image(container.get("image")) else Transport.UNKNOWN
    anchor = container.get("name") or container
    return ServerEntry(name=name, client=Client.KUBERNETES, location=location(path, anchor),
                       transport=transport,
                       command=command, args=tuple(args), env=tuple(env), env_refs=tuple(refs),
                       values=tuple(values + env), flags=tuple(flags))


def _operator_server(path: str, name: str, anchor: PNode, spec: PNode) -> ServerEntry:
    """ToolHive `MCPServer` (image, args, env, secrets[].targetEnvName) and kagent `RemoteMCPServer` /
    ToolHive `MCPRemoteProxy` (url, headersFrom[] with `value` or `valueFrom`)."""
    env, refs = env_list(path, spec.get("env"))
    headers, header_refs = env_list(path, spec.get("headersFrom"), "headers")
    secrets = spec.get("secrets")
    if secrets is not None and secrets.is_array:
        refs.extend(t for item in secrets.items if (t := _text(_at(item, "targetEnvName"))) is not None)
    values: list[FieldValue] = []
    for field, _key, node in spec.pairs():
        if field not in ("env", "headersFrom"):
            values.extend(string_leaves(path, node, field, field))
    url_node = spec.get("url") or spec.get("remoteURL")
    url = make_value(path, "url", url_node, "url") if url_node is not None and url_node.is_string else None
    args_node = spec.get("args")
    args = tuple(v for v in values if v.field.startswith("args[")) if args_node is not None else ()
    transport = Transport.HTTP if url is not None else _transport(_text(spec.get("transport")))
    return ServerEntry(name=name, client=Client.KUBERNETES, location=location(path, anchor),
                       transport=transport,
                       args=args, env=tuple(env), url=url, headers=tuple(headers),
                       env_refs=tuple(refs + header_refs), values=tuple(values + env + headers))


def _tool_server(path: str, name: str, anchor: PNode, spec: PNode) -> ServerEntry:
    """kagent `ToolServer` (v1alpha1): `config.stdio` {command, args, env map, envFrom} or
    `config.sse` / `config.streamableHttp` {url, headers map}; the later shapes' container env lists
    (kagent v1alpha2 `mcp.deployment.env`, agentic-layer `spec.env`: `[{name, value}]`)."""
    from scanner.clients._build import env_map_values

    config = spec.get("config")
    values = string_leaves(path, spec, "") if spec.is_object else []
    env, refs = env_list(path, _at(spec, "mcp", "deployment", "env") or spec.get("env"))
    headers: list[FieldValue] = []
    url: FieldValue | None = None
    command: FieldValue | None = None
    transport = Transport.UNKNOWN
    for mode, _key, body in config.pairs() if config is not None and config.is_object else ():
        if not body.is_object:
            continue
        prefix = f"config.{mode}"
        if (node := body.get("env")) is not None and node.is_object:
            env = env_map_values(path, node, "env")
        refs.extend(env_list(path, body.get("envFrom"))[1])
        if (node := body.get("headers")) is not None and node.is_object:
            headers = env_map_values(path, node, "headers")
        if (node := body.get("url")) is not None and node.is_string:
            url = make_value(path, f"{prefix}.url", node, "url")
        if (node := body.get("command")) is not None and node.is_string:
            command = make_value(path, f"{prefix}.command", node, "command")
        transport = Transport.STDIO if mode == "stdio" else Transport.SSE if mode == "sse" else Transport.HTTP
    covered = {(v.location.line, v.location.column) for v in (*env, *headers)}
    values = [v for v in values if (v.location.line, v.location.column) not in covered]
    return ServerEntry(name=name, client=Client.KUBERNETES, location=location(path, anchor),
                       transport=transport,
                       command=command, env=tuple(env), url=url, headers=tuple(headers),
                       env_refs=tuple(refs), values=tuple(values + env + headers))


def _transport(text: str | None) -> Transport:
    return {"stdio": Transport.STDIO, "sse": Transport.SSE,
            "streamable-http": Transport.HTTP}.get(text or "", Transport.UNKNOWN)


def _data_values(path: str, resource: PNode, skipped: set[tuple[int, int]]) -> list[FieldValue]:
    """`stringData` / `data` entries of a Secret or ConfigMap (what `envFrom` hands a container).
    A Secret's `data` is base64: an entry that decodes to a placeholder (`changeme`) is left out,
    the others are kept as written (engines/encoded.py decodes and judges them). An entry holding a
    file's text is left to clients/manifests.py. The positions of the entries left out go to
    `skipped` (not searched as other values either)."""
    kind = _text(resource.get("kind"))
    if kind not in ("Secret", "ConfigMap"):
        return []
    out: list[FieldValue] = []
    for section in ("stringData", "data"):
        node = resource.get(section)
        if node is None or not node.is_object:
            continue
        for key, _k, child in node.pairs():
            if child.is_string and ("\n" in str(child.value) or kind == "Secret" and section == "data"
                                    and _decodes_to_placeholder(str(child.value))):
                skipped.add((child.line, child.column))
                continue
            if not child.is_string:
                continue
            out.append(make_value(path, f"{section}.{key}", child, key))
    return out


def _decodes_to_placeholder(value: str) -> bool:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return is_empty(decoded) or is_placeholder(decoded)
