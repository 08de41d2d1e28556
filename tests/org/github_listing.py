"""A `responses`-backed GitHub repository listing (GHES base URL) built from the official contract:
records are made from the examples of tests/fixtures/github/openapi-subset.json (the same copy of
GitHub's REST description every GitHub-side test reads) and validated against its response schemas."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import responses

from tests.gh import github_contract
from tests.gh.github_contract import check_request, operations

API = "https://ghe.example.test/api/v3"


def response_schema(path: str) -> dict[str, Any]:
    """The 200 answer's schema of `GET path` (nullable fields as JSON Schema null types, refs resolved
    against the whole description)."""
    return github_contract.response_schema(path, "get", "200")


def example(name: str) -> Any:
    """A copy of the description's example `name` (`minimal-repository-items`, `repository-paginated-2`)."""
    return github_contract.example(name)


def make_repo(template: dict[str, Any], owner: str, name: str, index: int, **flags: Any) -> dict[str, Any]:
    repo = copy.deepcopy(template)
    repo.update(id=100000 + index, name=name, full_name=f"{owner}/{name}", node_id=f"R_{index:06d}",
                default_branch="main" if index % 3 else "trunk", archived=False, fork=False, disabled=False)
    repo["owner"] = {**repo["owner"], "login": owner}
    repo.update(flags)
    return repo


@dataclass
class Listing:
    """Serves `items` page by page (Link rel=next) at `path`; `fail` maps page -> responses to give first."""

    mock: responses.RequestsMock
    path: str
    items: list[dict[str, Any]]
    page_size: int = 100
    wrap: Callable[[list[dict[str, Any]]], Any] = lambda items: items
    fail: dict[int, list[tuple[int, dict[str, str], Any]]] = field(default_factory=dict)
    pages_served: list[int] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def register(self) -> None:
        host, _, prefix = API.partition("/api/")
        pattern = re.compile(re.escape(host) + r"(:443)?" + re.escape("/api/" + prefix + self.path)
                             + r"(\?.*)?$")
        self.mock.add_callback("GET", pattern, callback=self._reply)

    def _reply(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.urls.append(request.url)
        # Parameters and headers as the official description has them (tests/gh/github_contract.py).
        template = re.sub(r"^/orgs/[^/]+/", "/orgs/{org}/", self.path)
        problems, _status = check_request(operations()[("GET", template)], request.url, request.headers, None)
        assert not problems, f"GET {template}: {problems}"
        match = re.search(r"[?&]page=(\d+)", request.url)
        page = int(match.group(1)) if match else 1
        self.pages_served.append(page)
        if self.fail.get(page):
            status, headers, body = self.fail[page].pop(0)
            text = "" if body is None else json.dumps(body)  # None: no body (a 304)
            return status, {"Content-Type": "application/json", **headers}, text
        start = (page - 1) * self.page_size
        items = self.items[start:start + self.page_size]
        headers = {"Content-Type": "application/json"}
        last = max(1, -(-len(self.items) // self.page_size))
        if page < last:
            headers["Link"] = (f'<{API}{self.path}?per_page={self.page_size}&page={page + 1}>; rel="next", '
                               f'<{API}{self.path}?per_page={self.page_size}&page={last}>; rel="last"')
        return 200, headers, json.dumps(self.wrap(items))
