"""Contract helpers: a `responses`-backed fake GitHub (GHES base URL) that validates request bodies
against the official OpenAPI request schemas and answers with bodies built from the spec's examples."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import responses

API = "https://ghe.example.test/api/v3"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"


@cache
def spec() -> dict[str, Any]:
    return json.loads((FIXTURES / "openapi-subset.json").read_text(encoding="utf-8"))


def _nullable_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` -> JSON Schema `type: [T, "null"]` (and null in enums)."""
    if isinstance(node, list):
        return [_nullable_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable_to_jsonschema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def request_schema(path: str, method: str) -> dict[str, Any]:
    operation = spec()["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return _nullable_to_jsonschema({**schema, "components": spec()["components"]})


def response_schema(path: str, method: str, status: str) -> dict[str, Any]:
    schema = spec()["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return _nullable_to_jsonschema({**schema, "components": spec()["components"]})


def example(name: str) -> Any:
    return copy.deepcopy(spec()["components"]["examples"][name]["value"])


def _url_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[a-z_]+\\\}", r"[^?]+", re.escape(template))
    # PyGithub spells the default port out (https://host:443/...): accept both forms.
    host, _, prefix = API.partition("/api/")
    return re.compile(re.escape(host) + r"(:443)?" + re.escape("/api/" + prefix) + pattern + r"(\?.*)?$")


@dataclass
class Recorded:
    method: str
    url: str
    body: Any


@dataclass
class FakeGitHub:
    """Registers endpoints on a RequestsMock; every request body is schema-validated and recorded."""

    mock: responses.RequestsMock
    calls: list[Recorded] = field(default_factory=list)

    def add(self, method: str, path: str, reply: Callable[[Any, str], tuple[int, dict[str, str], Any]],
            *, validate: bool = True) -> None:
        template = path

        def callback(request: Any) -> tuple[int, dict[str, str], str]:
            body = json.loads(request.body) if request.body else None
            self.calls.append(Recorded(method, request.url, body))
            if validate and body is not None:
                jsonschema.validate(body, request_schema(template, method.lower()))
            status, headers, payload = reply(body, request.url)
            return status, {"Content-Type": "application/json", **headers}, json.dumps(payload)

        self.mock.add_callback(method, _url_regex(path), callback=callback)

    def bodies(self) -> str:
        return "\n".join(json.dumps(call.body) for call in self.calls if call.body is not None)

    def requests(self, method: str, contains: str = "") -> list[Recorded]:
        return [c for c in self.calls if c.method == method and contains in c.url]


@dataclass
class CommentStore:
    """A PR's comment thread as GitHub would keep it, served page by page like the real API."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1000
    page_size: int = 100

    def add(self, body: str, login: str) -> dict[str, Any]:
        comment = example("issue-comment")
        self.next_id += 1
        comment.update(id=self.next_id, body=body,
                       html_url=f"https://ghe.example.test/o/r/pull/1#issuecomment-{self.next_id}")
        comment["user"] = {**comment["user"], "login": login}
        self.comments.append(comment)
        return comment

    def register(self, gh: FakeGitHub, repo: str, number: int, bot: str = "github-actions[bot]",
                 *, list_calls: int = 1) -> None:
        base = f"/repos/{repo}/issues/{number}/comments"

        def list_page(_body: Any, url: str) -> tuple[int, dict[str, str], Any]:
            match = re.search(r"[?&]page=(\d+)", url)
            page = int(match.group(1)) if match else 1
            start = (page - 1) * self.page_size
            items = self.comments[start:start + self.page_size]
            headers = {}
            if start + self.page_size < len(self.comments):
                headers["Link"] = f'<{API}{base}?per_page=100&page={page + 1}>; rel="next"'
            return 200, headers, items

        for _ in range(list_calls):
            gh.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", list_page)

    def on_create(self, bot: str) -> Callable[[Any, str], tuple[int, dict[str, str], Any]]:
        return lambda body, _url: (201, {}, self.add(body["body"], bot))

    def on_update(self) -> Callable[[Any, str], tuple[int, dict[str, str], Any]]:
        def update(body: Any, url: str) -> tuple[int, dict[str, str], Any]:
            comment_id = int(url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
            for comment in self.comments:
                if comment["id"] == comment_id:
                    comment["body"] = body["body"]
                    return 200, {}, comment
            return 404, {}, {"message": "Not Found"}
        return update


def status_reply(body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
    status = example("status")
    status.update(state=body["state"], context=body["context"], description=body.get("description"))
    return 201, {}, status


def forbidden(_body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
    return 403, {}, {"message": "Resource not accessible by integration",
                     "documentation_url": "https://docs.github.com/rest"}


def iter_status_states(gh: FakeGitHub) -> Iterator[str]:
    for call in gh.requests("POST", "/statuses/"):
        yield call.body["state"]
