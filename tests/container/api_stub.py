"""Tiny stand-in for the GitHub REST API used by the container smoke test (stdlib only).

Serves the calls `mcp-guard action` makes on a pull request and appends every request (method, path,
body) as one JSON line to the record file. Usage: api_stub.py PORT RECORD_FILE
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMMENTS: list[dict[str, Any]] = []


class Handler(BaseHTTPRequestHandler):
    record_path = ""

    def _reply(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, body: Any) -> None:
        with open(self.record_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"method": self.command, "path": self.path, "body": body}) + "\n")

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length)) if length else None

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._record(None)
        path = self.path.split("?")[0]
        if path.endswith("/user"):
            self._reply(403, {"message": "Resource not accessible by integration"})
        elif path.endswith("/comments"):
            self._reply(200, COMMENTS)
        else:
            self._reply(404, {"message": "Not Found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        self._record(body)
        path = self.path.split("?")[0]
        if path.endswith("/comments"):
            number = len(COMMENTS) + 1
            comment = {"id": number, "body": body["body"], "user": {"login": "github-actions[bot]"},
                       "html_url": f"http://stub/pull/7#issuecomment-{number}"}
            COMMENTS.append(comment)
            self._reply(201, comment)
        elif "/statuses/" in path:
            self._reply(201, {"id": 1, "state": body["state"], "context": body["context"]})
        else:
            self._reply(404, {"message": "Not Found"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test log quiet
        return


def main() -> None:
    Handler.record_path = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()


if __name__ == "__main__":
    main()
