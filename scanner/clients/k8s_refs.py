"""The ConfigMaps and Secrets an MCP workload reads from another file of its folder or kustomization.

Real repositories keep `configmap.yaml` / `secret.yaml` beside `deployment.yaml` (`openshift/`,
`deploy/kubernetes/`, a kustomize `base/` listing them under `resources:`), and the MCP container reads them
by name: `envFrom: [{configMapRef: {name: x}}]`, `env[].valueFrom.configMapKeyRef` / `secretKeyRef`,
`envFrom[].secretRef`, a `configMap` / `secret` volume. clients/kubernetes.py reads a workload's values (and
the Secrets / ConfigMaps in its own file); this module finds the documents of those names in the other
manifests of the same folder (the candidates read already: no other YAML file of the repository is opened) and
in the files its `kustomization.yaml` lists (`resources:`, `patchesStrategicMerge:`), the bases that
kustomization lists as folders (`resources: [../base]`), and the overlays read already that list its folder
(`overlays/prod` with `resources: [../../base]`: kustomize builds the workload with the overlay's Secrets and
generators), and gives their `data` / `stringData` entries as values of that file, for the engines to judge
under their keys. A literal token in a ConfigMap is a secret in plain configuration; a committed Secret's
`data` is only base64. A kustomization's `secretGenerator` / `configMapGenerator` `literals:` (`KEY=value`)
are values of the same kind, and so are the lines of the dotenv files its generators' `envs:` list (a
gateway's `secret.env`, corpus 13), and the files its generators' `files:` list (`KEY=path`: the whole file
is the entry's value). Pure: reads through the caller's `read`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator

from scanner import parsing
from scanner.clients import dotenv
from scanner.clients._build import make_value
from scanner.clients.kubernetes import _KIND, _data_values, _documents, _resources, _text
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig
from scanner.parsing.node import PNode

# The value fields naming a ConfigMap or Secret (kubernetes.py keeps every string leaf of a workload).
# ToolHive `MCPServer` `spec.secrets[].name` (with `key` and `targetEnvName`: stacklok/toolhive operator
# docs; a `secret.yaml` / `github-mcp-secret.yaml` beside it in public GitOps repositories) names one too.
_REF_FIELD = re.compile(r"(?:^|\.)(configMapRef|configMapKeyRef|configMap|secretRef|secretKeyRef|secret)"
                        r"\.(?:name|secretName)$|^(secrets)\[\d+\]\.name$")
KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_LISTS = ("resources", "patchesStrategicMerge", "bases")
_GENERATORS = ("secretGenerator", "configMapGenerator")

Read = Callable[[str], bytes | None]


def referenced_names(config: McpConfig) -> dict[str, set[str]]:
    """{"ConfigMap": names, "Secret": names} a Kubernetes config running MCP servers reads."""
    found: dict[str, set[str]] = {}
    if config.client is not Client.KUBERNETES or not config.servers:
        return found
    values = [fv for server in config.servers for fv in server.values] + list(config.extra_values)
    for fv in values:
        ref = _REF_FIELD.search(fv.field)
        if ref is not None and fv.text and not fv.is_reference:
            kind = "ConfigMap" if (ref.group(1) or "").startswith("configMap") else "Secret"
            found.setdefault(kind, set()).add(fv.text)
    return found


def _listed(folder: str, text: str) -> tuple[list[str], list[str]]:
    """The YAML files and the folders (`resources: [../../base]`: a kustomize overlay of that base)
    a kustomization in `folder` lists, scan-root-relative."""
    try:
        root = parsing.parse_yaml(text)
    except ParseError:
        return [], []
    files: list[str] = []
    folders: list[str] = []
    for key in _LISTS:
        items = root.get(key) if root is not None and root.is_object else None
        for item in items.items if items is not None and items.is_array else ():
            name = _text(item)
            if name is None or "://" in name or name.startswith(("git@", "github.com/")):
                continue
            rel = posixpath.normpath(posixpath.join(folder, name))
            if rel.startswith("../") or rel == ".." or rel.startswith("/"):
                continue
            (files if name.lower().endswith((".yaml", ".yml")) else folders).append(rel)
    return files, folders


# Kustomizations reached from one through listed folders (overlay -> base -> ...): a bound far above
# real layouts (overlays/<env> -> base, components), against a hostile chain.
_MAX_TREE = 16


Node = tuple[str, str, list[str]]  # a kustomization: its path, its text, the YAML files it lists


def kustomization_tree(path: str, read: Read, cache: dict[str, list[Node]]) -> list[Node]:
    """The kustomization at `path` and those its listed folders hold, each once and each parsed once
    per `cache` (kustomize builds an overlay from the base folders it lists); [] when unreadable."""
    if path in cache:
        return cache[path]
    cache[path] = []  # a folder listing itself (directly or around a circle) ends here
    out: list[Node] = []
    queue, seen = [path], {path}
    while queue and len(out) < _MAX_TREE:
        current = queue.pop(0)
        data = read(current)
        if data is None:
            continue
        text = data.decode("utf-8", "replace")
        files, folders = _listed(posixpath.dirname(current), text)
        out.append((current, text, files))
        for folder in folders:
            found = _kustomization_in(folder, read)
            if found is not None and found not in seen:
                seen.add(found)
                queue.append(found)
    cache[path] = out
    return out


def _kustomization_in(folder: str, read: Read) -> str | None:
    for name in KUSTOMIZATIONS:
        path = posixpath.join(folder, name) if folder else name
        if read(path) is not None:
            return path
    return None


def generator_literals(path: str, text: str) -> tuple[FieldValue, ...]:
    """`KEY=value` items of a kustomization's `secretGenerator` / `configMapGenerator` `literals:`,
    each located at its value (after `KEY=`)."""
    if "literals" not in text:
        return ()
    try:
        root = parsing.parse_yaml(text)
    except ParseError:
        return ()
    out: list[FieldValue] = []
    for key in _GENERATORS:
        generators = root.get(key) if root is not None and root.is_object else None
        for index, generator in enumerate(generators.items if generators is not None and generators.is_array
                                          else ()):
            literals = generator.get("literals") if generator.is_object else None
            for item in literals.items if literals is not None and literals.is_array else ():
                if (fv := _literal(path, f"{key}[{index}].literals", item)) is not None:
                    out.append(fv)
    return tuple(out)


def generator_env_files(path: str, text: str) -> list[str]:
    """The dotenv files a kustomization's generators read (`secretGenerator[].envs`, the older `env`),
    scan-root-relative: kustomize turns each `KEY=value` line into an entry of the generated Secret."""
    if "env" not in text:
        return []
    folder, out = posixpath.dirname(path), []
    for generator in _generator_entries(text):
        for field in ("envs", "env"):
            node = generator.get(field)
            items = [] if node is None else node.items if node.is_array else [node]
            for name in filter(None, map(_text, items)):
                rel = _inside(folder, name)
                if rel is not None:
                    out.append(rel)
    return list(dict.fromkeys(out))


def generator_files(path: str, text: str) -> list[tuple[str, str]]:
    """(file, key) of each `files:` item of a kustomization's generators (`KEY=path`, or `path` keyed by
    its base name), scan-root-relative: kustomize makes the file's whole content that entry's value."""
    if "files" not in text:
        return []
    folder, out = posixpath.dirname(path), []
    for generator in _generator_entries(text):
        node = generator.get("files")
        for item in filter(None, map(_text, node.items if node is not None and node.is_array else ())):
            name, eq, source = item.partition("=")
            source = source if eq else name
            rel = _inside(folder, source)
            if rel is not None:
                out.append((rel, name if eq else posixpath.basename(source)))
    return list(dict.fromkeys(out))


def _generator_entries(text: str) -> list[PNode]:
    """Each object entry of a kustomization's `secretGenerator` / `configMapGenerator` lists (none
    when the text is not YAML)."""
    try:
        root = parsing.parse_yaml(text)
    except ParseError:
        return []
    out: list[PNode] = []
    for key in _GENERATORS:
        generators = root.get(key) if root.is_object else None
        for generator in generators.items if generators is not None and generators.is_array else ():
            if generator.is_object:
                out.append(generator)
    return out


def _inside(folder: str, name: str) -> str | None:
    """`name` relative to the kustomization's folder, scan-root-relative; None when it leaves the root."""
    rel = posixpath.normpath(posixpath.join(folder, name))
    return None if rel.startswith("../") or rel == ".." or rel.startswith("/") else rel


