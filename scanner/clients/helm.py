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
`secretEnv.data`), TU-Wien-dataLAB/tuw-ai-stack charts/mcp-servers (`mcpServers[].command`, `env`),
icoretech/helm charts/metamcp (`provision.servers[]` entries with `command`, `args`, `env`: a list's
entries are blocks too).

The same values written inline in a GitOps resource are read the same way (`release_values`): a Flux
`HelmRelease`'s `spec.values` and an Argo CD `Application`'s `spec.source(s).helm.valuesObject`, its
`helm.values` (the same YAML as a string) and its `helm.parameters` (`--set name=value` pairs, each
judged under the last part of its name). When the release's chart names an MCP server
(`chart: github-mcp-server`, Flux `spec.chart.spec.chart` / `chartRef.name`), its values configure
that server though they name no image of their own (the chart does). A kustomization's
`helmCharts[]` (`valuesInline`) and a helmfile's `releases[]` (`values:` objects, `set:` pairs) are
read the same way.
"""

from __future__ import annotations

import re

from scanner import parsing
from scanner.clients import mcpservers
from scanner.clients._build import env_map_values, location, string_leaves, uncovered_leaves
from scanner.clients.docker import names_mcp_server, runs_mcp_server
from scanner.clients.kubernetes import _documents, env_list, names_mcp
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry, Transport
from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.positions import indent_of

# `values.yaml`, `values-prod.yaml`, `values.dev.yml`, `my-values.yaml` (Helm's `-f` files).
_VALUES_NAME = re.compile(r"(?:^|.*[._-])values(?:[._-][\w.-]*)?\.ya?ml")
_ENV_KEYS = ("env", "extraEnv", "extraEnvVars", "envVars", "environment", "secretEnv", "envSecrets")
_MAX_DEPTH = 3  # component blocks sit at most this deep (`librechat.mcp.image`)


def is_values_file(rel_path: str) -> bool:
    """`values*.yaml`, or any YAML of a `values/` folder (`values/prod.yaml`: helmfile, Argo CD)."""
    parts = rel_path.lower().rsplit("/", 2)
    return _VALUES_NAME.fullmatch(parts[-1]) is not None or len(parts) > 1 and parts[-2] == "values"


def build(path: str, root: PNode, release: str | None = None, chart: bool = False) -> McpConfig | None:
    """The MCP servers a chart's values configure, plus every other value of the file; None when
    the values name no MCP server. `release`: the name of the resource holding inline values;
    `chart`: its chart names an MCP server (the values are that server's though they name none)."""
    if not root.is_object:
        return None
    servers: list[ServerEntry] = []
    stack: list[tuple[str, PNode, int, str | None]] = [("", root, 0, None)]
    while stack:
        prefix, node, depth, label = stack.pop()
        listed = node.get("mcpServers")
        if listed is not None:
            servers.extend(_listed(path, prefix, node, listed))
        if _names_server(node):
            servers.append(_block(path, label or prefix or release or _chart_name(path), node, prefix))
            continue
        if depth < _MAX_DEPTH:
            for key, _k, child in reversed(list(node.pairs())):
                field = f"{prefix}.{key}" if prefix else key
                if child.is_object and key != "mcpServers":
                    stack.append((field, child, depth + 1, None))
                elif child.is_array and key != "mcpServers":  # `provision.servers: [{command, env}]`
                    stack.extend((f"{field}[{index}]", item, depth + 1, _item_name(item))
                                 for index, item in reversed(list(enumerate(child.items))) if item.is_object)
    if not servers and chart and not _other_image(root):  # (`image: nginx` replaces the chart's server)
        servers.append(_block(path, release or _chart_name(path), root, ""))
    if not servers:
        return None
    covered = {(fv.location.line, fv.location.column) for server in servers for fv in server.values}
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, tuple(servers),
                     extra_values=tuple(uncovered_leaves(path, root, covered)))


def _item_name(item: PNode) -> str | None:
    """A list entry's `name` (`github`), if it has one."""
    label = item.get("name")
    return str(label.value) if label is not None and label.is_string and label.value else None


def names_release(text: str) -> bool:
    """Cheap gate: a Flux HelmRelease / Argo CD Application whose text names MCP."""
    return _RELEASE_KINDS.search(text) is not None and names_mcp(text)


_RELEASE_KINDS = re.compile(r"(?m)^(?:kind:[ \t]*[\"']?(HelmRelease|Application|ApplicationSet)\b"
                            r"|(?:helmCharts|releases)[ \t]*:)")


def release_values(path: str, text: str) -> McpConfig | None:
    """The MCP servers the inline Helm values of a Flux `HelmRelease` (`spec.values`) or an Argo CD
    `Application` (`spec.source.helm.valuesObject`, `spec.sources[].helm.valuesObject`) configure,
    read as a values file; None when none names an MCP server."""
    if _RELEASE_KINDS.search(text) is None:
        return None
    servers: list[ServerEntry] = []
    extra: list[FieldValue] = []
    for line, body in _documents(text):
        if _RELEASE_KINDS.search(body) is None:
            continue
        try:
            root = parsing.parse_yaml_document(body, line)
        except ParseError:
            continue  # a template or broken document: the line reader of manifests has it
        spec = root.get("spec") if root is not None and root.is_object else None
        inline = _inline_values(body, line, spec) if spec is not None and spec.is_object else []
        inline.extend(_listed_releases(root) if root is not None and root.is_object else ())
        for values, chart in inline:
            found = build(path, values, _metadata_name(root), chart)
            if found is not None:
                servers.extend(found.servers)
                extra.extend(found.extra_values)
    if not servers:
        return None
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, tuple(servers), extra_values=tuple(extra))


