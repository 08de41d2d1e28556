"""Candidate + bytes -> McpConfig: decode, parse with the right parser, confirm by content, and hand
the tree to the client-family module. `referenced_files` lists dotenv files a config points at.

A file at a known client config path (`searched_whole`) is searched whole: every string value outside
its MCP section (model providers, API keys, settings) goes to `McpConfig.extra_values`, which the
engines search and the MCP-specific rules never read. A file that does not parse is searched line by
line (`clients/unparsed.py`) and carries the reason in `McpConfig.parse_error`.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from scanner import parsing
from scanner.clients import (
    agents_md,
    augment,
    claude_user,
    continue_dev,
    devcontainer,
    docker,
    emacs,
    goose,
    helm,
    jetbrains,
    kubernetes,
    launchers,
    manifests,
    mcpservers,
    n8n,
    nix,
    opencode,
    sections,
    source_code,
    source_js,
    source_py,
    vscode,
    workflows,
    zed,
)
from scanner.clients._build import uncovered_leaves
from scanner.clients._files import referenced_files
from scanner.clients.catalog import CATALOG, GENERIC_CONTENT_WORDS, LAUNCHER_CLIENTS, SHARED_CONTENT_WORDS
from scanner.clients.discovery import Candidate, is_source
from scanner.clients.unparsed import is_blank, line_values
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, McpConfig
from scanner.parsing.node import PNode

__all__ = ["parse_config", "referenced_files", "searched_whole"]


def parse_config(candidate: Candidate, data: bytes, text: str | None = None) -> McpConfig | None:
    """The McpConfig of a candidate file, or None when it holds nothing to scan (empty, or a
    generic/shared name whose content is not an MCP config).

    `text` is `parsing.decode_text(data)` when the caller has already decoded the bytes (one decode
    per file). A file that does not parse gives a config searched line by line (`parse_error` set).
    Raises scanner.errors.ParseError only when the content cannot be decoded (binary).
    """
    with _collector_paused():
        return _parse_config(candidate, parsing.decode_text(data) if text is None else text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while a file becomes a tree and values.

    Parsing allocates a few container objects per token and frees none of them, so every few
    hundred allocations the collector would walk the young objects for nothing (the trees hold no
    reference cycles: refcounting frees them); that was half of the parse time of a large file.
    Allocations made meanwhile are collected as usual afterwards.
    """
    if not gc.isenabled():  # already held (a nested call, or by the embedding program)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse_config(candidate: Candidate, text: str) -> McpConfig | None:
    if candidate.manifest:  # the MCP servers it runs and the client configs its entries embed
        found = _manifest(candidate, text)
        if found is None and _CLIENT_KEY.search(text) is not None:
            # a client config kept under a manifest path (`github-mcp-server/config.yaml`): read by
            # content, as a file of unknown name is; one that does not parse is not one
            config = _parse_config(replace(candidate, manifest=False, by_content=True), text)
            return config if config is not None and config.parse_error is None else None
        return found
    if is_source(candidate):  # application source: only the MCP API calls and server literals
        return _source(candidate, text)
    if candidate.fmt in _JSON_FORMATS and candidate.hints[0] in (Client.N8N, Client.GENERIC) \
            and n8n.is_export(text) and (export := _n8n_export(candidate, text)) is not None:
        return export  # an n8n workflow export anywhere (one workflow, an array, an API page)
    if candidate.hints[0] is Client.N8N and not _may_hold_mcp(candidate, text):
        # JSON of an n8n-named folder that is no workflow export (`n8n-mcp/config.json`): read as the
        # same file is outside such a folder (MCP-named: generic; else by its content)
        generic = replace(candidate, fmt=FileFormat.JSONC, hints=(Client.GENERIC,),
                          by_content=not _mcp_named(candidate))
        return _parse_config(generic, text)
    if candidate.hints[0] is Client.NIX:  # only the `env` / `headers` strings of its servers
        return nix.build(candidate.rel_path, text)
    if candidate.hints[0] is Client.EMACS:  # only the `mcp-hub-servers` entries' `:env` and `:url`
        return emacs.build(candidate.rel_path, text)
    if candidate.hints[0] in LAUNCHER_CLIENTS:  # only the MCP servers / clients its commands start
        return launchers.build(candidate, text, _parse_config)
    if candidate.hints[0] is Client.GITHUB_ACTIONS:  # only the client configs the workflow writes
        return workflows.build(candidate, text, _parse_config)
    if candidate.fmt is FileFormat.YAML and candidate.generic and (
            manifests.is_manifest(text) or kubernetes.may_run_mcp(text) or _helm_values(candidate, text)
            or helm.names_release(text)):
        # `mcp-configmap.yaml`, `github-mcp-deployment.yaml`: Kubernetes under a generic MCP name
        found = _manifest(candidate, text)
        if found is not None:
            return found
    whole = searched_whole(candidate)
    if not whole and not _may_hold_mcp(candidate, text):
        return None
    if not text.strip():
        return None  # an empty file is nothing to scan, not a broken config
    try:
        root = _parse(candidate.fmt, text)
    except ParseError as exc:
        return _unparsed(candidate, text, str(exc))
    if root is None:
        return None
    holds = root.is_object and _may_hold_mcp(candidate, text)
    config = _dispatch(candidate, root) if holds else None
    if candidate.hints[0] is Client.VSCODE and devcontainer.is_devcontainer(candidate.rel_path):
        # a dev container's lifecycle commands adding MCP servers, from the same tree
        config = devcontainer.merged(config, devcontainer.commands(candidate, text, root, _parse_config))
    if whole:
        if config is None and holds:
            # a file searched whole whose host keeps servers in a layout of its own (OpenHands `[mcp]
            # stdio_servers` in `.openhands/config.toml`): the servers of its MCP sections (their
            # other strings are searched as the rest of the file)
            found = sections.build(candidate.rel_path, root, candidate.fmt)
            config = found if found is not None and found.servers else None
        return _whole_file(candidate, root, config)
    if config is None and holds:
        # a host with a layout of its own (LiteLLM `mcp_servers`, OpenHands `[mcp]`): its MCP sections
        config = sections.build(candidate.rel_path, root, candidate.fmt)
    if config is None and holds and candidate.fmt is FileFormat.YAML:
        # Spring Boot reads every document of `application.yml` (one per profile): MCP sections in a
        # later one are the client's as much (the documents after it are searched: engines/unjudged.py)
        config = _later_document(candidate, text)
    return config


