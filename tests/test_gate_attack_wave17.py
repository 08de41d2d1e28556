"""Red-team regressions (wave 17): the readers added last (workflow step env, Python / TypeScript
source), the credential-name grammar, encodings and files the discovery lists. Each drives the Action
against the contract-checked fake GitHub; every secret is built at run time (an opaque 40-character
key under a credential name: no provider shape, so only the reader's value can find it).

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | workflow step `env: {ACME_API_KEY: <key>}` (flow), `"env":`, `env: &e` / `*e` | success | a |
| 2 | workflow step env value as a block scalar (`>-`) or a plain scalar below its key | success | a |
| 3 | the job's / the workflow's `env:` of a job whose step starts the server | success | a |
| 4 | `uses: docker://ghcr.io/github/github-mcp-server`, job `container:` / `services:` env | success | a |
| 5 | `run: KEY=<key> npx …`, `export KEY=…`, an earlier `echo "KEY=<key>" >> $GITHUB_ENV` | success | a |
| - | ... pwsh `$env:KEY = '<key>'`; `${{ matrix.k }}` (also `include`) / `${{ inputs.k }}` | success | a |
| 6 | Python `(k := "<key>")`, `A, B = "<key>", "x"`, `Cfg.KEY` of a class, `dict([("K", …)])` | success | b |
| 7 | TypeScript `const ENV = {ACME_API_KEY: "<key>"}` then `env: ENV`; `["…", "…"].join("")` | success | c |
| 8 | `ACME_CRED(S)`, `ACME_HMAC`, `HUAWEICLOUD_SDK_SK` / `QIANFAN_SK`, `HASHIDS_SALT` | success | d |
| 9 | Argo CD `helm.values` (a block string) / `helm.parameters`; Flux values naming no image | success | e |
| 10 | kustomize `helmCharts[].valuesInline`; helmfile `releases[]` `values`/`set`; `values/` | success | e |
| 11 | env `X_URL=https://mcp…/<token>/sse` (a capability URL); `Authorization: Basic <key>` | success | f |
| 12 | compose / k8s env `SPRING_AI_MCP_CLIENT_…` / `QUARKUS_LANGCHAIN4J_MCP_…` of an app | success | g |
| 13 | `.env` of a server's `cwd` (dotenv reads it); Windsurf / Devin `${file:./keys/k.txt}` | success | h |
| - | Helm values: `<<: *anchor`, `!!str` / `!!binary`, `extraEnvVars` list; Secret `data` | blocked | - |
| - | JSON / YAML duplicate keys (the secret in the first), duplicate `mcpServers` / servers | blocked | - |
| - | Continue `${{ secrets.X }}` with `.continue/.env` / root `.env`; compose `${X}` + `.env` | blocked | - |
| - | Gemini `$X` with `.gemini/.env` / root `.env` | blocked | - |
| - | dotenv CR-only, `export`, `KEY: value`, multi-line quoted, UTF-16 BOM; a NUL | blocked / error | - |
| - | `.CURSOR/MCP.JSON`, `.Cursor/mcp.json`, `.VSCode/MCP.json`, `.Mcp.Json` | blocked | - |
| - | a secret added, then deleted / scrubbed / `git mv`-ed to `notes.txt` by a later commit | blocked | - |
| - | Python `os.environ.get("K", "<key>")`, `getenv` default, `KEY: str = …`, UTF-7 cookie | blocked | - |
| - | TypeScript `??`, `as` / `satisfies` / `!`, `.concat`, `\\` line continuation, comments | blocked | - |
| - | ADO.NET / JDBC / Mongo SRV / rediss / amqps passwords, Azure AccountKey, Basic header | blocked | - |
| - | `sh -c export`, `bash -c K=… cmd`, `cmd /c set`, pwsh `$env:`, `env K=…`, docker `-e` | blocked | - |

Fixes: (a) `clients/step_env.py` `tree_values`: the workflow (or composite action) is read as YAML, as
the runner reads it: a step starting an MCP server (its `run:` by the old rule, or `uses: docker://` of
an MCP server image) hands it its env in any YAML spelling, and the job's and the workflow's `env:` too
(the runner gives them to every step); a job `container:` / `services:` entry running an MCP server
image has its own `env:`; the shell assignments of that job's scripts (a prefix, `export`, a
`$GITHUB_ENV` line, pwsh `$env:K = …`) are env too, and an env value `${{ matrix.X }}` / `${{ inputs.X
}}` is the literal matrix entry / input default it names (before: a regex over lines read only a step's
own block `env:` of plain `NAME: value` lines); the line reader is kept for a file that is no YAML; (b)
`clients/source_py.py`: a walrus is its value, a tuple assignment binds element-wise, a class attribute
assigned once is `Class.NAME`, `dict([(k, v), …])` its pairs; (c) `clients/source_js.py`: a name
assigned once to an object literal is that object where it is read (`env: ENV`), and `[…].join(sep)` is
its items joined; (d) `names.py`: `CRED` / `CREDS` / `HMAC` are credential words, `SK` / `SALT` when
they end the name; (e) `clients/helm.py`: a release whose chart names an MCP server (Flux
`chart.spec.chart`, Argo `source.chart`, kustomize `helmCharts[].name`, helmfile `chart`) configures
that server with its values though they name no image (the chart does; an `image:` of another program
still opts out); Argo's `helm.values` string is parsed in place and `helm.parameters` / helmfile `set:`
pairs are judged under their path's last part; kustomize `helmCharts` and helmfile `releases` are read
(`helmfile.yaml` is a manifest name now, clients/discovery.py), and a YAML of a `values/` folder is a
values file; (f) `engines/analyze.py`: an env value that is an MCP endpoint URL (path ending `/mcp` or
`/sse`) has its random path / query tokens judged as a `url`'s are, and `engines/uri.py`: a `Basic`
header value that is no base64 `user:password` is the raw key it sends; (g) `clients/docker.py`
`configures_mcp_client`: a compose service or container whose environment sets Spring AI's
(`SPRING_AI_MCP_CLIENT_…`, relaxed binding) or Quarkus LangChain4j's (`QUARKUS_LANGCHAIN4J_MCP_…`) MCP
client settings runs an MCP client: its env is judged (catalog: the compose content words take those
upper-case prefixes); (h) `clients/_files.py`: a server's `cwd` in the repository names `<cwd>/.env`
(Node's dotenv and python-dotenv load it from the working directory), and Windsurf's / Devin's
`${file:path}` (resolved from the project) is read as opencode's `{file:}`.
Left open: a `.env` beside a server's script with no `cwd` (python-dotenv's `find_dotenv` walks up from
the calling file: that depends on the server's code); an MCPB `sensitive` option's default under a name
that says nothing (`k`: read, judged by its name only); JetBrains `<env>` text content and CDATA (the
IDE reads `value` attributes only); Quarkus' `.env` (`QUARKUS_LANGCHAIN4J_MCP_…` in a root `.env`, which
discovery does not list); a TypeScript destructuring (`const { KEY } = { KEY: "…" }`); names in other
languages (`ACME_PASSWORT`, `ACME_CLAVE`), and `*_SESSION`, `*_SIG`, `*_LICENSE`, `*_ACCESS`,
`*_PRIVATE`, `*_AK` (the public half of AK/SK) are no credential words: an opaque value under them
passes (precision: session names, signatures and licence ids are often public settings).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gh.action_helpers import Files, opaque
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

_KEY = opaque(17001)
_H1, _H2 = _KEY[:20], _KEY[20:]
_RUN = "npx -y @modelcontextprotocol/server-github"
_WF = ".github/workflows/mcp.yml"
_JOB = "name: t\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"


# --- 1-4. a workflow's env the runner hands to the MCP server a step starts ------------------------

_WORKFLOWS = {
    "flow": _JOB + f"    steps:\n      - name: s\n        env: {{ACME_API_KEY: {_KEY}}}\n"
                   f"        run: {_RUN}\n",
    "flow-quoted": _JOB + f'    steps:\n      - env: {{"ACME_API_KEY": "{_KEY}"}}\n        run: {_RUN}\n',
    "quoted-key": _JOB + f'    steps:\n      - name: s\n        "env":\n          ACME_API_KEY: {_KEY}\n'
                         f"        run: {_RUN}\n",
    "anchor": _JOB + f"    steps:\n      - name: s\n        env: &e\n          ACME_API_KEY: {_KEY}\n"
                     f"        run: {_RUN}\n",
    "alias": _JOB + f"    steps:\n      - env: &e\n          ACME_API_KEY: {_KEY}\n        run: echo hi\n"
                    f"      - env: *e\n        run: {_RUN}\n",
    "block-scalar": _JOB + f"    steps:\n      - env:\n          ACME_API_KEY: >-\n            {_KEY}\n"
                           f"        run: {_RUN}\n",
    "plain-below": _JOB + f"    steps:\n      - env:\n          ACME_API_KEY:\n            {_KEY}\n"
                          f"        run: {_RUN}\n",
    "job-env": _JOB + f"    env:\n      ACME_API_KEY: {_KEY}\n    steps:\n      - run: npm ci\n"
                      f"      - run: {_RUN}\n",
    "workflow-env": f"name: t\non: push\nenv:\n  ACME_API_KEY: {_KEY}\njobs:\n  t:\n"
                    f"    runs-on: ubuntu-latest\n    steps:\n      - run: {_RUN}\n",
    "docker-step": _JOB + "    steps:\n      - uses: docker://ghcr.io/github/github-mcp-server:latest\n"
                          f"        env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {_KEY}\n",
    "container": _JOB + "    container:\n      image: ghcr.io/github/github-mcp-server\n      env:\n"
                        f"        GITHUB_PERSONAL_ACCESS_TOKEN: {_KEY}\n    steps:\n      - run: echo\n",
    "run-prefix": _JOB + f"    steps:\n      - run: ACME_API_KEY={_KEY} {_RUN}\n",
    "run-export": _JOB + f"    steps:\n      - run: |\n          export ACME_API_KEY='{_KEY}'\n"
                         f"          {_RUN}\n",
    "github-env": _JOB + f'    steps:\n      - run: echo "ACME_API_KEY={_KEY}" >> "$GITHUB_ENV"\n'
                         f"      - run: {_RUN}\n",
    "matrix": "name: t\non: push\njobs:\n  t:\n    strategy:\n      matrix:\n"
              f"        key: [{_KEY}]\n    runs-on: ubuntu-latest\n    steps:\n"
              f"      - env:\n          ACME_API_KEY: ${{{{ matrix.key }}}}\n        run: {_RUN}\n",
    "matrix-include": "name: t\non: push\njobs:\n  t:\n    strategy:\n      matrix:\n        include:\n"
                      f"          - key: {_KEY}\n    runs-on: ubuntu-latest\n    steps:\n"
                      f"      - env:\n          ACME_API_KEY: ${{{{ matrix.key }}}}\n        run: {_RUN}\n",
    "input-default": "name: t\non:\n  workflow_dispatch:\n    inputs:\n      key:\n"
                     f"        default: {_KEY}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                     f"      - env:\n          ACME_API_KEY: ${{{{ inputs.key }}}}\n        run: {_RUN}\n",
    "pwsh": "name: t\non: push\njobs:\n  t:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n"
            f"        run: |\n          $env:ACME_API_KEY = '{_KEY}'\n          {_RUN}\n",
    "service": _JOB + "    services:\n      gh:\n        image: ghcr.io/github/github-mcp-server\n"
                      f"        env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {_KEY}\n"
                      "    steps:\n      - run: echo\n",
}


@pytest.mark.parametrize("shape", sorted(_WORKFLOWS))
def test_workflow_env_reaching_an_mcp_server_blocks(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    _blocked(_pr(tmp_path, gh, [{_WF: _WORKFLOWS[shape]}]), _KEY)


_QUIET_WORKFLOWS = {
    "secrets": _JOB + "    env:\n      ACME_API_KEY: ${{ secrets.ACME_API_KEY }}\n    steps:\n"
                      "      - env: {GITHUB_PERSONAL_ACCESS_TOKEN: '${{ secrets.GH }}'}\n"
                      f"        run: {_RUN}\n",
    "other-job": f"name: t\non: push\njobs:\n  build:\n    env:\n      ACME_API_KEY: {_KEY}\n    steps:\n"
                 f"      - run: npm test\n  serve:\n    steps:\n      - run: {_RUN}\n",
    "no-server": f"name: t\non: push\nenv:\n  ACME_API_KEY: {_KEY}\njobs:\n  t:\n"
                 "    container:\n      image: node:20\n      env: {NODE_ENV: test}\n"
                 "    steps:\n      - uses: docker://alpine:3\n      - run: cd mcp-server && npm test\n",
    "settings": _JOB + "    env:\n      LOG_LEVEL: debug\n      NODE_VERSION: '20'\n    steps:\n"
                       f"      - env: {{TOOLSETS: 'repos,issues'}}\n        run: {_RUN}\n",
    "run-references": _JOB + '    steps:\n      - run: echo "ACME_API_KEY=${{ secrets.K }}" >> $GITHUB_ENV\n'
                             '      - run: |\n          export B_API_KEY="$B"\n'
                             f"          ACME_API_KEY=$K LOG=1 {_RUN}\n",
    "matrix-of-references": "name: t\non: push\njobs:\n  t:\n    strategy:\n      matrix:\n"
                            "        os: [ubuntu-latest, windows-latest]\n    runs-on: ${{ matrix.os }}\n"
                            "    steps:\n      - env:\n          ACME_API_KEY: ${{ secrets.K }}\n"
                            f"          OS: ${{{{ matrix.os }}}}\n        run: {_RUN}\n",
    "run-of-a-job-without-server": _JOB + f"    steps:\n      - run: ACME_API_KEY={_KEY} npm test\n",
}


@pytest.mark.parametrize("shape", sorted(_QUIET_WORKFLOWS))
def test_workflow_env_references_and_other_jobs_pass(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    _passed(_pr(tmp_path, gh, [{_WF: _QUIET_WORKFLOWS[shape]}]))


# --- 5. Python: a value written as an expression the reader did not evaluate ------------------------

_PY = "import os\nfrom mcp import StdioServerParameters\n\n"
_PY_CALL = 'params = StdioServerParameters(command="npx", args=["-y", "acme-mcp"], env={env})\n'


def _py(env: str, prelude: str = "") -> Files:
    return {"agent.py": _PY + prelude + _PY_CALL.format(env=env)}


_PY_ATTEMPTS = {
    "walrus": _py(f'{{"ACME_API_KEY": (key := "{_KEY}")}}'),
    "tuple-assignment": _py('{"ACME_API_KEY": KEY}', f'KEY, REGION = "{_KEY}", "eu-west-1"\n'),
    "class-attribute": _py('{"ACME_API_KEY": Settings.KEY}', f'class Settings:\n    KEY = "{_KEY}"\n'),
    "dict-of-pairs": _py(f'dict([("ACME_API_KEY", "{_KEY}"), ("LOG", "debug")])'),
}


@pytest.mark.parametrize("attempt", sorted(_PY_ATTEMPTS))
def test_python_value_written_as_an_expression_blocks(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_PY_ATTEMPTS[attempt]]), _KEY)


def test_python_expressions_over_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    prelude = ('KEY, REGION = os.environ["ACME_API_KEY"], "eu-west-1"\n'
               'class Settings:\n    KEY = os.environ.get("ACME_API_KEY")\n    KEY2 = "${ACME_API_KEY}"\n')
    env = ('dict([("ACME_API_KEY", Settings.KEY), ("B_API_KEY", (k := os.getenv("B"))), ("C_API_KEY", KEY),'
           ' ("REGION", REGION), ("D_API_KEY", Settings.KEY2)])')
    _passed(_pr(tmp_path, gh, [_py(env, prelude)]))


# --- 6. TypeScript: an env object bound to a name, an array joined ---------------------------------

_TS = 'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\n'


def _ts(env: str, prelude: str = "") -> Files:
    return {"agent.ts": _TS + prelude + "const t = new StdioClientTransport("
            f'{{ command: "npx", args: ["-y", "acme-mcp"], env: {env} }});\n'}


_TS_ATTEMPTS = {
    "named-object": _ts("ENV", f'const ENV = {{ ACME_API_KEY: "{_KEY}" }};\n'),
    "named-object-typed": _ts("ENV", "export const ENV: Record<string, string> = "
                                     f'{{ "ACME_API_KEY": "{_KEY}" }};\n'),
    "array-join": _ts(f'{{ ACME_API_KEY: ["{_H1}", "{_H2}"].join("") }}'),
}


@pytest.mark.parametrize("attempt", sorted(_TS_ATTEMPTS))
def test_typescript_env_bound_to_a_name_blocks(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_TS_ATTEMPTS[attempt]]), _KEY)


def test_typescript_named_objects_of_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    prelude = ('const ENV = { ACME_API_KEY: process.env.ACME_API_KEY ?? "", LOG: "debug" };\n'
               f'let OTHER = {{ ACME_API_KEY: "{_KEY}" }};\nOTHER = {{ ACME_API_KEY: process.env.K }};\n')
    env = '{ ...ENV, B_API_KEY: [process.env.B, "x"].join(""), C: ["a", "b"].join(",") }'
    _passed(_pr(tmp_path, gh, [_ts(env, prelude)]))


# --- 7. credential names the grammar did not know -------------------------------------------------

@pytest.mark.parametrize("name", ["ACME_CRED", "GOOGLE_CREDS", "ACME_HMAC", "HUAWEICLOUD_SDK_SK",
                                  "QIANFAN_SK", "HASHIDS_SALT", "acmeCreds"])
def test_opaque_value_under_a_credential_abbreviation_blocks(tmp_path: Path, gh: FakeGitHub,
                                                              name: str) -> None:
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={name: _KEY})}]), _KEY)


@pytest.mark.parametrize(("name", "value"), [
    ("GOOGLE_CREDS", "/home/dev/.config/gcloud/creds.json"), ("ACME_CREDS_FILE", "./creds.json"),
    ("HMAC_ALGORITHM", "sha256"), ("SALT_ROUNDS", "12"), ("ACME_SK_REGION", "cn-north-4"),
    ("TASK", "build-and-deploy-20"), ("DESK", "front-desk-eu-west-01"), ("QIANFAN_SK", "${QIANFAN_SK}"),
    ("ACME_CREDS", "your-credentials-here"),
])
def test_settings_beside_those_names_pass(tmp_path: Path, gh: FakeGitHub, name: str, value: str) -> None:
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={name: value})}]))


# --- 8. Helm values the GitOps resources and tools around a chart hold ----------------------------

_ARGO = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: github-mcp\nspec:\n"
         "  source:\n    repoURL: https://charts.example.com\n    chart: {chart}\n    helm:\n")
_FLUX = ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: github-mcp\nspec:\n"
         "  chart:\n    spec:\n      chart: {chart}\n  values:\n")


def _releases(value: str, chart: str = "github-mcp-server") -> dict[str, Files]:
    return {
        "argo-values-string": {"deploy/argo/github-mcp.yaml": _ARGO.format(chart=chart)
                               + "      values: |\n        env:\n"
                               f"          GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n      releaseName: gh\n"},
        "argo-parameters": {"deploy/argo/github-mcp.yaml": _ARGO.format(chart=chart)
                            + "      parameters:\n        - name: env.GITHUB_PERSONAL_ACCESS_TOKEN\n"
                            f"          value: {value}\n"},
        "flux-chart-values": {"deploy/flux/github-mcp.yaml": _FLUX.format(chart=chart)
                              + f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n"},
        "kustomize-helm-charts": {"deploy/kustomization.yaml": f"helmCharts:\n  - name: {chart}\n"
                                  "    repo: https://charts.example.com\n    valuesInline:\n"
                                  f"      env:\n        GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n"},
        "helmfile-values": {"helmfile.yaml": f"releases:\n  - name: gh\n    chart: acme/{chart}\n"
                            f"    values:\n      - env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n"},
        "helmfile-set": {"helmfile.yaml": f"releases:\n  - name: gh\n    chart: acme/{chart}\n    set:\n"
                         f"      - name: env.ACME_API_KEY\n        value: {value}\n"},
        "values-folder": {"deploy/values/prod.yaml": "image:\n"
                          "  repository: ghcr.io/github/github-mcp-server\n"
                          f"env:\n  GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n"},
    }


@pytest.mark.parametrize("shape", sorted(_releases("")))
def test_values_of_an_mcp_chart_outside_a_values_file_block(tmp_path: Path, gh: FakeGitHub,
                                                             shape: str) -> None:
    _blocked(_pr(tmp_path, gh, [_releases(_KEY)[shape]]), _KEY)


@pytest.mark.parametrize("shape", sorted(_releases("")))
def test_references_in_those_values_pass(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    _passed(_pr(tmp_path, gh, [_releases("'${GITHUB_TOKEN}'")[shape]]))


@pytest.mark.parametrize("shape", ["argo-parameters", "flux-chart-values", "helmfile-set"])
def test_values_of_a_chart_that_runs_no_mcp_server_pass(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    _passed(_pr(tmp_path, gh, [_releases(_KEY, chart="ingress-nginx")[shape]]))


# --- 10. a capability URL in an env value; a raw key after `Basic` ---------------------------------

def _remote(headers: dict[str, str]) -> str:
    return json.dumps({"mcpServers": {"acme": {"url": "https://mcp.acme-tools.io/mcp", "headers": headers}}})


_ENDPOINT = f"https://mcp.acme-tools.io/{_KEY}/sse"
_URL_AND_HEADER_ATTEMPTS: dict[str, Files] = {
    "env-endpoint-url": {".cursor/mcp.json": _servers(env={"ACME_MCP_URL": _ENDPOINT})},
    "env-endpoint-url-plain-name": {".cursor/mcp.json": _servers(
        env={"SERVER": _ENDPOINT.replace("/sse", "/mcp")})},
    "proxy-authorization-basic": {".cursor/mcp.json": _remote({"Proxy-Authorization": f"Basic {_KEY}"})},
    "authorization-basic": {".cursor/mcp.json": _remote({"Authorization": f"Basic {_KEY}"})},
}


@pytest.mark.parametrize("attempt", sorted(_URL_AND_HEADER_ATTEMPTS))
def test_capability_url_in_env_and_raw_basic_key_block(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_URL_AND_HEADER_ATTEMPTS[attempt]]), _KEY)


@pytest.mark.parametrize("value", [
    "https://mcp.acme-tools.io/v1/sse", "https://mcp.acme-tools.io/3f2a9c1e-6b4d-4e8a-9f1c-2d7b8e0a5c31/mcp",
    "https://api.acme-tools.io/" + _KEY,  # not an MCP endpoint: a path the env names for other use
])
def test_env_urls_without_a_capability_token_pass(tmp_path: Path, gh: FakeGitHub, value: str) -> None:
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={"ACME_MCP_URL": value})}]))


@pytest.mark.parametrize("value", ["Basic ${ACME_BASIC}", "Basic <base64 user:password>",
                                   "Basic YOUR_CREDENTIALS", "Basic realm", "Basic dXNlcjo="])
def test_basic_header_placeholders_pass(tmp_path: Path, gh: FakeGitHub, value: str) -> None:
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _remote({"Authorization": value})}]))


# --- 12. an application's MCP client configured through its environment --------------------------

_DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: agent\nspec:\n  template:\n"
           "    spec:\n      containers:\n        - name: agent\n          image: acme/agent:1.4\n"
           "          env:\n")
_CLIENT_ENV = {
    "spring-compose-map": {"docker-compose.yml": "services:\n  app:\n    image: acme/agent\n"
                           "    environment:\n"
                           "      SPRING_AI_MCP_CLIENT_STDIO_CONNECTIONS_ACME_ENV_ACME_API_KEY: {v}\n"},
    "spring-compose-list": {"compose.yaml": "services:\n  app:\n    image: acme/agent\n"
                            "    environment:\n"
                            "      - SPRING_AI_MCP_CLIENT_STDIO_CONNECTIONS_ACME_COMMAND=npx\n"
                            "      - ACME_API_KEY={v}\n"},
    "quarkus-deployment": {"k8s/agent.yaml": _DEPLOY + "            - name: "
                           "QUARKUS_LANGCHAIN4J_MCP_ACME_ENVIRONMENT_ACME_API_KEY\n"
                           "              value: {v}\n"},
}


@pytest.mark.parametrize("shape", sorted(_CLIENT_ENV))
def test_mcp_client_settings_in_a_containers_environment_block(tmp_path: Path, gh: FakeGitHub,
                                                                shape: str) -> None:
    files = {path: text.format(v=_KEY) for path, text in _CLIENT_ENV[shape].items()}
    _blocked(_pr(tmp_path, gh, [files]), _KEY)


@pytest.mark.parametrize("shape", sorted(_CLIENT_ENV))
def test_mcp_client_settings_from_references_pass(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    files = {path: text.format(v="${ACME_API_KEY}") for path, text in _CLIENT_ENV[shape].items()}
    _passed(_pr(tmp_path, gh, [files]))


def test_a_service_without_mcp_client_settings_is_not_read(tmp_path: Path, gh: FakeGitHub) -> None:
    compose = ("services:\n  app:\n    image: acme/web\n    environment:\n"
               f"      SPRING_DATASOURCE_URL: jdbc:h2:mem\n      ACME_API_KEY: {_KEY}\n")
    _passed(_pr(tmp_path, gh, [{"docker-compose.yml": compose}]))


# --- 13. files a server or client reads into its environment ----------------------------------------

def test_dotenv_in_the_servers_working_directory_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    """dotenv (`require("dotenv").config()`) and python-dotenv read `.env` of the working directory."""
    server = {"command": "npx", "args": ["acme-mcp"], "cwd": "tools/acme"}
    config = json.dumps({"mcpServers": {"acme": server}})
    files: Files = {".cursor/mcp.json": config, "tools/acme/.env": f"ACME_API_KEY={_KEY}\n"}
    _blocked(_pr(tmp_path, gh, [files]), _KEY)


@pytest.mark.parametrize("path", [".windsurf/mcp.json", ".devin/mcp_config.json"])
def test_file_interpolation_reads_the_file(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    config = json.dumps({"mcpServers": {"acme": {"command": "npx", "env": {
        "ACME_API_KEY": "${file:./keys/acme.txt}"}}}})
    _blocked(_pr(tmp_path, gh, [{path: config, "keys/acme.txt": _KEY + "\n"}]), _KEY)


def test_working_directory_and_file_interpolation_lookalikes_pass(tmp_path: Path,
                                                                  gh: FakeGitHub) -> None:
    cursor = json.dumps({"mcpServers": {"acme": {"command": "npx", "cwd": "${workspaceFolder}/tools/acme"}}})
    windsurf = json.dumps({"mcpServers": {"acme": {"command": "npx", "env": {
        "ACME_API_KEY": "${env:ACME}", "README": "{file:./keys/acme.txt}"}}}})
    files: Files = {".cursor/mcp.json": cursor, ".windsurf/mcp.json": windsurf,
                    "keys/acme.txt": "replace-me\n",
                    "tools/acme/.env": "ACME_API_KEY=${ACME_API_KEY}\nLOG=debug\n"}
    _passed(_pr(tmp_path, gh, [files]))


def test_dotenv_of_a_working_directory_changed_alone_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    """The fast gate (gh/events.py) follows the folder a `cwd` names to the `.env` changed in it."""
    server = {"command": "npx", "args": ["acme-mcp"], "cwd": "tools/acme"}
    base: Files = {"README.md": "hi\n", ".cursor/mcp.json": json.dumps({"mcpServers": {"acme": server}})}
    _blocked(_pr(tmp_path, gh, [{"tools/acme/.env": f"ACME_API_KEY={_KEY}\n"}], base=base), _KEY)
