"""MCP servers of Emacs mcp.el (lizqwerscott/mcp.el): `mcp-hub-servers`, an alist of
`("name" . (:command "npx" :args (…) :env (:NAME "value") :url "https://…"))` (or the same list
written `("name" :command …)`), set with `setq`, `:custom` or `customize-set-variable` in an init
file (corpus 13: dotfiles `init-mcp.el`, `config-mcp.el`).

Nothing is evaluated (nothing of a scanned repository is executed). The text is read as
s-expressions (strings, comments, parentheses) and only the literal strings of a server's `:env`
plist (`:NAME "value"`, or `("NAME" . "value")` pairs), its `:args` strings and its `:url` are read; the
alist may be quoted, backquoted (`,"literal"` unquoting a string is that string) or built with `(list …)`
of literals. A value built at load time (`,(auth-source-pick-first-password …)`, `(getenv "X")`) is no
string there and is not read.
"""

from __future__ import annotations

import re

from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport
from scanner.parsing.positions import LineIndex

_HUB = re.compile(r"mcp-hub-servers|mcp-servers")
_TOKEN = re.compile(r"""(?P<ws>\s+)|(?P<comment>;[^\n]*)|(?P<str>"(?:[^"\\]|\\.)*")"""
                    r"""|(?P<open>\()|(?P<close>\))|(?P<atom>[^\s()";]+)""", re.S)
_KEYS = frozenset({":command", ":args", ":env", ":url"})  # a server plist's first key
_MAX_DEPTH = 64  # nesting followed inside one list (no init file nests deeper)


def build(path: str, text: str) -> McpConfig | None:
    """The servers of `text`'s `mcp-hub-servers` with a literal `:env` value or `:url`, or None."""
    if _HUB.search(text) is None:
        return None
    starts = LineIndex(text)
    tokens = _data_tokens(text)
    servers: list[ServerEntry] = []
    resume = 0  # the token after the last entry read: each token is walked a bounded number of times
    for index in range(len(tokens) - 3):  # `("name" . (…))`: a server entry of the alist
        if index < resume or not (tokens[index][0] == "open" and tokens[index + 1][0] == "str"):
            continue
        name_token = tokens[index + 1]
        if tokens[index + 2][1] == "." and tokens[index + 3][0] == "open":
            plist, resume = _children(tokens, index + 3)
        elif tokens[index + 2][1] in _KEYS:  # `("name" :command …)`: the same list, without the dot
            plist, resume = _children(tokens, index)
            plist = plist[1:]
        else:
            continue
        env, url, args = _server_values(path, starts, plist, tokens)
        if env or url is not None or args:
            values = (*args, *env, *((url,) if url is not None else ()))
            where = _location(path, starts, name_token[2])
            servers.append(ServerEntry(name=name_token[1][1:-1], client=Client.EMACS, location=where,
                                       transport=Transport.HTTP if url is not None else Transport.STDIO,
                                       args=tuple(args), env=tuple(env), url=url, values=values))
    return McpConfig(path, Client.EMACS, FileFormat.ELISP, tuple(servers)) if servers else None


def _children(tokens: list[tuple[str | None, str, int]], open_at: int) -> tuple[list[int], int]:
    """Indexes of the direct children of the list opened at `open_at` (a child list by its `(`), and
    the index after its `)`."""
    out: list[int] = []
    depth = 0
    for index in range(open_at, len(tokens)):
        kind = tokens[index][0]
        if kind == "open":
            depth += 1
            if depth == 2:
                out.append(index)
            if depth > _MAX_DEPTH:
                return out, index + 1
        elif kind == "close":
            depth -= 1
            if depth == 0:
                return out, index + 1
        elif depth == 1:
            out.append(index)
    return out, len(tokens)


def _server_values(path: str, starts: LineIndex, plist: list[int],
                   tokens: list[tuple[str | None, str, int]]
                   ) -> tuple[list[FieldValue], FieldValue | None, list[FieldValue]]:
    env: list[FieldValue] = []
    url: FieldValue | None = None
    args: list[FieldValue] = []
    for position, index in enumerate(plist[:-1]):
        key = tokens[index][1]
        following = plist[position + 1]
        if key == ":url" and tokens[following][0] == "str":
            url = _value(path, starts, "url", "url", tokens[following])
        elif key == ":args" and tokens[following][0] == "open":  # `:args ("-y" "pkg" "--api-key" "…")`
            words = [tokens[item] for item in _children(tokens, following)[0] if tokens[item][0] == "str"]
            args.extend(_value(path, starts, f"args[{at}]", None, word) for at, word in enumerate(words))
        elif key == ":env" and tokens[following][0] == "open":
            items = _children(tokens, following)[0]
            for at, item in enumerate(items[:-1]):  # `:NAME "value"`
                name, value = tokens[item], tokens[items[at + 1]]
                if name[0] == "atom" and name[1].startswith(":") and value[0] == "str":
                    env.append(_value(path, starts, f"env.{name[1][1:]}", name[1][1:], value))
            for item in items:  # `("NAME" . "value")`
                pair = _children(tokens, item)[0] if tokens[item][0] == "open" else []
                if len(pair) == 3 and tokens[pair[1]][1] == "." \
                        and tokens[pair[0]][0] == tokens[pair[2]][0] == "str":
                    key_name = tokens[pair[0]][1][1:-1]
                    env.append(_value(path, starts, f"env.{key_name}", key_name, tokens[pair[2]]))
    return env, url, args


# Marks that leave a literal what it is: quote, backquote, unquote (`,"v"` inside a backquote is "v"),
# a function quote; and `list` opening a list of literals (`(list "acme" :command "npx")`).
_QUOTES = frozenset({"'", "`", ",", ",@", "#'"})


def _data_tokens(text: str) -> list[tuple[str | None, str, int]]:
    """The tokens of `text` as data: comments and blanks dropped, and the quoting marks and `list`
    calls that build the same alist from literals."""
    out: list[tuple[str | None, str, int]] = []
    for match in _TOKEN.finditer(text):
        kind, body = match.lastgroup, match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "atom" and (body in _QUOTES or body == "list" and out and out[-1][0] == "open"):
            continue
        if kind == "atom" and body[0] in "'`," and len(body) > 1 and body.lstrip("'`,@") != body:
            body = body.lstrip("'`,@")  # `',x`, `'foo`: the atom itself
        out.append((kind, body, match.start()))
    return out


def _value(path: str, starts: LineIndex, field: str, key: str | None,
           token: tuple[str | None, str, int]) -> FieldValue:
    where = _location(path, starts, token[2])
    return FieldValue(field, token[1][1:-1], where, where.line, where.column + len(token[1]), key,
                      "${" in token[1], True)


def _location(path: str, starts: LineIndex, offset: int) -> Location:
    return Location(path, *starts.position(offset))