_JSON_FORMATS = (FileFormat.JSON, FileFormat.JSONC)


def _n8n_export(candidate: Candidate, text: str) -> McpConfig | None:
    """An n8n workflow export's MCP client nodes (clients/n8n.py), every other string of the file
    searched (pinned data, other nodes' parameters: the workflow hands them to the node), or None
    when the text is no JSON holding such a node (then read as before)."""
    try:
        root = _parse(FileFormat.JSONC, text)
    except ParseError:
        return None
    config = n8n.build(candidate.rel_path, root, candidate.fmt) if root is not None else None
    if root is None or config is None:
        return None
    return _whole_file(replace(candidate, hints=(Client.N8N,)), root, config)


def _source(candidate: Candidate, text: str) -> McpConfig | None:
    """The servers a source file declares, or None when its text names no MCP API. A Python file
    that does not parse is searched line by line (`parse_error` set: reported, never passed over)."""
    imported = not candidate.by_content  # a module a source file's MCP API calls read a name from
    if not imported and not source_code.names_api(text):
        return None
    if candidate.fmt is FileFormat.JAVASCRIPT:
        return source_js.build(candidate.rel_path, text, imported)
    try:
        return source_py.build(candidate.rel_path, text, imported)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        reason = f"not valid Python ({type(exc).__name__})"
        return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt,
                         extra_values=line_values(candidate.rel_path, text), parse_error=reason)


