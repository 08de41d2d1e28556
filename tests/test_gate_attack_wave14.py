"""Red-team regressions (wave 14): MCP servers declared in Python / TypeScript source (the newest
readers, clients/source_py.py and source_js.py) whose credential is written as an expression the
readers did not evaluate, or sits in a file they did not read. Each drives the Action against the
contract-checked fake GitHub (or the CLI); every secret is built at run time (an opaque 40-character
key under a credential name: no provider shape, so only the reader's value can find it).

| # | attempt (the PR's `agent.py` / `agent.ts`, key = an opaque 40-character literal) | before | fix |
|---|---|---|---|
| 1 | `env={"ACME_API_KEY": f"{'<key>'}"}` (an f-string holding a literal) | success | a |
| 2 | `"<half>" + "<half>"` | success | a |
| 3 | `env=dict(ACME_API_KEY="<key>")` | success | a |
| 4 | `os.getenv("ACME_API_KEY") or "<key>"`; `x if c else "<key>"` | success | a |
| 5 | `{f"ACME_API_KEY": "<key>"}` / `{"ACME_" + "API_KEY": …}` (a key no plain literal) | success | a |
| 6 | `from mcp import StdioServerParameters as P; P(command=…, env={…})` | success | b |
| 7 | `KEY = "<key>"` then `env={"ACME_API_KEY": KEY}` / `f"Bearer {KEY}"` (documented limit) | success | c |
| 8 | `b"<key>".decode()`, `"<key>".strip()`, `str("<key>")`, `"".join(["<half>", "<half>"])` | success | a |
| 9 | TS: `` `${"<key>"}` ``, `"<half>" + "<half>"`, `("<key>")` | success | d |
| 10 | TS: `["ACME_API_KEY"]: "<key>"` (a computed key) | success | d |
| 11 | TS: String.raw`<key>`, `"<key>".trim()`, `"<key>" \\|\\| env.X`, `c ? env.X : "<key>"` | success | d |
| 12 | TS: `env: Object.assign({}, {ACME_API_KEY: "<key>"})`, `{...{ACME_API_KEY: "<key>"}}` | success | d |
| 13 | TS: `import { StdioClientTransport as T }`, `new T({command: cmd, env: {…}})` | success | b |
| 14 | TS: `const ACME_API_KEY = "<key>"` then `env: { ACME_API_KEY }` / `` `Bearer ${KEY}` `` | success | c |
| 15 | Python `{**{…}}`, `dict(os.environ) \\| {…}`, `P(**params)`, `def f(env={…})` | success | a, c |
| 16 | Python `"{}{k}".format(…)`, `"%s%s" % (…)`; `env = {}`, `env["K"] = …` / `.update(…)` | success | a |
| 17 | TS: `headers: new Headers({…})`; a provider token written `\\u{67}hp_…` | success | d |
| 18 | CLI work-tree scan: `.py` / `.ts` naming an MCP API, the SDK via a local re-export | success | e |
| 19 | `SERVERS` / `ACME_ENV` in a local module (`from .servers import …`, `from "./env.js"`) | success | f |
| 20 | the same module changed alone by the PR (the importer already in the base) | success | f |
| - | Action full scan (push) of the files of 18 | blocked | - |
| - | TS: a provider token with a `\\u`-escaped letter under a credential name or in `args` | blocked | - |
| - | Python: `os.environ["ACME_API_KEY"] = "<key>"` / `setdefault` (the process environment) | success | - |
| - | a module imported by a package path (`@acme/config`, a Python package elsewhere) | success | - |
| - | `your-api-key-` + 16-23 random characters (a short random run inside a placeholder) | success | - |

Fixes: (a) `clients/source_py.py` (helpers in `py_values.py`): a value is every value its expression can
evaluate to without running anything: `+`, `"".join([…])`, `str.format`, `%` joined (a piece that is
no literal is its reference), each operand of `or` / `and` and each branch of `x if c else y` (one entry
each: duplicate keys are all judged), `f"{'…'}"`, `str(x)`, `x.strip()` / `.decode()`, bytes literals,
`dict(K=…)`, `{**{…}}`, `a | b`, `**params` at a call; a dict key is folded the same way (a key that
folds to no string keeps its value under the expression's name; before, the entry was dropped with its
value); a dict bound once gains the entries `d["K"] = …` / `d.update(…)` give it; (b) an MCP API
imported `as` another name or assigned to one (`P = StdioServerParameters`) is that API (both
readers); (c) a name bound exactly once in the file is its value wherever it is read (Python: any
expression, a parameter's default too; TS: a `const`/`let`/`var` of one literal, also as a shorthand
`{ NAME }` and a template's `${NAME}`); (d) `clients/source_js.py`: an expression of several operands
is its `+` join when a piece is a literal, else each string / object literal operand not compared with
something (`=== "none"`); `(…)` is its content; `["K"]:` is the key `K`; `Object.assign`, `{...{…}}`
and `new Headers({…})` give their object literals; a template's `${"…"}` is the literal; `\\x`, `\\u`,
`\\u{…}` escapes are decoded as JavaScript does (clients/js_tokens.py, the tokenizer moved out of
source_js.py); (e) `pipeline._probe`: a source file the listing kept for naming an MCP API is read
whether or not it holds a config probe word (`mcp`, `servers`, ...); (f) `source_code.module_paths` /
`script_paths`: the local modules whose names an MCP API call reads are `import` flags of the config, returned
by `_files.config_references`; the pipeline reads each as that language's source without the API gate
(its servers, and its top-level literals as values of the file), and the fast gate (`gh/events.py`)
follows them from the head's API-naming files when a source file changes alone.
Left open: the process environment set by statements (`os.environ[...] = …`: the SDKs hand a server a
default environment, not the caller's), values returned by functions, names bound more than once,
modules imported by a package path, and a short random run (16-23 characters) inside a placeholder
word (`your-api-key-<20 random>`): wave 13 set the pasted-run floor at 24 (32 for cut pieces) for
precision; lowering it needs a corpus check that docs placeholders stay quiet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.clients.js_tokens import tokenize
from tests.fakes import fake_token
from tests.gh.action_helpers import (
    Files,
    Repo,
    everything,
    expect_run,
    no_piece,
    opaque,
    run,
    states,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

_KEY = opaque(14001)
_PAT = fake_token("ghp_", 36, 14002)  # a provider shape: found under any name once decoded
_H1, _H2 = _KEY[:20], _KEY[20:]
_PY = "import os\nfrom mcp import StdioServerParameters\n\n"
_PY_CALL = 'params = StdioServerParameters(command="npx", args=["-y", "acme-mcp"], env={env})\n'


def _caller(path: str, head: str, call: str) -> Callable[..., Files]:
    """A file at `path`: `head`, a prelude, then `call` with its env written as given."""
    def make(env: str, prelude: str = "") -> Files:
        return {path: head + prelude + call.format(env=env)}
    return make


_py = _caller("agent.py", _PY, _PY_CALL)


_PY_ATTEMPTS = {
    "fstring-literal": _py(f'{{"ACME_API_KEY": f"{{\'{_KEY}\'}}"}}'),
    "concatenated": _py(f'{{"ACME_API_KEY": "{_H1}" + "{_H2}"}}'),
    "dict-call": _py(f'dict(ACME_API_KEY="{_KEY}", PATH=os.environ["PATH"])'),
    "or-fallback": _py(f'{{"ACME_API_KEY": os.getenv("ACME_API_KEY") or "{_KEY}"}}'),
    "if-branch": _py(f'{{"ACME_API_KEY": os.environ["ACME_API_KEY"] if os.getenv("CI") else "{_KEY}"}}'),
    "fstring-key": _py(f'{{f"ACME_API_KEY": "{_KEY}"}}'),
    "joined-key": _py(f'{{"ACME_" + "API_KEY": "{_KEY}"}}'),
    "alias": {"agent.py": "from mcp import StdioServerParameters as Params\n"
              f'p = Params(command="npx", args=["acme-mcp"], env={{"ACME_API_KEY": "{_KEY}"}})\n'},
    "assigned-alias": {"agent.py": "import mcp\nParams = mcp.StdioServerParameters\n"
                       f'p = Params(command="npx", env={{"ACME_API_KEY": "{_KEY}"}})\n'},
    "constant": _py('{"ACME_API_KEY": ACME_KEY}', f'ACME_KEY = "{_KEY}"\n'),
    "constant-in-fstring": {"agent.py": "from mcp.client.streamable_http import streamablehttp_client\n"
                            f'TOKEN = "{_KEY}"\nclient = streamablehttp_client("https://mcp.acme-tools.io/mcp",'
                            ' headers={"Authorization": f"Bearer {TOKEN}"})\n'},
    "bytes-decoded": _py(f'{{"ACME_API_KEY": b"{_KEY}".decode()}}'),
    "stripped": _py(f'{{"ACME_API_KEY": "{_KEY} ".strip()}}'),
    "str-call": _py(f'{{"ACME_API_KEY": str("{_KEY}")}}'),
    "joined-list": _py(f'{{"ACME_API_KEY": "".join(["{_H1}", "{_H2}"])}}'),
    "spread-literal": _py(f'{{**os.environ, **{{"ACME_API_KEY": "{_KEY}"}}}}'),
    "merged": _py(f'dict(os.environ) | {{"ACME_API_KEY": "{_KEY}"}}'),
    "spread-params": {"agent.py": _PY + f'params = dict(command="npx", env=dict(ACME_API_KEY="{_KEY}"))\n'
                      "server = StdioServerParameters(**params)\n"},
    "parameter-default": {"agent.py": _PY + f'def make(env={{"ACME_API_KEY": "{_KEY}"}}):\n'
                          '    return StdioServerParameters(command="npx", env=env)\n'},
    "format": _py(f'{{"ACME_API_KEY": "{{}}{{key}}".format("{_H1}", key="{_H2}")}}'),
    "percent": _py(f'{{"ACME_API_KEY": "%s%s" % ("{_H1}", "{_H2}")}}'),
    "filled-later": {"agent.py": _PY + 'env = {"PATH": os.environ["PATH"]}\n'
                     f'env["ACME_API_KEY"] = "{_KEY}"\n' + _PY_CALL.format(env="env")},
    "updated-later": {"agent.py": _PY + f'env = {{}}\nenv.update(ACME_API_KEY="{_KEY}")\n'
                      + _PY_CALL.format(env="env")},
}


@pytest.mark.parametrize("attempt", sorted(_PY_ATTEMPTS))
def test_python_key_written_as_an_expression_is_found(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_PY_ATTEMPTS[attempt]]), _KEY)


_TS = 'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\n\n'
_TS_CALL = ('const transport = new StdioClientTransport({{ command: "npx", args: ["-y", "acme-mcp"], '
            'env: {env} }});\n')

_ts = _caller("agent.ts", _TS, _TS_CALL)


_TS_ATTEMPTS = {
    "template-literal": _ts(f'{{ ACME_API_KEY: `${{"{_KEY}"}}` }}'),
    "concatenated": _ts(f'{{ ACME_API_KEY: "{_H1}" + "{_H2}" }}'),
    "grouped": _ts(f'{{ ACME_API_KEY: ("{_KEY}") }}'),
    "computed-key": _ts(f'{{ ["ACME_API_KEY"]: "{_KEY}" }}'),
    "string-raw": _ts(f"{{ ACME_API_KEY: String.raw`{_KEY}` }}"),
    "trimmed": _ts(f'{{ ACME_API_KEY: "{_KEY}".trim() }}'),
    "literal-first": _ts(f'{{ ACME_API_KEY: "{_KEY}" || process.env.ACME_API_KEY }}'),
    "ternary": _ts(f'{{ ACME_API_KEY: process.env.CI ? process.env.ACME_API_KEY : "{_KEY}" }}'),
    "object-assign": _ts(f'Object.assign({{}}, process.env, {{ ACME_API_KEY: "{_KEY}" }})'),
    "spread-literal": _ts(f'{{ ...process.env, ...{{ ACME_API_KEY: "{_KEY}" }} }}'),
    "alias": {"agent.ts": "import { StdioClientTransport as Transport } from "
              '"@modelcontextprotocol/sdk/client/stdio.js";\n'
              'const cmd = process.platform === "win32" ? "npx.cmd" : "npx";\n'
              f'const t = new Transport({{ command: cmd, env: {{ ACME_API_KEY: "{_KEY}" }} }});\n'},
    "shorthand-constant": _ts("{ ACME_API_KEY }", f'const ACME_API_KEY = "{_KEY}";\n'),
    "headers-object": {"agent.ts": 'import { StreamableHTTPClientTransport } from "./sdk.js";\n'
                       "const t = new StreamableHTTPClientTransport("
                       'new URL("https://mcp.acme-tools.io/mcp"), '
                       "{ requestInit: { headers: new Headers("
                       f'{{ Authorization: "Bearer {_KEY}" }}) }} }});\n'},
    "escaped-provider-token": {"agent.ts": _TS + 'const t = new StdioClientTransport({ command: "npx", '
                               'args: ["-y", "acme-mcp", "--config", "\\u{67}' + _PAT[1:] + '"] });\n'},
    "constant-in-template": {"agent.ts": "import { StreamableHTTPClientTransport } from "
                             '"@modelcontextprotocol/sdk";\n'
                             f'const KEY = "{_KEY}";\nconst t = new StreamableHTTPClientTransport('
                             'new URL("https://mcp.acme-tools.io/mcp"), '
                             "{ requestInit: { headers: { Authorization: `Bearer ${KEY}` } } });\n"},
}


@pytest.mark.parametrize("attempt", sorted(_TS_ATTEMPTS))
def test_typescript_key_written_as_an_expression_is_found(tmp_path: Path, gh: FakeGitHub,
                                                          attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_TS_ATTEMPTS[attempt]]), _KEY, _PAT)


def test_typescript_escapes_are_decoded_as_javascript_does() -> None:
    text = '"\\x41\\u0042\\u{43}\\uD83D\\uDE00" `\\u0044${"E"}` "\\u12" "\\q"'
    assert [token.text for token in tokenize(text)] == ["ABC\U0001F600", "DE", "u12", "q"]


# --- precision: the same expressions over references, settings and placeholders -------------------

_PY_BENIGN = {"agent.py": _PY + (
    'API_KEY = os.environ["ACME_API_KEY"]\nPLACEHOLDER = "your-api-key-here"\nMODE = "production"\n'
    "def connect(token: str, region: str):\n"
    '    return StdioServerParameters(command="npx", args=["-y", "acme-mcp", "--region", region], env=dict(\n'
    '        ACME_API_KEY=API_KEY, ACME_MODE="prod" if os.getenv("CI") else "dev",\n'
    '        ACME_TOKEN=os.getenv("ACME_TOKEN") or "", ACME_SECRET=PLACEHOLDER, ACME_ENV=MODE.strip(),\n'
    '        ACME_AUTH="Bearer " + token, ACME_URL="https://" + region + ".acme-tools.io/mcp",\n'
    '        ACME_HEADER=f"Bearer {token}", ACME_PATH=os.pathsep.join(["/usr/bin", "/bin"]),\n'
    '        **{f"ACME_{region.upper()}": token}, **{"ACME_HOME": "/opt/acme"}))\n'
    'def make(env=None, extra={"ACME_MODE": "dev"}):\n'
    '    return StdioServerParameters(command="npx", env=(env or {}) | extra | {"ACME_KEY": API_KEY})\n'
    'headers = {"Accept": "application/json"}\n'
    'headers["Authorization"] = "Bearer %s" % os.environ["ACME_TOKEN"]\n'
    'headers.update({"X-Api-Key": "{}".format(API_KEY), "X-Region": "eu-west-1"})\n'
    'remote = StdioServerParameters(command="npx", args=["mcp-remote", "https://mcp.acme-tools.io/mcp"], '
    'env=headers)\n')}
_TS_BENIGN = {"agent.ts": _TS + (
    'const API_KEY = process.env.ACME_API_KEY;\nconst PLACEHOLDER = "your-api-key-here";\n'
    'const BASE = "https://mcp.acme-tools.io";\n'
    "export function connect(token: string, region: string) {\n"
    '  return new StdioClientTransport({ command: process.platform === "win32" ? "npx.cmd" : "npx",\n'
    '    args: ["-y", "acme-mcp", "--url", BASE + "/mcp/" + region], env: { ...process.env, API_KEY,\n'
    '      ACME_MODE: process.env.CI ? "production" : "development", ACME_SECRET: PLACEHOLDER,\n'
    '      ACME_TOKEN: token === "none" ? "" : token, ["ACME_AUTH"]: "Bearer " + token,\n'
    "      ACME_HEADER: `Bearer ${token}`, ACME_KEY: process.env.ACME_KEY ?? \"\",\n"
    "      ...Object.assign({}, { ACME_REGION: region }) } });\n}\n"
    "export const remote = (token: string) => new StreamableHTTPClientTransport(new URL(BASE + \"/mcp\"), "
    "{ requestInit: { headers: new Headers({ Authorization: `Bearer ${token}`, "
    '"X-Api-Key": "\\u0079our-api-key-here" }) } });\n')}


def test_source_expressions_over_references_and_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    _passed(_pr(tmp_path, gh, [{**_PY_BENIGN, **_TS_BENIGN}]))


# --- 15. a source file naming an MCP API but no probe word, in a whole-tree scan ---------------------

_REEXPORTED = {"agent.ts": 'import { StdioClientTransport } from "./sdk.js";\n'
               'const t = new StdioClientTransport({ command: "npx", '
               f'env: {{ ACME_API_KEY: "{_KEY}" }} }});\n',
               "agent.py": "from .sdk import StdioServerParameters\n"
               f'p = StdioServerParameters(command="npx", env={{"ACME_API_KEY": "{_KEY}"}})\n'}


def test_source_naming_an_api_without_a_probe_word_is_read_by_the_cli(tmp_path: Path) -> None:
    # The work-tree listing's git grep kept the file, then the probe dropped it for holding none of
    # the config probe words (`mcp`, `servers`, ...): the SDK imported through a local re-export.
    repo = Repo(tmp_path / "ws")
    repo.commit(_REEXPORTED)
    for target in ([], ["agent.ts"]):
        proc = subprocess.run([sys.executable, "-m", "scanner", "scan", "--no-gitleaks", "--format", "json",
                               *target], cwd=repo.path, capture_output=True, text=True, check=False)
        report = json.loads(proc.stdout)
        assert proc.returncode == 1, proc.stderr
        expected = set(target) or {"agent.py", "agent.ts"}
        assert {f["file"] for f in report["findings"]} == expected
        no_piece(proc.stdout + proc.stderr, _KEY)


def test_source_naming_an_api_without_a_probe_word_is_read_by_a_full_action_scan(tmp_path: Path,
                                                                                 gh: FakeGitHub) -> None:
    repo = Repo(tmp_path / "ws")
    head = repo.commit(_REEXPORTED)
    expect_run(gh)
    result = run(repo.path, tmp_path, "push", {"ref": "refs/heads/main", "after": head}, scan_mode="full")
    assert result.code == 1 and states(gh) == ["failure"], result.log[-1500:]
    no_piece(everything(result, gh), _KEY)


# --- 16. a local module an MCP client file imports the servers / env from --------------------------

_IMPORTER = {"app/agent.py": "from langchain_mcp_adapters.client import MultiServerMCPClient\n"
             "from .servers import SERVERS\nclient = MultiServerMCPClient(SERVERS)\n",
             "app/__init__.py": "",
             "web/agent.ts": "import { StdioClientTransport } from "
             '"@modelcontextprotocol/sdk/client/stdio.js";\n'
             'import { ACME_ENV } from "./env.js";\n'
             'const t = new StdioClientTransport({ command: "npx", args: ["acme-mcp"], env: ACME_ENV });\n'}
_MODULES = {"app/servers.py": 'SERVERS = {"acme": {"command": "npx", "args": ["acme-mcp"], '
            '"env": {"ACME_API_KEY": "%s"}}}\n',
            "web/env.ts": 'export const ACME_ENV = { ACME_API_KEY: "%s", NODE_ENV: "production" };\n'}


@pytest.mark.parametrize("module", sorted(_MODULES))
@pytest.mark.parametrize("alone", [False, True], ids=["with-importer", "changed-alone"])
def test_module_an_mcp_client_file_imports_is_read(tmp_path: Path, gh: FakeGitHub, module: str,
                                                  alone: bool) -> None:
    benign = {path: text % "${ACME_API_KEY}" for path, text in _MODULES.items()}
    secret = {module: _MODULES[module] % _KEY}
    if alone:
        _blocked(_pr(tmp_path, gh, [secret], base={**_IMPORTER, **benign}), _KEY)
    else:
        _blocked(_pr(tmp_path, gh, [{**_IMPORTER, **benign, **secret}]), _KEY)


def test_modules_imported_with_references_and_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    modules = {"app/servers.py": 'import os\nSERVERS = {"acme": {"command": "npx", "args": ["acme-mcp"], '
               '"env": {"ACME_API_KEY": os.environ["ACME_API_KEY"]}}}\nTIMEOUT = "30"\n',
               "web/env.ts": "export const ACME_ENV = { ACME_API_KEY: process.env.ACME_API_KEY ?? \"\", "
               'REGION: "eu-west-1" };\nexport const BASE_URL = "https://mcp.acme-tools.io/mcp";\n'}
    _passed(_pr(tmp_path, gh, [{**_IMPORTER, **modules}]))
