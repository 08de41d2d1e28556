"""Docker MCP: compose files running `docker/mcp-gateway` (services' `environment`, `command`,
`env_file`, compose `secrets` files) or MCP server images and commands (`mcp/github`,
`ghcr.io/github/github-mcp-server`, `command: npx -y @modelcontextprotocol/server-...`), the compose
files one includes or extends from (read as compose files of their own), and catalog / `server.yaml`
entries (`secrets[].env` names)."""

from __future__ import annotations

import re

from scanner.clients._build import (
    collect_flags,
    env_map_values,
    leaves_except,
    location,
    make_value,
    string_leaves,
)
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport
from scanner.parsing.node import NodeKind, PNode
from scanner.references import is_reference

_GATEWAY = "docker/mcp-gateway"
# An MCP server run by compose: an image or command word with a delimited `mcp` token (`mcp/github`,
# `ghcr.io/github/github-mcp-server`, `mcp-server-fetch`) or a package of the reference servers
# (`@modelcontextprotocol/server-github`).
_MCP_WORD = re.compile(r"(?i)(?:^|[/_.@ -])mcp(?:[/_.:@ -]|$)|@modelcontextprotocol/")
_GATEWAY_TRANSPORTS = {"sse": Transport.SSE, "streaming": Transport.HTTP, "stdio": Transport.STDIO}
# Documentation keys of catalog entries: prose, not configuration.
_DOC_KEYS = frozenset({"about", "meta", "source", "description", "title", "icon", "readme", "tools",
                       "displayName", "toolsUrl", "upstream", "dateAdded", "metadata"})


TOOLKIT_FILES = ("config.yaml", "registry.yaml")


def is_toolkit_config(path: str) -> bool:
    """The MCP Toolkit's `~/.docker/mcp/config.yaml` (per-server settings) or `registry.yaml` (the
    enabled servers, each `ref` with an optional `config` map of its settings: docker/mcp-gateway's
    RegistryTile) as dotfiles keep them (`.docker/mcp/…`, chezmoi `dot_docker/mcp/…`, stow
    `docker/mcp/…`)."""
    parts = path.split("/")
    return len(parts) >= 3 and parts[-1] in TOOLKIT_FILES and parts[-2] == "mcp" \
        and parts[-3] in (".docker", "dot_docker", "docker")


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """A compose file with a gateway service, a catalog with `registry`, a single server.yaml, or the
    Toolkit's config.yaml (each top-level key a server's settings: `github-official:
    {personal_access_token: …}`, which the gateway hands to that server)."""
    if is_toolkit_config(path):
        return toolkit_config(path, root, fmt)
    services = root.get("services")
    if services is not None and services.is_object:
        return _compose(path, root, services, fmt)
    if (refs := _compose_files(path, root, None)):  # only `include:` (a compose file of includes)
        return McpConfig(path, Client.DOCKER_MCP, fmt, (), tuple(refs))
    registry = root.get("registry")
    if registry is not None and registry.is_object:
        servers = [_catalog_entry(path, name, key, node) for name, key, node in registry.pairs()
                   if node.is_object and _is_server(node)]
        return McpConfig(path, Client.DOCKER_MCP, fmt, tuple(servers)) if servers else None
    if _is_server(root) and ({"secrets", "config", "env"} & set(root.keys()) or _kind(root) == "server"):
        name_node = root.get("name")
        name = str(name_node.value) if name_node is not None and name_node.is_string else "server"
        anchor = name_node if name_node is not None else root
        return McpConfig(path, Client.DOCKER_MCP, fmt, (_catalog_entry(path, name, anchor, root),))
    return None


