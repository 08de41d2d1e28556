"""BoundedRetry through the real urllib3 retry loop (`responses` replaces the adapter and never calls
Retry.sleep): a local HTTP server answers 502, 429 and rate-limited 403s, then success."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from scanner.errors import GitHubError
from scanner.gh.api import GitHubApi
from tests.gh.contract_reads import find_operation
from tests.gh.github_contract import API, check_request, operations


class _Server(ThreadingHTTPServer):
    answers: list[tuple[int, dict[str, str], dict[str, object]]]
    seen: list[tuple[str, str, dict[str, str]]]
    bodies: list[object]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append(json.loads(self.rfile.read(length)) if length else None)
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        status, headers, body = self.server.answers.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.answers, srv.seen, srv.bodies = [], [], []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    # What the real urllib3 loop sent, retries included, is what GitHub's REST description accepts.
    problems = []
    for (method, path, headers), body in zip(srv.seen, srv.bodies, strict=True):
        url = API + path.removeprefix("/api/v3")
        operation = find_operation(method, url, API, operations())
        assert operation is not None, f"{method} {path} is no operation of the REST description"
        found, _status = check_request(operation, url, headers, body)
        problems += [f"{method} {path}: {problem}" for problem in found]
    assert not problems, problems


def _api(server: _Server, waits: list[float]) -> GitHubApi:
    return GitHubApi(f"http://127.0.0.1:{server.server_address[1]}/api/v3", "tok", sleep=waits.append,
                     clock=lambda: 1000.0)


def test_retries_wait_once_each_through_urllib3(server: _Server) -> None:
    waits: list[float] = []
    server.answers = [(502, {}, {"message": "Bad Gateway"}),
                      (429, {"Retry-After": "3"}, {"message": "Too Many Requests"}),
                      (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1007"},
                       {"message": "API rate limit exceeded for installation ID 1."}),
                      (201, {}, {"id": 1})]
    _api(server, waits).create_status("o/r", "a" * 40, state="success", context="c", description="d")
    assert waits == [1.0, 3.0, 7.0]  # each wait exactly once: urllib3's own sleep adds nothing
    assert [(method, path.split("?")[0]) for method, path, _ in server.seen] == \
        [("POST", "/api/v3/repos/o/r/statuses/" + "a" * 40)] * 4
    assert all(headers["X-GitHub-Api-Version"] == "2022-11-28" for _, _, headers in server.seen)


def test_a_403_that_is_no_rate_limit_is_not_retried(server: _Server) -> None:
    waits: list[float] = []
    server.answers = [(403, {}, {"message": "Resource not accessible by integration"})]
    with pytest.raises(GitHubError, match="HTTP 403 \\(Resource not accessible by integration\\)"):
        _api(server, waits).create_status("o/r", "a" * 40, state="success", context="c", description="d")
    assert waits == [] and len(server.seen) == 1


def test_exhausted_retries_keep_the_status(server: _Server) -> None:
    waits: list[float] = []
    server.answers = [(500, {}, {"message": "boom"})] * 5
    with pytest.raises(GitHubError, match="HTTP 500 \\(boom\\)"):
        _api(server, waits).list_pull_files("o/r", 7)
    assert waits == [1.0, 2.0, 4.0, 8.0] and len(server.seen) == 5


def test_a_301_is_followed_with_its_query(server: _Server) -> None:
    waits: list[float] = []
    port = server.server_address[1]
    moved = f"http://127.0.0.1:{port}/api/v3/repos/o/renamed/pulls/7/files?per_page=100&page=1"
    server.answers = [(301, {"Location": moved}, {"message": "Moved Permanently"}),
                      (200, {}, [])]
    assert _api(server, waits).list_pull_files("o/r", 7) == []
    second = urlsplit(server.seen[1][1])
    assert second.path == "/api/v3/repos/o/renamed/pulls/7/files"
    assert parse_qs(second.query) == {"per_page": ["100"], "page": ["1"]}  # the query kept


def test_a_create_is_not_retried_on_a_5xx_but_is_after_a_rate_limit(server: _Server) -> None:
    """Through the real urllib3 loop: a comment POST answered 502 is made once (GitHub may have created
    it); a 429 is a refusal made before anything was done, so that one is retried."""
    waits: list[float] = []
    server.answers = [(502, {}, {"message": "Bad Gateway"})]
    with pytest.raises(GitHubError, match="HTTP 502"):
        _api(server, waits).create_issue_comment("o/r", 7, "hello")
    assert waits == [] and len(server.seen) == 1
    comment = {"id": 3, "body": "hello", "user": None, "html_url": "https://ghe.example.test/c/3"}
    server.answers = [(429, {"Retry-After": "2"}, {"message": "Too Many Requests"}), (201, {}, comment)]
    assert _api(server, waits).create_issue_comment("o/r", 7, "hello").id == 3
    assert waits == [2.0] and len(server.seen) == 3