def _content_file(path: str, key: str, data: bytes) -> McpConfig | None:
    """A generator's `files:` source: its whole text one value under the entry's key."""
    value = data.decode("utf-8", "replace").lstrip("\ufeff").strip()
    if not value:
        return None
    fv = FieldValue(f"env.{key}", value, Location(path, 1, 1), 1, len(value) + 1, key=key, quoted=False)
    return McpConfig(path, Client.DOTENV, FileFormat.DOTENV, (), (fv,))


def _env_file(path: str, data: bytes) -> McpConfig | None:
    try:
        root = parsing.parse_dotenv(data.decode("utf-8", "replace"))
    except ParseError:
        return None
    config = dotenv.build(path, root)
    return config if config.file_values else None


def _literal(path: str, field: str, node: PNode) -> FieldValue | None:
    text = node.scalar_text()
    if text is None or "=" not in text or node.line != node.end_line:
        return None
    name, value = text.split("=", 1)
    if not value:
        return None
    if node.end_column - node.column != len(text) + (2 if node.quoted else 0):
        return make_value(path, f"{field}.{name}", node, name)  # escapes: the whole item, at its token
    column = node.column + (1 if node.quoted else 0) + len(name) + 1
    return FieldValue(f"{field}.{name}", value, Location(path, node.line, column), node.line,
                      column + len(value), name, quoted=False)


