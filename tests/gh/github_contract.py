"""Contract helpers: a `responses`-backed fake GitHub (GHES base URL) that checks every request against
the official OpenAPI description (operation, path and query parameters, headers, body, the limits GitHub
enforces beyond the schema) and answers with bodies built from the spec: its examples, or `minimal()`
bodies holding only the schema's REQUIRED fields (nullable ones as null), as a faithful emulator may."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
import responses

from tests.gh.contract_reads import find_operation, success_schema, track, undocumented
from tests.gh.github_rules import (  # noqa: F401 - LIMITS, PERMISSIONS, READ_ONLY: for the tests
    LIMITS,
    MAX_ANNOTATIONS,
    MAX_STATUSES_PER_CONTEXT,
    PERMISSIONS,
    PULL_FILES,
    READ_ONLY,
    RESOURCES,
    STATUSES,
    accepted_body_schema,
    body_rules,
    denied,
    off_the_diff,
    off_the_diff_answer,
    served_patches,
    status_limit_answer,
)

API = "https://ghe.example.test/api/v3"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"
API_VERSION = "2022-11-28"  # the REST API version mcp-guard is written against
PER_PAGE_MAX = 100  # the per-page parameter's description: "The number of results per page (max 100)"
# Accept values GitHub documents for the REST API (the JSON media types and their `+json` variants).
_ACCEPT = re.compile(r"^application/(vnd\.github(\.[a-z0-9-]+)?\+json|json)$")
# Where the spec's own examples fail its response schemas (not checked there, as the README says):
# `branch-protection` predates the schema (teams without `type`, required_status_checks without
# `checks`, an organization-shaped apps[].owner), and the protection tests build on it.
EXAMPLE_DEFECTS: list[tuple[str, tuple[object, ...]]] = [
    ("/repos/{owner}/{repo}/branches/{branch}/protection", ())]


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
        if "type" not in out and any(key in out for key in ("allOf", "anyOf", "oneOf", "$ref")):
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def _json_components() -> dict[str, Any]:
    """The spec's components in JSON Schema terms, converted once (the files API test builds 3,000
    items, each checked against a schema that carries all of them)."""
    converted: dict[str, Any] = _nullable_to_jsonschema(spec()["components"])
    return converted


def _with_components(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` in JSON Schema terms with the spec's components beside it, for its `$ref`s."""
    return {**_nullable_to_jsonschema(schema), "components": _json_components()}