def toolkit_config(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """The Toolkit's `config.yaml` (in a dotfiles tree, or a gateway's ConfigMap entry): each top-level
    object the settings of the server of that name, every string in it one of its values; its
    `registry.yaml`: each entry's `config` map the same."""
    tiles = root.get("registry") if path.rsplit("/", 1)[-1] == TOOLKIT_FILES[1] else None
    if tiles is not None:  # registry.yaml: `registry: {<server>: {ref: …, config: {…}}}`
        settings = [(name, key, config) for name, key, node in tiles.pairs() if node.is_object
                    and (config := node.get("config")) is not None] if tiles.is_object else []
    else:
        settings = list(root.pairs())
    servers = [ServerEntry(name=name, client=Client.DOCKER_MCP, location=location(path, key),
                           transport=Transport.STDIO, values=tuple(string_leaves(path, node, name)))
               for name, key, node in settings if node.is_object]
    return McpConfig(path, Client.DOCKER_MCP, fmt, tuple(servers)) if servers else None


def _kind(node: PNode) -> str | None:
    kind = node.get("type")
    return str(kind.value) if kind is not None and kind.is_string else None


def _is_server(node: PNode) -> bool:
    image, remote = node.get("image"), node.get("remote")
    return (image is not None and image.is_string) or (remote is not None and remote.is_object)


def _compose(path: str, root: PNode, services: PNode, fmt: FileFormat) -> McpConfig | None:
    has_gateway = any(is_gateway_image(svc.get("image")) for _n, _k, svc in services.pairs() if svc.is_object)
    if has_gateway:  # every service of a gateway stack is part of it (the gateway runs them)
        servers = [_service(path, name, key, svc) for name, key, svc in services.pairs() if svc.is_object]
    else:  # only the services that run an MCP server; a database or web service beside them is not one
        servers = [_service(path, name, key, svc) for name, key, svc in services.pairs()
                   if svc.is_object and (runs_mcp_server(svc) or _named_mcp_server(name, svc)
                                         or _connects_mcp(svc))]
    refs = _compose_files(path, root, services)
    if not servers and not refs:
        return None
    secrets = root.get("secrets")
    file_values = string_leaves(path, secrets, "secrets") if secrets is not None and servers else []
    return McpConfig(path, Client.DOCKER_MCP, fmt, tuple(servers), tuple(file_values + refs))


def _named_mcp_server(name: str, svc: PNode) -> bool:
    """A compose service named as an MCP server by its key or `container_name` (`coolify-mcp`,
    `supabase-mcp-sf`): built from the repository (`build: .`) or from an image whose name runs
    the words together, it runs an MCP server all the same."""
    container = svc.get("container_name")
    names = (name, str(container.value) if container is not None and container.is_string else "")
    return any(_MCP_WORD.search(text) for text in names if text)


# Open WebUI's MCP / OpenAPI tool servers, as an environment variable of its container: a JSON list
# of connections (`[{"type": "mcp", "url": …, "auth_type": "bearer", "key": …}]`, docs.openwebui.com).
_CONNECTION_VARS = ("TOOL_SERVER_CONNECTIONS",)


# Images of MCP clients that take their tool servers from the container's environment, also through an
# `env_file:` / `envFrom:` the manifest does not spell out: Open WebUI (`ghcr.io/open-webui/open-webui`,
# `TOOL_SERVER_CONNECTIONS`, docs.openwebui.com env configuration).
_CLIENT_IMAGE = re.compile(r"(?:^|/)open-webui/open-webui(?::|@|$)")
# Words a compose file / manifest of such a client holds though it names no MCP (content words).
CLIENT_WORDS = ("open-webui/open-webui", "TOOL_SERVER_CONNECTIONS")


def _connects_mcp(svc: PNode) -> bool:
    """A service whose environment names the MCP servers it connects to (Open WebUI)."""
    env = svc.get("environment")
    if env is not None and env.is_object:
        return any(name in _CONNECTION_VARS for name in env.keys())
    if env is not None and env.is_array:
        return any((text := item.scalar_text()) is not None and text.split("=", 1)[0] in _CONNECTION_VARS
                   for item in env.items)
    return False


def _compose_files(path: str, root: PNode, services: PNode | None) -> list[FieldValue]:
    """The other compose files this one loads: top-level `include:` (a path, or `path:` of an entry)
    and services' `extends: {file: …}`; their services are part of this project (field `include…`,
    `services.<name>.extends.file`, read by clients/_files.config_references)."""
    out: list[FieldValue] = []
    include = root.get("include")
    if include is not None:
        out.extend(fv for fv in string_leaves(path, include, "include")
                   if fv.field.rsplit(".", 1)[-1].split("[", 1)[0] in ("include", "path"))
    for name, _key, svc in services.pairs() if services is not None else ():
        extends = svc.get("extends") if svc.is_object else None
        file = extends.get("file") if extends is not None and extends.is_object else None
        if file is not None and file.is_string:
            out.extend(string_leaves(path, file, f"services.{name}.extends.file"))
    return out


def runs_mcp_server(svc: PNode, fields: tuple[str, ...] = ("command", "entrypoint")) -> bool:
    """A container whose image, or a word of one of its `fields` (compose `command` / `entrypoint`,
    Kubernetes `command` / `args`), names an MCP server (a generic `node` image with
    `entrypoint: ["npx", "-y", "@modelcontextprotocol/server-github"]` is one), whose image is an MCP
    client configured through its environment (`_CLIENT_IMAGE`: Open WebUI), or whose environment
    configures an MCP client of its application (configures_mcp_client)."""
    image = svc.get("image")
    if image is not None and image.is_string and (_MCP_WORD.search(str(image.value))
                                                  or _CLIENT_IMAGE.search(str(image.value))):
        return True
    if configures_mcp_client(svc):
        return True
    for field in fields:
        command = svc.get(field)
        if command is None:
            continue
        if command.is_string and _MCP_WORD.search(str(command.value)) is not None:
            return True
        if command.is_array and any(item.is_string and _MCP_WORD.search(str(item.value))
                                    for item in command.items):
            return True
    return False


# The environment form of the MCP client settings of Spring AI (relaxed binding of `spring.ai.mcp.
# client.*`: `SPRING_AI_MCP_CLIENT_STDIO_CONNECTIONS_X_ENV_KEY`) and Quarkus LangChain4j (MicroProfile
# Config's mapping of `quarkus.langchain4j.mcp.*`): the container runs an MCP client whose servers get
# these values.
_MCP_CLIENT_ENV = re.compile(r"(?i)(?:SPRING_AI_MCP_CLIENT|QUARKUS_LANGCHAIN4J_MCP)_")


def configures_mcp_client(svc: PNode) -> bool:
    """A compose service / container whose `environment` / `env` (a map, `NAME=value` items or
    `{name, value}` items) sets an MCP client setting of Spring AI or Quarkus LangChain4j, or Open
    WebUI's tool server connections (a Kubernetes container of it, as a compose service)."""
    for key in ("environment", "env"):
        env = svc.get(key)
        if env is not None and env.is_object:
            names = env.keys()
        elif env is not None and env.is_array:
            names = [str(item.value).split("=", 1)[0] if item.is_string
                     else str(getattr(item.get("name"), "value", "")) if item.is_object else ""
                     for item in env.items]
        else:
            continue
        if any(_MCP_CLIENT_ENV.match(name) or name in _CONNECTION_VARS for name in names):
            return True
    return False


def names_mcp_server(text: str) -> bool:
    """True when `text` (an image, a command word) names an MCP server by runs_mcp_server's rule."""
    return _MCP_WORD.search(text) is not None


def is_gateway_image(image: PNode | None) -> bool:
    """True for a `docker/mcp-gateway` image, which runs the MCP servers beside it."""
    return image is not None and image.is_string and str(image.value).startswith(_GATEWAY)


def _env_list_item(path: str, node: PNode) -> FieldValue | None:
    """`- NAME=value` of a compose `environment` list: text is the value, located after `NAME=`
    (so quoted=False: the span is inside the token). `- NAME` alone passes the host variable."""
    text = node.scalar_text()
    if text is None or "=" not in text:
        return None
    name, val = text.split("=", 1)
    same_line = node.line == node.end_line
    start = node.column + (1 if node.quoted else 0) + len(name) + 1 if same_line else node.column
    return FieldValue(f"env.{name}", val, Location(path, node.line, start), node.end_line, node.end_column,
                      name, is_reference(val), quoted=node.quoted and not same_line)


def _service(path: str, name: str, key: PNode, svc: PNode) -> ServerEntry:
    values: list[FieldValue] = []
    env: list[FieldValue] = []
    args: list[FieldValue] = []
    command: FieldValue | None = None
    env_file: FieldValue | None = None
    flags: list[tuple[str, str]] = []
    for field, _k, node in svc.pairs():
        if field == "environment" and node.is_object:
            env.extend(env_map_values(path, node))
        elif field == "environment" and node.is_array:
            env.extend(v for item in node.items if (v := _env_list_item(path, item)) is not None)
        else:
            leaves = string_leaves(path, node, field, field)
            values.extend(leaves)
            collect_flags(node, field, flags)
            if field in ("command", "entrypoint") and node.is_array:
                args.extend(leaves)
            elif field in ("command", "entrypoint") and node.kind is NodeKind.STRING and command is None:
                command = leaves[0]
            elif field == "env_file" and leaves:
                env_file = leaves[0]
    values.extend(env)
    transport = gateway_transport(args) if is_gateway_image(svc.get("image")) else Transport.UNKNOWN
    return ServerEntry(name=name, client=Client.DOCKER_MCP, location=location(path, key), transport=transport,
                       command=command, args=tuple(args), env=tuple(env), env_file=env_file,
                       values=tuple(values), flags=tuple(flags))


def gateway_transport(args: list[FieldValue]) -> Transport:
    """The transport a `docker/mcp-gateway` container serves (`--transport=sse|streaming|stdio`)."""
    transport = Transport.STDIO
    for arg in args:
        if arg.text.startswith("--transport="):
            transport = _GATEWAY_TRANSPORTS.get(arg.text.split("=", 1)[1].strip(), transport)
    return transport


def _catalog_entry(path: str, name: str, anchor: PNode, node: PNode) -> ServerEntry:
    values: list[FieldValue] = []
    env: list[FieldValue] = []
    refs: list[str] = []
    headers: list[FieldValue] = []
    url: FieldValue | None = None
    config = node.get("config")
    for source, prefix in ((node, ""), (config, "config.") if config is not None and config.is_object
                           else (None, "")):
        if source is None:
            continue
        secrets = source.get("secrets")
        if secrets is not None and secrets.is_array:
            for index, item in enumerate(secrets.items):
                if not item.is_object:
                    continue
                for field, _k, child in item.pairs():
                    leaves = string_leaves(path, child, f"{prefix}secrets[{index}].{field}", field)
                    if field in ("env", "name"):  # names, resolved from the secret store
                        leaves = [_ref(v) for v in leaves]
                        refs.extend(v.text for v in leaves if field == "env")
                    values.extend(leaves)
        env_node = source.get("env")
        if env_node is not None and env_node.is_object:
            env.extend(env_map_values(path, env_node, "env"))
        elif env_node is not None and env_node.is_array:
            for item in env_node.items:
                var = item.get("name") if item.is_object else None
                val = (item.get("value") or item.get("example")) if item.is_object else None
                if var is not None and var.is_string and val is not None and val.scalar_text() is not None:
                    env.append(make_value(path, f"env.{var.value}", val, str(var.value)))
    remote = node.get("remote")
    if remote is not None and remote.is_object:
        url_node = remote.get("url")
        if url_node is not None and url_node.is_string:
            url = make_value(path, "remote.url", url_node, "url")
        hdrs = remote.get("headers")
        if hdrs is not None and hdrs.is_object:
            headers = env_map_values(path, hdrs, "remote.headers")
    skip = _DOC_KEYS | {"secrets", "env", "config", "remote"}
    values.extend(leaves_except(path, node, skip))
    values.extend(env)
    values.extend(headers)
    if url is not None:
        values.append(url)
    transport = Transport.HTTP if url is not None else Transport.STDIO
    if url is not None and "sse" in (url.text.rsplit("/", 1)[-1]).lower():
        transport = Transport.SSE
    return ServerEntry(name=name, client=Client.DOCKER_MCP, location=location(path, anchor),
                       transport=transport, env=tuple(env), url=url, headers=tuple(headers),
                       env_refs=tuple(refs), values=tuple(values))


def _ref(value: FieldValue) -> FieldValue:
    return FieldValue(value.field, value.text, value.location, value.end_line, value.end_column, value.key,
                      True, value.quoted)