def _later_document(candidate: Candidate, text: str) -> McpConfig | None:
    """The config of the first YAML document after the first that holds one, or None."""
    documents = kubernetes._documents(text)
    next(documents, None)
    for first_line, document in documents:
        if not _may_hold_mcp(candidate, document):
            continue
        try:
            root = parsing.parse_yaml_document(document, first_line)
        except ParseError:
            continue  # the line search of the later documents reads it (engines/unjudged.py)
        config = _dispatch(candidate, root) if root.is_object else None
        if config is None and root.is_object:
            config = sections.build(candidate.rel_path, root, candidate.fmt)
        if config is not None:
            return config
    return None


def _manifest(candidate: Candidate, text: str) -> McpConfig | None:
    """A deployment manifest: the MCP servers its workloads run (clients/kubernetes.py) and the
    client configs its ConfigMap/Secret entries embed (clients/manifests.py), as one config."""
    embedded = manifests.build(candidate, text, _parse_config)
    if _helm_values(candidate, text):
        running = _chart_values(candidate, text)
    else:
        running = kubernetes.build(candidate.rel_path, text) if kubernetes.may_run_mcp(text) else None
        if running is None and helm.names_release(text):  # a HelmRelease / Argo CD Application
            running = helm.release_values(candidate.rel_path, text)
    if running is None or embedded is None:
        return running or embedded
    taken = {(fv.location.line, fv.location.column) for fv in embedded.extra_values}
    for server in embedded.servers:
        taken.update((fv.location.line, fv.location.column) for fv in server.values)
    extra = tuple(fv for fv in running.extra_values if (fv.location.line, fv.location.column) not in taken)
    return replace(embedded, servers=embedded.servers + running.servers,
                   extra_values=embedded.extra_values + extra,
                   parse_error=embedded.parse_error or running.parse_error)


def _helm_values(candidate: Candidate, text: str) -> bool:
    """A Helm values file whose text names MCP (cheap: the name, then one case-insensitive word)."""
    # (a client config embedded in one, read at the values file's path, is its client's: not this)
    return (candidate.hints[0] is Client.GENERIC and helm.is_values_file(candidate.rel_path)
            and kubernetes.names_mcp(text))


def _chart_values(candidate: Candidate, text: str) -> McpConfig | None:
    try:
        root = _parse(FileFormat.YAML, text)
    except ParseError:
        return None  # a values file that is not YAML: its embedded entries are still read (manifests)
    return helm.build(candidate.rel_path, root) if root is not None else None


def searched_whole(candidate: Candidate) -> bool:
    """True for a file at a known client config path (not a generic or shared name): all of it is
    the client's configuration, so every value is searched whether or not it has an MCP section."""
    if candidate.fmt is FileFormat.MARKDOWN:  # any Markdown under .github/: only its MCP front matter
        return False
    if not candidate.generic:
        return True
    base = candidate.rel_path.rsplit("/", 1)[-1].lower()
    hint = candidate.hints[0]
    return (hint is Client.GOOSE and base in ("config.yaml", "config.yml")
            or hint is Client.CONTINUE and base in ("config.json", "config.jsonc"))


def _unparsed(candidate: Candidate, text: str, reason: str) -> McpConfig | None:
    if is_blank(text):  # comment lines only: not a broken file; the engines still read the comments
        return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt)
    return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt,
                     extra_values=line_values(candidate.rel_path, text), parse_error=reason)