def request_schema(path: str, method: str) -> dict[str, Any]:
    operation = spec()["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return _with_components(schema)


def resolve(node: Any) -> Any:
    """Follow `#/components/...` references until a concrete node."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _response(path: str, method: str, status: str) -> dict[str, Any]:
    return resolve(spec()["paths"][path][method]["responses"][status])


def response_schema(path: str, method: str, status: str) -> dict[str, Any]:
    schema = _response(path, method, status)["content"]["application/json"]["schema"]
    return _with_components(schema)


def example(name: str) -> Any:
    return copy.deepcopy(spec()["components"]["examples"][name]["value"])


# --- minimal bodies: only what the schema REQUIRES ---------------------------------------------------

_FORMATS = {"uri": "https://ghe.example.test/x", "date-time": "2026-01-01T00:00:00Z",
            "email": "a@example.test", "date": "2026-01-01", "uuid": "00000000-0000-0000-0000-000000000000"}


def build_minimal(schema: Any, *, nulls: bool = True, choose: int = 0) -> Any:
    """A value with only the required fields of `schema`; a required nullable field is null when `nulls`.
    `choose` picks the alternative of a top-level oneOf/anyOf."""
    schema = resolve(schema)
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = resolve(part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return build_minimal(merged, nulls=nulls)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return build_minimal(schema[key][choose], nulls=nulls)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        out = {}
        for name in schema.get("required", []):
            prop = resolve(schema.get("properties", {}).get(name, {}))
            out[name] = None if nulls and prop.get("nullable") else build_minimal(prop, nulls=nulls)
        return out
    if kind == "array":
        return []
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "x")
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return None


def minimal(template: str, method: str, code: str = "200", /, *, item: bool = False, nulls: bool = True,
            choose: int = 0, **fields: Any) -> Any:
    """The minimal body of an operation's response (`item`: one element of a list response), with
    `fields` set on top (validated with them, so a test cannot set a field the schema forbids)."""
    schema = _minimal_schema(template, method, code, item, choose)
    body = build_minimal(schema, nulls=nulls)
    if isinstance(body, dict):
        body.update(fields)
    _minimal_validator(template, method, code, item, choose).validate(body)
    return body


def _minimal_schema(template: str, method: str, code: str, item: bool, choose: int) -> Any:
    schema = resolve(_response(template, method, code)["content"]["application/json"]["schema"])
    if item:
        return resolve(schema["items"])
    if "oneOf" in schema or "anyOf" in schema:
        return resolve(schema.get("oneOf", schema.get("anyOf"))[choose])
    return schema


@cache
def _minimal_validator(template: str, method: str, code: str, item: bool, choose: int) -> Any:
    """The validator of `minimal`'s bodies for one response schema, its schema checked once (as
    `jsonschema.validate` does on every call: 10 ms each with every component beside it)."""
    check = _with_components(_minimal_schema(template, method, code, item, choose))
    cls = jsonschema.validators.validator_for(check)
    cls.check_schema(check)
    return cls(check)


# --- operations and parameters -------------------------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    regex: re.Pattern[str]
    parameters: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None


@cache
def operations() -> dict[tuple[str, str], Operation]:
    out = {}
    for template, item in spec()["paths"].items():
        shared = [resolve(p) for p in item.get("parameters", [])]
        pattern = "".join(
            f"(?P<{part[1:-1]}>{'.+' if part == '{path}' else '[^/]+'})" if part.startswith("{")
            else re.escape(part) for part in re.split(r"(\{[a-z_]+\})", template))
        for method, operation in item.items():
            if method == "parameters":
                continue
            params = tuple(shared + [resolve(p) for p in operation.get("parameters", [])])
            body = operation.get("requestBody")
            out[(method.upper(), template)] = Operation(method.upper(), template, re.compile(pattern + "$"),
                                                         params, resolve(body) if body else None)
    return out


def _check_value(value: str, schema: dict[str, Any], where: str) -> list[str]:
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"[0-9]+", value):
            return [f"{where}={value!r} is not an integer"]
        number = int(value)
        if where.endswith("per_page") and not 1 <= number <= PER_PAGE_MAX:
            return [f"{where}={number} is outside 1..{PER_PAGE_MAX}"]
        if where.endswith(" page") and number < 1:
            return [f"{where}={number} is below 1"]
        return []
    if kind == "boolean" and value not in ("true", "false"):
        return [f"{where}={value!r} is not true/false"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}={value!r} is not one of {schema['enum']}"]
    if schema.get("format") == "date-time":
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return [f"{where}={value!r} is not an ISO 8601 date-time"]
    if value == "":
        return [f"{where} is empty"]
    return []


def _dotted(body: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        body = body.get(key) if isinstance(body, dict) else None
    return body


def _values(body: Any, dotted: str) -> list[Any]:
    """The values at `dotted` ("comments[].body": that field of every item of a list)."""
    head, sep, rest = dotted.partition("[].")
    if not sep:
        return [_dotted(body, dotted)]
    items = _dotted(body, head)
    return [_dotted(item, rest) for item in items] if isinstance(items, list) else []


def check_request(operation: Operation, url: str, headers: Any, body: Any) -> tuple[list[str], int]:
    """Everything wrong with one request for `operation` (empty: valid), and the status GitHub would
    answer (422 for an over-long field, 404 for a path that is not this operation, 400 otherwise).
    Every body is validated: against the published schema, relaxed only where GitHub documentedly
    accepts more (github_rules.accepted_body_schema)."""
    problems: list[str] = []
    parts = urlsplit(url)
    host, _, prefix = API.partition("/api/")
    if f"{parts.scheme}://{parts.hostname}" != host or not parts.path.startswith("/api/" + prefix):
        return [f"request to {parts.scheme}://{parts.netloc}{parts.path} is not under {API}"], 404
    route = parts.path[len("/api/" + prefix):]
    match = operation.regex.match(route)
    if match is None:
        return [f"{operation.method} {route} is not {operation.template}"], 404
    declared = {(p["in"], p["name"]): p for p in operation.parameters}
    for name, raw in match.groupdict().items():
        # The route regex already refused a raw "/" in any parameter but `path`: %2F is the encoding.
        problems += _check_value(unquote(raw), declared[("path", name)].get("schema", {}), f"path {name}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in query]
    problems += [f"query parameter {name} given twice"
                 for name in sorted(set(names)) if names.count(name) > 1]
    for name, value in query:
        param = declared.get(("query", name))
        if param is None:
            problems.append(f"query parameter {name} is not a parameter of {operation.template}")
        else:
            problems += _check_value(value, param.get("schema", {}), f"query {name}")
    for (where, name), param in declared.items():
        if where == "query" and param.get("required") and name not in names:
            problems.append(f"required query parameter {name} missing")
    if operation.template == "/user/repos" and "type" in names and {"visibility", "affiliation"} & set(names):
        problems.append("type cannot be combined with visibility or affiliation (GitHub answers 422)")
    lowered = {key.lower(): value for key, value in headers.items()}
    if not _ACCEPT.match(lowered.get("accept", "")):
        problems.append(f"Accept {lowered.get('accept')!r} is not a GitHub JSON media type")
    if lowered.get("x-github-api-version") != API_VERSION:
        problems.append(f"X-GitHub-Api-Version {lowered.get('x-github-api-version')!r} != {API_VERSION}")
    if not lowered.get("user-agent", "").strip():
        problems.append("no User-Agent (GitHub rejects requests without one)")
    if not re.fullmatch(r"Bearer [^\s]+", lowered.get("authorization", "")):
        problems.append("Authorization is not `Bearer <token>`")
    if body is not None and not lowered.get("content-type", "").split(";")[0].strip() == "application/json":
        problems.append(f"a JSON body sent as Content-Type {lowered.get('content-type')!r}")
    if operation.body is None:
        if body is not None:
            problems.append(f"{operation.method} {operation.template} takes no request body")
    elif body is None:
        if operation.body.get("required"):
            problems.append(f"{operation.method} {operation.template} requires a request body")
    else:
        schema = accepted_body_schema(operation.method, operation.template,
                                      operation.body["content"]["application/json"]["schema"])
        full = _with_components(schema)
        validator = jsonschema.validators.validator_for(full)(full)
        problems += [f"body: {e.message[:200]} at {list(e.absolute_path)}"
                     for e in validator.iter_errors(body)]
        problems += undocumented(body, schema, "body", resolve)
    if problems:
        return problems, 400
    too_long = [f"{name} is too long (maximum is {limit} characters)"
                for name, limit in LIMITS.get((operation.method, operation.template), [])
                for value in _values(body, name) if isinstance(value, str) and len(value) > limit]
    too_long += body_rules(operation.method, operation.template, body)
    annotations = _dotted(body, "output.annotations")
    if isinstance(annotations, list) and len(annotations) > MAX_ANNOTATIONS:
        too_long.append(f"at most {MAX_ANNOTATIONS} annotations per request")
    return too_long, 422


def _url_regex(template: str) -> re.Pattern[str]:
    """Every URL that could be meant for `template` (parameters broadly): check_request then says
    whether it really is that operation, so a wrongly encoded path is a reported violation."""
    pattern = re.sub(r"\\\{[a-z_]+\\\}", r"[^?]+", re.escape(template))
    # PyGithub spells the default port out (https://host:443/...): accept both forms.
    host, _, prefix = API.partition("/api/")
    return re.compile(re.escape(host) + r"(:443)?" + re.escape("/api/" + prefix) + pattern + r"(\?.*)?$")


@dataclass
class Recorded:
    method: str
    url: str
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    at: float | None = None  # FakeGitHub.clock's time when the request arrived (when it has a clock)


Reply = Callable[[Any, str], tuple[int, dict[str, str], Any]]


@dataclass
class FakeGitHub:
    """Registers endpoints on a RequestsMock. Every request is checked against the spec (check_request:
    operation, path/query parameters, headers, body, limits) and recorded; what is wrong is answered
    the way GitHub would (400/404/422) and kept in `violations` (`assert_valid` fails on any). The
    fake's own 2xx answers are validated against the response schema too, so a test cannot hand the
    code a body GitHub would never send."""

    mock: responses.RequestsMock
    calls: list[Recorded] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    optional: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    # sha -> [(context, state)]: statuses other CI systems set on a commit (combined-status GET)
    other_statuses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # The token's fine-grained permissions (scope -> none/read/write), None: everything granted.
    # An operation whose PERMISSIONS it lacks is answered 403 as GitHub answers GITHUB_TOKEN.
    permissions: dict[str, str] | None = None
    # (sha, context casefolded) -> statuses created before the test: at MAX_STATUSES_PER_CONTEXT GitHub
    # says 422.
    statuses_created: dict[tuple[str, str], int] = field(default_factory=dict)
    # The client's (injected) clock: each request records its time (pacing tests), None: no times.
    clock: Callable[[], float] | None = None

    # (pull request path "/repos/o/r/pulls/7", filename) -> the `patch` this fake served for it: review
    # comments on that file must sit on a right-side line of one of its hunks, as GitHub checks.
    patches: dict[tuple[str, str], str] = field(default_factory=dict)

    def _remember_patches(self, operation: Operation, url: str, status: int, payload: Any) -> None:
        if (operation.method, operation.template) == ("GET", PULL_FILES) and status == 200:
            pull = urlsplit(url).path.split("/api/v3", 1)[-1].rsplit("/files", 1)[0]
            self.patches.update(served_patches(pull, payload))

    def _off_the_diff(self, operation: Operation, url: str,
                      body: Any) -> tuple[int, dict[str, str], Any] | None:
        """GitHub's 422 for a review comment outside the diff of a file whose patch was served."""
        pull = urlsplit(url).path.split("/api/v3", 1)[-1].rsplit("/", 1)[0]
        bad = off_the_diff(operation.method, operation.template, pull, body, self.patches)
        if bad is None:
            return None
        self.violations.append(f"{operation.method} {operation.template}: a review comment on "
                               f"{bad.get('path')} line {bad.get('line')} is not on the diff GitHub served")
        return off_the_diff_answer(operation.template)

    def grant(self, **scopes: str) -> None:
        """The token has exactly these permissions (`pull_requests="write"`, `statuses="read"`, ...)."""
        self.permissions = dict(scopes)

    def _denied(self, operation: Operation) -> tuple[int, dict[str, str], Any] | None:
        return denied(self.permissions, operation.method, operation.template)

    def _status_limit(self, operation: Operation, url: str,
                      body: Any) -> tuple[int, dict[str, str], Any] | None:
        if (operation.method, operation.template) != ("POST", STATUSES) or not isinstance(body, dict):
            return None
        sha = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        key = (sha, str(body.get("context") or "default").casefold())  # GitHub: contexts ignore case
        if self.statuses_created.get(key, 0) >= MAX_STATUSES_PER_CONTEXT:
            return status_limit_answer()
        self.statuses_created[key] = self.statuses_created.get(key, 0) + 1
        return None

    def add(self, method: str, path: str, reply: Reply, *, optional: bool = False) -> None:
        """Every request is checked in full (operation, parameters, headers, body, limits): there is
        no switch to skip the body. An `optional` endpoint need not be called. Registering the
        status POST also serves the statuses it accepted, as
        GitHub does, on the combined-status GET (optional)."""
        operation = operations().get((method.upper(), path))
        if operation is None:
            raise ValueError(f"{method} {path} is not an operation of the GitHub REST description")
        if (method.upper(), path) == ("POST", STATUSES) and not any(
                m == "GET" and r == _url_regex(COMBINED_STATUS) for m, r in self.optional):
            self.add("GET", COMBINED_STATUS, self._combined_status, optional=True)
        if optional:
            self.optional.append((method.upper(), _url_regex(path)))

        def callback(request: Any) -> tuple[int, dict[str, str], str]:
            body = json.loads(request.body) if request.body else None
            self.calls.append(Recorded(method, request.url, body, dict(request.headers),
                                       self.clock() if self.clock is not None else None))
            problems, status = check_request(operation, request.url, request.headers, body)
            if problems:
                self.violations += [f"{method} {path}: {problem}" for problem in problems]
                message = {404: "Not Found", 422: "Validation Failed"}.get(status, "Bad Request")
                errors: list[Any] = list(problems)
                if status == 422:  # GitHub's shape: {"resource", "code": "custom", "field", "message"}
                    errors = [{"resource": RESOURCES.get(operation.template, "Resource"), "code": "custom",
                               "field": problem.split(" ", 1)[0], "message": problem} for problem in problems]
                return status, {"Content-Type": "application/json"}, json.dumps(
                    {"message": message, "errors": errors,
                     "documentation_url": "https://docs.github.com/rest"})
            refused = self._denied(operation) or self._status_limit(operation, request.url, body)
            if refused is not None:  # GitHub's answer to a valid request it does not carry out
                status, headers, payload = refused
                return status, {"Content-Type": "application/json", **headers}, json.dumps(payload)
            refused = self._off_the_diff(operation, request.url, body)
            if refused is not None:
                status, headers, payload = refused
                return status, {"Content-Type": "application/json", **headers}, json.dumps(payload)
            status, headers, payload = reply(body, request.url)
            self._remember_patches(operation, request.url, status, payload)
            self._check_answer(operation, status, payload)
            text = "" if payload is None else json.dumps(payload)  # None: no body (204, 304)
            return status, {"Content-Type": "application/json", **headers}, text

        self.mock.add_callback(method, _url_regex(path), callback=callback)

    def _combined_status(self, _body: Any, url: str) -> tuple[int, dict[str, str], Any]:
        """GET .../commits/{ref}/status: the newest accepted status per context on that commit, and those
        of `other_statuses` (other CI systems', set later), newest first, `per_page` (at most 100)
        contexts per page as GitHub pages it, the next page named by the Link header. One status per
        context compared case-insensitively, as GitHub keeps them (the newest post's spelling shown)."""
        sha = url.split("/commits/", 1)[1].split("/status", 1)[0]
        latest: dict[str, dict[str, Any]] = {}
        for call in self.calls:
            if call.method == "POST" and f"/statuses/{sha}" in call.url and isinstance(call.body, dict):
                status = example("status")
                status.update(state=call.body["state"], context=call.body["context"],
                              description=call.body.get("description"))
                latest.pop(call.body["context"].casefold(), None)
                latest[call.body["context"].casefold()] = status
        for context, state in self.other_statuses.get(sha, []):
            status = example("status")
            status.update(state=state, context=context, description=f"{context} says {state}")
            latest.setdefault(context.casefold(), status)
        combined = example("combined-commit-status")
        statuses = list(reversed(latest.values()))  # newest first
        states = {s["state"] for s in statuses}
        state = "failure" if states & {"failure", "error"} else "success" if statuses else "pending"
        query = dict(parse_qsl(urlsplit(url).query))
        size, page = min(int(query.get("per_page", 30)), PER_PAGE_MAX), int(query.get("page", 1))
        combined.update(sha=sha, statuses=statuses[(page - 1) * size:page * size], total_count=len(statuses),
                        state=state)
        headers = {}
        if page * size < len(statuses):
            where = url.split("?", 1)[0]
            headers["Link"] = f'<{where}?per_page={size}&page={page + 1}>; rel="next"'
        return 200, headers, combined

    def _check_answer(self, operation: Operation, status: int, payload: Any) -> None:
        if not 200 <= status < 300:
            return
        answers = spec()["paths"][operation.template][operation.method.lower()]["responses"]
        if str(status) not in answers:
            self.violations.append(f"fake: {operation.method} {operation.template} never answers {status}")
            return
        content = resolve(answers[str(status)]).get("content", {}).get("application/json")
        if content is None:
            return
        schema = _with_components(content["schema"])
        validator = jsonschema.validators.validator_for(schema)(schema)
        for error in validator.iter_errors(payload):
            if any(operation.template == template and tuple(error.absolute_path)[:len(prefix)] == prefix
                   for template, prefix in EXAMPLE_DEFECTS):
                continue
            self.violations.append(f"fake: {operation.method} {operation.template} answered a body the "
                                   f"schema rejects: {error.message[:200]} at {list(error.absolute_path)}")
            break

    def note_read(self, problem: str) -> None:
        problem = f"read: {problem}"
        if problem not in self.violations:
            self.violations.append(problem)

    def assert_valid(self) -> None:
        assert not self.violations, "requests GitHub would reject:\n" + "\n".join(self.violations[:20])

    def bodies(self) -> str:
        return "\n".join(json.dumps(call.body) for call in self.calls if call.body is not None)

    def requests(self, method: str, contains: str = "") -> list[Recorded]:
        return [c for c in self.calls if c.method == method and contains in c.url]


