"""Every REST path the GitHub side builds (scanner/gh, scanner/org), read from the source, is a path of
the official REST description in tests/fixtures/github: a call site no test exercises (an error path, a
fallback) cannot reach an operation the contract does not know, such as the legacy
`GET /repos/{owner}/{repo}/statuses/{sha}` PyGithub's Commit.get_statuses() calls."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.gh.github_contract import operations

ROOT = Path(__file__).resolve().parents[2] / "scanner"
SOURCES = sorted([*ROOT.glob("gh/*.py"), *ROOT.glob("org/*.py")])
PREFIXES = ("/repos/", "/orgs/", "/user", "/installation/", "/rate_limit", "/app")
VERBS = ("GET", "POST", "PATCH", "PUT", "DELETE")


def _sample(expression: str) -> str:
    """A value of the right shape for a formatted part of a path (`repo` is owner/name)."""
    if re.search(r"\brepo(sitory)?\b", expression) and "quote" not in expression:
        return "o/r"
    if "path" in expression:
        return "cfg/mcp.json"
    if re.search(r"sha|ref|base|head", expression):
        return "a" * 40
    if re.search(r"branch|owner|name|org", expression):
        return "main"
    return "7"


def _path_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        text = re.sub(r"\{([a-z_]+)\}", lambda m: _sample(m.group(1)), text)  # a template ("/orgs/{org}")
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else _sample(ast.unparse(part.value))
                       for part in node.values if isinstance(part, ast.Constant | ast.FormattedValue))
    else:
        return None
    return text if text.startswith(PREFIXES) else None


def _verb(call: ast.Call | None) -> str | None:
    """The HTTP method of the call a path is handed to: `request("PATCH", path)`; GET for the listings."""
    if call is None:
        return None
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name in ("paginate", "_pages", "get_file"):
        return "GET"
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant) and first.value in VERBS:
        return str(first.value)
    return None


def built_paths() -> list[tuple[str, int, str | None, str]]:
    """(module, line, method or None, sample path) of every path literal."""
    out = []
    for source in SOURCES:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue  # a part of an f-string: its whole is looked at
            path = _path_of(node)
            if path is None:
                continue
            parent = parents.get(node)
            call = parent if isinstance(parent, ast.Call) else None
            out.append((source.name, getattr(node, "lineno", 0), _verb(call), path.split("?", 1)[0]))
    return out


PATHS = built_paths()


def test_the_product_builds_the_paths_it_is_known_to_call() -> None:
    samples = {path for _module, _line, _verb, path in PATHS}
    assert "/repos/o/r/statuses/" + "a" * 40 in samples and "/orgs/main/repos" in samples
    assert any(p.startswith("/repos/o/r/pulls/7/") for p in samples) and len(PATHS) >= 15


@pytest.mark.parametrize(("module", "line", "verb", "path"), PATHS,
                         ids=[f"{module}:{line}" for module, line, _verb, _path in PATHS])
def test_every_built_path_is_an_operation_of_the_rest_description(module: str, line: int, verb: str | None,
                                                                  path: str) -> None:
    matching = [(method, template) for (method, template), op in operations().items() if op.regex.match(path)]
    assert matching, f"{module}:{line} builds {path}: no path of the REST description"
    if verb is not None:
        assert verb in {method for method, _template in matching}, \
            f"{module}:{line}: {verb} {path} is not an operation ({matching})"