def _whole_file(candidate: Candidate, root: PNode, config: McpConfig | None) -> McpConfig:
    """`config` (or an empty one) plus every string leaf of the file no parsed value holds yet."""
    covered: set[tuple[int, int]] = set()
    if config is not None:
        values: list[FieldValue] = [*config.file_values, *config.extra_values]
        extend, append = values.extend, values.append
        for server in config.servers:
            extend(server.values)  # which normally holds the fields below too: a set keeps them once
            extend(server.args)
            extend(server.env)
            extend(server.headers)
            for single in (server.command, server.url, server.env_file):
                if single is not None:
                    append(single)
        covered = {(fv.location.line, fv.location.column) for fv in values}
    leaves = tuple(uncovered_leaves(candidate.rel_path, root, covered))
    if config is None:
        return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt, extra_values=leaves)
    return replace(config, extra_values=config.extra_values + leaves) if leaves else config


# Top-level keys under which a client keeps its MCP servers (mcpServers, VS Code `servers`, Codex
# `mcp_servers`, Zed `context_servers`, opencode/Crush `mcp`, Goose `extensions`, gh-aw `mcp-servers`).
_MCP_KEY = re.compile(r"""(?m)(?:^|[{,\s.])["']?(?:mcpServers|mcp_servers|mcp-servers|context_servers|"""
                      r"""servers|mcp|extensions)["']?\s*[:=]|^\s*\[\s*mcp_servers\b"""
                      # a key with `mcp` as its first word (`mcp_tools:`), a TOML table `[mcp]` /
                      # `[[mcp.servers]]`, an entry whose `type` is `mcp` (docker cagent toolsets)
                      r"""|(?:^|[{,\s.])["']?mcp[_-]\w+["']?\s*[:=]|^[ \t]*\[{1,2}[ \t]*["']?mcp(?![a-z])"""
                      r"""|\btype["']?[ \t]*[:=][ \t]*["']?mcp["']?[ \t]*(?:[,}#]|$)"""
                      # a dotted key with `mcp` as one of its parts (Spring's YAML takes
                      # `spring.ai.mcp.client.stdio.connections.acme:` as the nested keys)
                      r"""|(?:^|[{,\s])["']?[\w-]+(?:\.[\w-]+)*\.mcp(?:\.[\w-]+)*["']?[ \t]*:""")
# A compose file of any name (`docker compose -f ops/stack.yml`, a dev container's `dockerComposeFile`)
# runs the MCP servers among its `services` (clients/docker.py: an image or command naming `mcp`).
_COMPOSE_SERVICES = re.compile(r"(?m)^services[ \t]*:")


# The keys only an MCP client config has (not `servers` / `mcp` / `extensions`, which many
# deployment files hold for other reasons).
_CLIENT_KEY = re.compile(r"""(?m)^[ \t]*["']?(?:mcpServers|mcp_servers|mcp-servers|context_servers)["']?"""
                         r"[ \t]*:")


# `\u006d` (JSON, TOML, YAML), `\x6d` (YAML), `\U0000006d` (TOML, YAML): a key its client reads
# as `mcpServers` may be written `"mcp\u0053ervers"`, which holds no client word as written.
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8}))")


def _unescaped(match: re.Match[str]) -> str:
    code = int(next(group for group in match.groups() if group is not None), 16)
    return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group(0)


# A YAML double-quoted scalar (and a TOML multi-line basic string) drops an escaped line break and
# the indentation after it: `"mcp-\<newline>  servers":` is the key `mcp-servers`.
_ESCAPED_BREAK = re.compile(r"\\\r?\n[ \t]*")


