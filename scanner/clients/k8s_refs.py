"""The ConfigMaps and Secrets an MCP workload reads from another file of its folder or kustomization.

Real repositories keep `configmap.yaml` / `secret.yaml` beside `deployment.yaml` (`openshift/`,
`deploy/kubernetes/`, a kustomize `base/` listing them under `resources:`), and the MCP container
reads them by name: `envFrom: [{configMapRef: {name: x}}]`, `env[].valueFrom.configMapKeyRef` /
`secretKeyRef`, `envFrom[].secretRef`, a `configMap` / `secret` volume. clients/kubernetes.py reads a
workload's values (and the Secrets / ConfigMaps in its own file); this module finds the documents of
those names in the other manifests of the same folder (the candidates read already: no other YAML
file of the repository is opened) and in the files its `kustomization.yaml` lists (`resources:`,
`patchesStrategicMerge:`), and gives their `data` / `stringData` entries as values of that file, for
the engines to judge under their keys. A literal token in a ConfigMap is a secret in plain
configuration; a committed Secret's `data` is only base64. A kustomization's `secretGenerator` /
`configMapGenerator` `literals:` (`KEY=value`) are values of the same kind. Pure: reads through the
caller's `read`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator

from scanner import parsing
from scanner.clients._build import make_value
from scanner.clients.kubernetes import _KIND, _data_values, _documents, _resources, _text
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig
from scanner.parsing.node import PNode

# The value fields naming a ConfigMap or Secret (kubernetes.py keeps every string leaf of a workload).
_REF_FIELD = re.compile(r"(?:^|\.)(configMapRef|configMapKeyRef|configMap|secretRef|secretKeyRef|secret)"
                        r"\.(?:name|secretName)$")
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
            kind = "ConfigMap" if ref.group(1).startswith("configMap") else "Secret"
            found.setdefault(kind, set()).add(fv.text)
    return found


def listed_files(folder: str, text: str) -> list[str]:
    """The scan-root-relative YAML files a kustomization in `folder` lists (`resources:`, ...):
    folders and remote URLs are not followed, nor a path out of the scan root."""
    try:
        root = parsing.parse_yaml(text)
    except ParseError:
        return []
    out: list[str] = []
    for key in _LISTS:
        items = root.get(key) if root is not None and root.is_object else None
        for item in items.items if items is not None and items.is_array else ():
            name = _text(item)
            if name is None or "://" in name or not name.lower().endswith((".yaml", ".yml")):
                continue
            rel = posixpath.normpath(posixpath.join(folder, name))
            if not (rel.startswith("../") or rel == ".." or rel.startswith("/")):
                out.append(rel)
    return out


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


def referenced_configs(configs: Iterable[McpConfig], folders: Callable[[str], Iterable[str]],
                       read: Read) -> Iterator[tuple[str, McpConfig, bytes, str]]:
    """(path, config of its referenced values, its bytes, the workload config's path) of each other
    manifest whose ConfigMaps / Secrets an MCP workload of `configs` reads, and of the kustomizations
    beside such workloads that generate literals. `folders(folder)`: the files of `folder` read
    already; `read(path)`: any other file (None when absent; may raise OSError / ValueError)."""
    done = {config.path for config in configs}
    for config in list(configs):
        wanted = referenced_names(config)
        if not wanted and not (config.client is Client.KUBERNETES and config.servers):
            continue
        folder = posixpath.dirname(config.path)
        paths = [path for path in folders(folder) if path != config.path]
        for name in KUSTOMIZATIONS:
            kustomization = posixpath.join(folder, name) if folder else name
            data = read(kustomization)
            if data is None:
                continue
            text = data.decode("utf-8", "replace")
            paths.extend(listed_files(folder, text))
            if kustomization not in done and (literals := generator_literals(kustomization, text)):
                done.add(kustomization)
                yield kustomization, _config(kustomization, literals), data, config.path
            break
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


def _config(path: str, values: tuple[FieldValue, ...]) -> McpConfig:
    return McpConfig(path, Client.KUBERNETES, FileFormat.YAML, extra_values=values)
