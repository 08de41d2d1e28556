"""The import graph of scanner/, read with ast (imports inside functions and TYPE_CHECKING blocks
included): no import circle, and no import from the lower layers up to the upper ones."""

from __future__ import annotations

import ast
from pathlib import Path

import scanner

ROOT = Path(scanner.__file__).resolve().parent
LOWER = ("model", "parsing", "clients", "engines", "environment", "rules", "providers", "hosts", "names",
         "references")
UPPER = ("fix", "markdown", "reporters", "gh", "cli", "pipeline")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        parts = ("scanner", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


def _imports(module: str) -> set[str]:
    """Every scanner module `module` imports, anywhere in its body."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module).split(".")
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from pkg import sub` imports the submodule pkg.sub when there is one.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        out.update(name for name in names if name in MODULES and name != module)
    return out


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_the_graph_sees_function_level_imports() -> None:
    # pipeline imports the rules inside a function (kept lazy); the check must see it.
    assert "scanner.rules" in GRAPH["scanner.pipeline"]
    assert len(MODULES) > 60


def test_no_import_circle() -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_import_runs_back_up_the_layers() -> None:
    upward = sorted(f"{module} -> {target}" for module, targets in GRAPH.items() if _layer(module) in LOWER
                    for target in targets if _layer(target) in UPPER)
    assert upward == []