# XML's character references and predefined entities (`name="McpProject&#83;erverCommands"` is the
# component McpProjectServerCommands to expat and to the IDE); a DOCTYPE's own entities are refused.
_XML_REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));")
_XML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _xml_unreferenced(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _XML_ENTITIES[name]
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group(0)


def _may_hold_mcp(candidate: Candidate, text: str) -> bool:
    if candidate.fmt is FileFormat.XML and "&" in text:
        text = _XML_REFERENCE.sub(_xml_unreferenced, text)
    if "\\" not in text:
        return _holds_mcp_words(candidate, text)
    # the words are looked for as the parsers read them, escapes decoded; a backslash ending a line
    # outside a quoted string (`cwd: C:\work\`) is no line break escaped, so both readings count
    decoded = _ESCAPE.sub(_unescaped, text)
    joined = _ESCAPED_BREAK.sub("", decoded)
    return _holds_mcp_words(candidate, decoded) or joined != decoded and _holds_mcp_words(candidate, joined)


def _holds_mcp_words(candidate: Candidate, text: str) -> bool:
    if candidate.by_content:
        return _MCP_KEY.search(text) is not None \
            or "mcp" in text and _COMPOSE_SERVICES.search(text) is not None
    needs = content_words(candidate)
    return needs is None or any(_holds_word(text, word) for word in needs)


def _holds_word(text: str, word: str) -> bool:
    """`word` in `text`; a word written `"\\nname:"` (a key at the start of a line) in any spelling
    YAML gives that key: quoted, indented, a space before the colon, in a flow mapping."""
    if not (word.startswith("\n") and word.endswith(":")):
        return word in text
    name = word[1:-1]
    return name in text and _key_pattern(name).search(text) is not None


@functools.cache
def _key_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"""(?m)(?:^|[{{,])[ \t]*(?:\?[ \t]+)?(["']?){re.escape(name)}\1[ \t]*:""")


def content_words(candidate: Candidate) -> tuple[str, ...] | None:
    """For a candidate of known name (not by content): the words of which its text must hold one
    to be read as an MCP config, or None when any text is. A file of these kinds cannot be an MCP
    config unless its text holds one of its client's words; checked before parsing so unrelated
    files (a broken manifest.json, a plain workflow .md, a Codex config without MCP) cost nothing
    and are not reported as parse errors."""
    hint = candidate.hints[0]
    if hint is Client.CONTINUE and "/.continue/mcpServers/" in "/" + candidate.rel_path:
        return None  # Continue's MCP server folder: every file in it defines servers
    if hint is Client.DOCKER_MCP and docker.is_toolkit_config(candidate.rel_path):
        return None  # the Toolkit's per-server settings name no MCP word (`github-official:`)
    needs = CATALOG[hint].content_words
    if needs is None and hint is Client.VSCODE and not candidate.rel_path.endswith("mcp.json"):
        needs = devcontainer.CONTENT_WORDS if devcontainer.is_devcontainer(candidate.rel_path) \
            else SHARED_CONTENT_WORDS
    stow_words = CATALOG[hint].dotfiles_words
    if needs is None and candidate.generic and stow_words is not None:
        return stow_words + GENERIC_CONTENT_WORDS  # `claude/settings.json` (a stow copy)
    if needs is None and candidate.generic:
        # A name that says MCP (`mcp-servers.json`) may hold a bare server map without any MCP word:
        # its servers' own keys let it be parsed (mcpservers.is_server_map then decides).
        needs = GENERIC_CONTENT_WORDS + (_BARE_MAP_WORDS if _mcp_named(candidate) else ())
    return needs


_BARE_MAP_WORDS = ('"command"', '"url"')


def _mcp_named(candidate: Candidate) -> bool:
    """The file's name, or its folder's (`mcp-config/servers.json`, corpus 9), says MCP."""
    return "mcp" in "/".join(candidate.rel_path.rsplit("/", 2)[-2:]).lower()


def _parse(fmt: FileFormat, text: str) -> PNode | None:
    if fmt in (FileFormat.JSON, FileFormat.JSONC):
        return parsing.parse_jsonc(text)
    if fmt is FileFormat.YAML:
        return parsing.parse_yaml(text)
    if fmt is FileFormat.MARKDOWN:
        return parsing.parse_front_matter(text)
    if fmt is FileFormat.TOML:
        return parsing.parse_toml(text)
    if fmt is FileFormat.PROPERTIES:
        return parsing.parse_properties(text)
    if fmt is FileFormat.XML:  # JetBrains options files: only their MCP components are built
        return parsing.parse_xml(text, jetbrains.keep_component)
    return parsing.parse_dotenv(text)