def manifest_values(path: str, text: str, wanted: dict[str, set[str]]) -> tuple[FieldValue, ...]:
    """The `data` / `stringData` values of the ConfigMaps and Secrets of `text` named in `wanted`."""
    names = {name for group in wanted.values() for name in group}
    if "kind:" not in text or not any(name in text for name in names):
        return ()  # cheap: most sibling manifests define none of them
    out: list[FieldValue] = []
    for line, body in _documents(text):
        kind = _KIND.search(body)
        if kind is None or kind.group(1) not in wanted and kind.group(1) != "List":
            continue
        try:
            root = parsing.parse_yaml_document(body, line)
        except ParseError:
            continue  # a template: its text is not what the cluster gets
        for resource in _resources(root):
            found = _text(resource.get("kind"))
            metadata = resource.get("metadata")
            name = _text(metadata.get("name")) if metadata is not None and metadata.is_object else None
            if found in wanted and name in wanted[found]:
                out.extend(_data_values(path, resource, set()))
    return tuple(out)


def referenced_configs(configs: Iterable[McpConfig], folders: Callable[[str], Iterable[str]], read: Read,
                       kustomizations: Iterable[str] = ()) -> Iterator[tuple[str, McpConfig, bytes, str]]:
    """(path, config of its referenced values, its bytes, the workload config's path) of each other
    manifest whose ConfigMaps / Secrets an MCP workload of `configs` reads, and of the kustomizations
    that build such a workload and generate literals: the one beside it, the bases it lists, and the
    overlays among `kustomizations` (read already) that list its folder. `folders(folder)`: the files
    of `folder` read already; `read(path)`: any other file (None when absent; may raise OSError /
    ValueError)."""
    done = {config.path for config in configs}
    trees: dict[str, list[Node]] = {}
    overlays = list(dict.fromkeys(kustomizations))
    for config in list(configs):
        wanted = referenced_names(config)
        if not wanted and not (config.client is Client.KUBERNETES and config.servers):
            continue
        folder = posixpath.dirname(config.path)
        paths = [path for path in folders(folder) if path != config.path]
        own = _kustomization_in(folder, read)
        family = list(kustomization_tree(own, read, trees)) if own is not None else []
        for overlay in overlays:  # an overlay building this folder (`resources: [../../base]`)
            if overlay == own or posixpath.dirname(overlay) == folder:
                continue
            tree = kustomization_tree(overlay, read, trees)
            if _builds(tree, own, config.path):
                family.extend(tree)
        for kustomization, text, files in {node[0]: node for node in family}.values():
            paths.extend(files)
            if kustomization not in done and (literals := generator_literals(kustomization, text)):
                done.add(kustomization)
                data = read(kustomization)
                if data is not None:
                    yield kustomization, _config(kustomization, literals), data, config.path
            for env_path in generator_env_files(kustomization, text):
                if env_path not in done and (data := read(env_path)) is not None \
                        and (env := _env_file(env_path, data)) is not None:
                    done.add(env_path)
                    yield env_path, env, data, config.path
            for file_path, key in generator_files(kustomization, text):
                if file_path not in done and (data := read(file_path)) is not None \
                        and (content := _content_file(file_path, key, data)) is not None:
                    done.add(file_path)
                    yield file_path, content, data, config.path
        for path in dict.fromkeys(paths) if wanted else ():
            if path in done:
                continue
            data = read(path)
            if data is None:
                continue
            values = manifest_values(path, data.decode("utf-8", "replace"), wanted)
            if values:
                done.add(path)
                yield path, _config(path, values), data, config.path


def _builds(tree: list[Node], own: str | None, workload: str) -> bool:
    """Whether a kustomization tree builds `workload`: it reaches the kustomization of the workload's
    folder, or one of its kustomizations lists the workload's file."""
    return any(path == own or workload in files for path, _text, files in tree)


def _config(path: str, values: tuple[FieldValue, ...]) -> McpConfig:
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, extra_values=values)