def _metadata_name(root: PNode) -> str | None:
    metadata = root.get("metadata")
    name = metadata.get("name") if metadata is not None and metadata.is_object else None
    return str(name.value) if name is not None and name.is_string and name.value else None


def _inline_values(body: str, first_line: int, spec: PNode) -> list[tuple[PNode, bool]]:
    """(values, whether the chart names an MCP server) of a HelmRelease's / Application's spec."""
    flux = spec.get("chart")
    flux_spec = flux.get("spec") if flux is not None and flux.is_object else None
    out = [(spec.get("values"), _names(flux_spec, "chart") or _names(spec.get("chartRef"), "name"))]
    sources = [spec.get("source")]
    listed = spec.get("sources")
    sources.extend(listed.items if listed is not None and listed.is_array else ())
    for source in sources:
        helm = source.get("helm") if source is not None and source.is_object else None
        if helm is None or not helm.is_object:
            continue
        assert source is not None
        chart = _names(source, "chart") or _names(source, "path") or _names(source, "repoURL")
        out.append((helm.get("valuesObject"), chart))
        text = helm.get("values")
        if text is not None and text.is_string and text.end_line > text.line + 1:
            out.append((_block_yaml(body, first_line, text), chart))
        out.append((_parameters(helm.get("parameters")), chart))
    return [(node, chart) for node, chart in out if node is not None and node.is_object]


def _listed_releases(root: PNode) -> list[tuple[PNode, bool]]:
    """(values, whether the chart names an MCP server) of a kustomization's `helmCharts[]`
    (`valuesInline`) and a helmfile's `releases[]` (`values:` objects and `set:` pairs)."""
    out: list[tuple[PNode | None, bool]] = []
    for key in ("helmCharts", "releases"):
        listed = root.get(key)
        for item in listed.items if listed is not None and listed.is_array else ():
            chart = any(_names(item, name) for name in ("chart", "name", "repo", "releaseName"))
            out.append((item.get("valuesInline") if item.is_object else None, chart))
            values = item.get("values") if item.is_object else None
            out.extend((node, chart) for node in (values.items if values is not None and values.is_array
                                                  else ()))
            out.append((_parameters(item.get("set")) if item.is_object else None, chart))
    return [(node, chart) for node, chart in out if node is not None and node.is_object]


def _names(holder: PNode | None, key: str) -> bool:
    value = holder.get(key) if holder is not None and holder.is_object else None
    return value is not None and value.is_string and names_mcp_server(str(value.value))


def _block_yaml(body: str, first_line: int, scalar: PNode) -> PNode | None:
    """An Argo CD `helm.values: |` block parsed in place: its lines as the file holds them (YAML
    allows the indented mapping), so the values' positions are the file's; None when no YAML."""
    lines = body.split("\n")
    start = scalar.line - first_line  # the block's first line (after the `|` line), 0-based in `body`
    if not 0 < start < len(lines):
        return None
    key_indent = indent_of(lines[start - 1])
    stop = start
    while stop < len(lines) and (not lines[stop].strip() or indent_of(lines[stop]) > key_indent):
        stop += 1
    try:
        return parsing.parse_yaml_document("\n".join(lines[start:stop]), first_line + start)
    except ParseError:
        return None


def _parameters(listed: PNode | None) -> PNode | None:
    """Argo CD `helm.parameters: [{name: env.TOKEN, value: …}]` as a values map `{TOKEN: …}` (its
    `--set` path's last part names the value), read as an `env` map."""
    if listed is None or not listed.is_array:
        return None
    entries = []
    for item in listed.items:
        name, value = (item.get("name"), item.get("value")) if item.is_object else (None, None)
        if name is not None and name.is_string and value is not None and value.scalar_text() is not None:
            key = PNode(name.kind, name.line, name.column, name.end_line, name.end_column,
                        str(name.value).rsplit(".", 1)[-1])
            entries.append((key, value))
    env = PNode(NodeKind.OBJECT, listed.line, listed.column, listed.end_line, listed.end_column,
                entries=entries)
    key = PNode(NodeKind.STRING, listed.line, listed.column, listed.line, listed.column, "env")
    return PNode(NodeKind.OBJECT, listed.line, listed.column, listed.end_line, listed.end_column,
                 entries=[(key, env)]) if entries else None


def _chart_name(path: str) -> str:
    parts = path.split("/")
    return parts[-2] if len(parts) > 1 else "chart"


def _image(node: PNode) -> str | None:
    """The image a values block sets (`image: x`, `image: {registry, repository, name}`), or None."""
    image = node.get("image")
    if image is not None and image.is_string:
        return str(image.value)
    words = [str(part.value) for key in ("registry", "repository", "name")
             if image is not None and image.is_object and (part := image.get(key)) is not None
             and part.is_string]
    return "/".join(words) if words else None


def _other_image(node: PNode) -> bool:
    """The values set an `image` that names no MCP server."""
    image = _image(node)
    return image is not None and not names_mcp_server(image)


def _names_server(node: PNode) -> bool:
    image = node.get("image")
    if image is not None and image.is_object and names_mcp_server(_image(node) or ""):
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