def _dispatch(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    shape = CATALOG[hint].shape
    if shape is not None:  # a client with a file shape of its own (dotenv, TOML, front matter, ...)
        return shape(path, root, fmt, hint)
    if fmt is FileFormat.YAML:  # generic YAML name (mcp.yaml): try each YAML shape
        servers = root.get("mcpServers")
        if servers is not None and servers.is_array:
            return continue_dev.build(path, root, fmt, Client.GENERIC)
        return goose.build(path, root, fmt) or docker.build(path, root, fmt) or _json_family(candidate, root)
    return _json_family(candidate, root)


def _json_family(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    if fmt is FileFormat.MARKDOWN:  # `.claude/agents/*.md`, `.gemini/agents/*.md` front matter
        return agents_md.build(path, root, hint, fmt)
    base = path.rsplit("/", 1)[-1].lower()
    if hint is Client.CLAUDE_CODE and base in (".claude.json", "dot_claude.json", "claude.json"):
        return claude_user.build(path, root, fmt)  # top-level and per-project mcpServers
    if hint is Client.CLAUDE_CODE and ("/" + path).endswith("/.claude-plugin/marketplace.json"):
        return claude_user.marketplace(path, root, fmt)  # plugin entries' inline mcpServers
    amp = root.get("amp.mcpServers")  # Amp's flat dotted key (.amp/settings.json, VS Code settings)
    if amp is not None and amp.is_object:
        return mcpservers.build(path, root, Client.AMP if hint is not Client.VSCODE else hint, fmt,
                                key="amp.mcpServers")
    servers = root.get("mcpServers")
    if servers is not None and servers.is_object:
        return mcpservers.build(path, root, _client(candidate, Client.CLAUDE_CODE), fmt)
    if hint is Client.ZED or root.get("context_servers") is not None:
        return zed.build(path, root, fmt)
    if hint in (Client.OPENCODE, Client.CRUSH) or opencode.is_mcp_map(root.get("mcp")):
        client = hint if hint is Client.CRUSH else _client(candidate, Client.OPENCODE)
        found = opencode.build(path, root, client, fmt)
        if found is not None or hint in (Client.OPENCODE, Client.CRUSH):
            return found
    section = vscode.find_section(root)
    augmented = augment.build(path, root, fmt)  # Augment's list beside (or instead of) VS Code's own
    if section is not None:
        vs_client = Client.VISUAL_STUDIO if Client.VISUAL_STUDIO in candidate.hints else hint
        if candidate.generic and hint is not Client.VSCODE:
            vs_client = Client.GENERIC
        config = vscode.build(path, root, section[0], section[1], vs_client, fmt)
        if augmented is None:
            return config
        return replace(config, servers=config.servers + augmented.servers,
                       file_values=config.file_values + augmented.file_values)
    if augmented is not None:
        return augmented
    server = root.get("server")
    if candidate.generic and server is not None and server.get("mcp_config") is not None:
        return mcpservers.build_mcpb(path, root, fmt)
    if not candidate.by_content and (_mcp_named(candidate) or not candidate.generic) \
            and mcpservers.is_server_map(root):
        # `{"github": {"command": "npx", ...}}`: the `mcpServers` object itself, kept under a name
        # that says MCP (`mcp-servers.json` in claude-config repositories, a `cline_mcp_settings.json`
        # holding only the map). A file of unknown name with this shape is left alone (too common).
        return mcpservers.build_bare(path, root, _client(candidate, Client.CLAUDE_CODE), fmt)
    return None


def _client(candidate: Candidate, preferred: Client) -> Client:
    """`preferred` when the path is shared between clients (`.mcp.json`: Claude Code for
    `mcpServers`), else the path's first hint (GENERIC for generic names)."""
    if preferred in candidate.hints:
        return preferred
    return candidate.hints[0]