@contextmanager
def strict_reads(gh: FakeGitHub) -> Iterator[None]:
    """Every answer scanner.gh.api parses records the fields the product reads: one the operation's
    response schema does not document is a violation (tests/gh/contract_reads.py)."""
    from scanner.gh import api as gh_api

    parse = gh_api._json

    def tracked(output: str, verb: str, url: str) -> Any:
        data = parse(output, verb, url)
        operation = find_operation(verb, url, API, operations())
        if operation is None:
            return data
        answers = spec()["paths"][operation.template][operation.method.lower()]["responses"]
        schema = success_schema(answers, resolve)
        where = f"{operation.method} {operation.template}"
        return track(data, schema, where, gh.note_read, resolve) if schema is not None else data

    gh_api._json = tracked  # type: ignore[assignment]
    try:
        yield
    finally:
        gh_api._json = parse  # type: ignore[assignment]


@contextmanager
def fake_github(*, assert_all_requests_are_fired: bool = True) -> Iterator[FakeGitHub]:
    """A FakeGitHub whose every request must have been one GitHub accepts, and whose every answer
    the product read only for documented fields (both checked on exit)."""
    with responses.RequestsMock(assert_all_requests_are_fired=assert_all_requests_are_fired) as mock:
        gh = FakeGitHub(mock)
        with strict_reads(gh):
            yield gh
        for method, url in gh.optional:
            if not any(c.method == method and url.match(c.url) for c in gh.calls):
                mock.remove(method, url)
    gh.assert_valid()


COMBINED_STATUS = "/repos/{owner}/{repo}/commits/{ref}/status"
COMMENT_ITEMS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
SIMPLE_USER_REQUIRED = tuple(resolve({"$ref": "#/components/schemas/simple-user"})["required"])


@dataclass
class CommentStore:
    """A PR's comment thread as GitHub would keep it, served page by page like the real API."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1000
    page_size: int = 100
    minimal: bool = False  # comments with only the schema's required fields (a faithful emulator's)

    def add(self, body: str, login: str | None) -> dict[str, Any]:
        """A comment by `login` (None: a deleted account, `user: null`)."""
        self.next_id += 1
        html_url = f"https://ghe.example.test/o/r/pull/1#issuecomment-{self.next_id}"
        if self.minimal:
            comment = minimal(COMMENT_ITEMS, "get", item=True, id=self.next_id, body=body, html_url=html_url)
            user = minimal("/user", "get", choose=1, login=login) if login is not None else None
            comment["user"] = {key: user[key] for key in SIMPLE_USER_REQUIRED} if user else None
        else:
            comment = example("issue-comment")
            comment.update(id=self.next_id, body=body, html_url=html_url)
            comment["user"] = {**comment["user"], "login": login} if login is not None else None
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
