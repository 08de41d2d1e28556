"""Red-team regressions (wave 15): what corpus 10 / fixreview merged last (JetBrains AI XML, .NET
appsettings, Quarkus properties, Claude / Codex managed settings, expands_in). Each drives the Action
against the contract-checked fake GitHub; every secret is built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | workspace.xml, llm.mcpServers.xml: `name="McpProject&#83;erverCommands"`, token `&#..;` | success | a |
| 2 | workspace.xml with a DOCTYPE (refused): token as character references | success (warning) | b |
| 3 | the document element is `<component name="McpProjectServerCommands">` | success | c |
| 4 | appsettings.json: `mcpservers`, `mCPsERVERS` section, `mcpservers:Servers:…` keys | success | d |
| 5 | a file-based project's `acme.iws` (its workspace file) with the component | success | e |
| 6 | entries under `<option name="commands"><list>`, `<list>`, a map's `<entry><value>` | success | f |
| - | an opaque key as character references in a known component, every layout | blocked | - |
| - | workspace.xml in UTF-16 without a BOM (binary to the scan: incomplete) | blocked | - |
| - | .NET `Environment` + `environment`; Quarkus `%prod.`, quoted segments, yaml | blocked | - |
| - | Claude managed-settings(.d) `env`, `apiKeyHelper`; Codex managed_config.toml | blocked | - |
| - | a secret where Claude Code / Cursor / Windsurf do not expand (oauth, auth) | blocked | - |
| - | `.ai/mcp/mcp.json` as lenient Gson reads it (single quotes, bare keys, `=`, `;`) | blocked | - |

Fixes: (a) `clients/__init__.py`: the content-word prefilter reads an XML file with its character
references and predefined entities decoded (before: `&#83;` hid the component name, the file was never
parsed, and the line search cannot read `&#103;…`); (b) `pipeline.py`: an XML options file that names an
MCP component and does not parse is an incomplete scan, not a warning (the IDE's parser may read what the
line search cannot: references, `<env name value>` pairs); (c) `parsing/xml_tree.py` + `clients/
jetbrains.py`: a document element `keep` accepts is read whole, and a `<component>` document element is
that component (IntelliJ loads one-component files so); (d) `clients/sections.py`: for .NET, a key part
(`:`-separated) that is `mcp` + a section word in any case is an MCP section, and the content words are
`mcp` in every case (before: `_MCP_WORD` needed camel case, .NET binds case-insensitively); (e)
`clients/discovery.py`: `*.iws` is a JetBrains candidate (content-confirmed); (f) `clients/jetbrains.py`:
entries are looked for through the XmlSerializer's collection wrappers.
Left open: a workflow in the PR that posts its own `mcp-guard` status (any job with `statuses: write`;
branch protection should pin the check to its app); a .NET section whose name holds no `mcp`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import fake_token
from tests.gh.action_helpers import Files, Repo, git, no_piece
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

GH = fake_token("ghp_", 36, seed=15001)


def _charrefs(value: str) -> str:
    """`value` with every character written as an XML character reference (what the IDE decodes)."""
    return "".join(f"&#{ord(c)};" for c in value)


def _workspace(component: str, token_attr: str, root: str = "project") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} version="4">\n'
            f'  <component name="{component}">\n'
            '    <McpServerCommand>\n'
            '      <option name="name" value="github" />\n'
            '      <option name="programPath" value="npx" />\n'
            '      <option name="arguments" value="-y @modelcontextprotocol/server-github" />\n'
            '      <envs>\n'
            f'        <env name="GITHUB_PERSONAL_ACCESS_TOKEN" value="{token_attr}" />\n'
            '      </envs>\n'
            '    </McpServerCommand>\n'
            '  </component>\n'
            f'</{root}>\n')


@pytest.mark.parametrize("path", [".idea/workspace.xml", "options/llm.mcpServers.xml"])
def test_component_name_written_with_character_references(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    name = "McpProject" + _charrefs("S") + "erverCommands"
    files: Files = {path: _workspace(name, _charrefs(GH))}
    _blocked(_pr(tmp_path, gh, [files]), GH)


def test_token_written_with_character_references(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {".idea/workspace.xml": _workspace("McpProjectServerCommands", _charrefs(GH))}
    _blocked(_pr(tmp_path, gh, [files]), GH)


def test_workspace_with_a_doctype_is_not_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    text = _workspace("McpProjectServerCommands", _charrefs(GH))
    text = text.replace("<project", '<!DOCTYPE project [<!ENTITY x "y">]>\n<project', 1)
    outcome = _pr(tmp_path, gh, [{".idea/workspace.xml": text}])
    assert outcome[0] != 0 and outcome[1] in (["error"], ["failure"]), outcome[2][-1500:]
    no_piece(outcome[2], GH)


def test_component_as_the_document_element(tmp_path: Path, gh: FakeGitHub) -> None:
    text = _workspace("McpProjectServerCommands", _charrefs(GH))
    inner = text.split("\n", 2)[2].rsplit("</project>", 1)[0]
    files: Files = {".idea/workspace.xml": '<?xml version="1.0" encoding="UTF-8"?>\n' + inner}
    _blocked(_pr(tmp_path, gh, [files]), GH)


KEY = fake_token("", 40, seed=15002)


def _dotnet(section: str) -> str:
    return ('{\n  "Logging": {"LogLevel": {"Default": "Information"}},\n'
            f'  "{section}": {{\n    "Servers": {{\n      "acme": {{\n'
            '        "Command": "npx",\n        "Args": ["-y", "acme-mcp"],\n'
            f'        "Environment": {{"ACME_API_KEY": "{KEY}"}}\n      }}\n    }}\n  }}\n}}\n')


@pytest.mark.parametrize("section", ["McpServers", "mcpservers", "Mcpservers", "mCPsERVERS"])
def test_dotnet_section_in_any_case(tmp_path: Path, gh: FakeGitHub, section: str) -> None:
    _blocked(_pr(tmp_path, gh, [{"appsettings.json": _dotnet(section)}]), KEY)


@pytest.mark.parametrize("section", ["McpServers", "mcpservers"])
def test_dotnet_colon_keys(tmp_path: Path, gh: FakeGitHub, section: str) -> None:
    text = ('{\n'
            f'  "{section}:Servers:acme:Command": "npx",\n'
            f'  "{section}:Servers:acme:Environment:ACME_API_KEY": "{KEY}"\n}}\n')
    _blocked(_pr(tmp_path, gh, [{"appsettings.Production.json": text}]), KEY)


_VAR = "ACME_API_KEY"


@pytest.mark.parametrize("prefix, name, var", [("", "acme", _VAR), ("%prod.", "acme", _VAR),
                                               ("%dev,prod.", "acme", _VAR), ("", '"acme"', f'"{_VAR}"'),
                                               ("", '"acme.prod"', f'"{_VAR}"')])
def test_quarkus_profiles_and_quoted_segments(tmp_path: Path, gh: FakeGitHub, prefix: str, name: str,
                                              var: str) -> None:
    key = f"{prefix}quarkus.langchain4j.mcp.{name}"
    text = f"{key}.transport-type=stdio\n{key}.command=npx,acme-mcp\n{key}.environment.{var}={KEY}\n"
    _blocked(_pr(tmp_path, gh, [{"src/main/resources/application.properties": text}]), KEY)


@pytest.mark.parametrize("section", ["Mcphee", "mcpherson", "McpheeSettings:Servers"])
def test_dotnet_lookalike_sections_are_not_read(tmp_path: Path, gh: FakeGitHub, section: str) -> None:
    _passed(_pr(tmp_path, gh, [{"appsettings.json": _dotnet(section)}]))


@pytest.mark.parametrize("value", ["", "<your-api-key>", "YOUR_API_KEY_HERE"])
def test_dotnet_lower_case_section_placeholders_pass(tmp_path: Path, gh: FakeGitHub, value: str) -> None:
    _passed(_pr(tmp_path, gh, [{"appsettings.json": _dotnet("mcpservers").replace(KEY, value)}]))


def test_xml_references_outside_a_component_name_stay_unread(tmp_path: Path, gh: FakeGitHub) -> None:
    """A workspace.xml whose only MCP-looking name is in another component's text is not a config."""
    text = _workspace("ChangeListManager", "x").replace(
        "<McpServerCommand>", '<note text="McpProject&#83;erverCommands" />\n    <McpServerCommand>', 1)
    _passed(_pr(tmp_path, gh, [{".idea/workspace.xml": text}]))


@pytest.mark.parametrize("name, value", [("ChangeListManager", "GH"),
                                         ("McpProjectServerCommands", "${GITHUB_TOKEN}"),
                                         ("McpProjectServerCommands", "your-token-here")])
def test_component_document_element_lookalikes_pass(tmp_path: Path, gh: FakeGitHub, name: str,
                                                     value: str) -> None:
    token = _charrefs(GH) if value == "GH" else value
    inner = _workspace(name, token).split("\n", 2)[2].rsplit("</project>", 1)[0]
    _passed(_pr(tmp_path, gh, [{".idea/workspace.xml": '<?xml version="1.0"?>\n' + inner}]))


def test_workspace_in_utf16_without_a_bom_is_not_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    """The IDE's XML reader detects UTF-16 from `<?xml`; here it is binary content: incomplete."""
    text = _workspace("McpProjectServerCommands", _charrefs(GH)).replace("UTF-8", "UTF-16")
    def step(repo: Repo) -> None:
        (repo.path / ".idea").mkdir()
        (repo.path / ".idea/workspace.xml").write_bytes(text.encode("utf-16-le"))
        repo.commit({})
        git(repo.path, "add", "--", ".idea/workspace.xml")
        git(repo.path, "commit", "-q", "--amend", "--no-edit")

    outcome = _pr(tmp_path, gh, [step])
    assert outcome[0] != 0 and outcome[1] in (["error"], ["failure"]), outcome[2][-1500:]


@pytest.mark.parametrize("path", ["managed-settings.json", "managed-settings.d/10-acme.json"])
def test_claude_managed_settings_env(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    files: Files = {path: '{\n  "env": {\n    "ACME_API_KEY": "' + KEY + '"\n  }\n}\n'}
    _blocked(_pr(tmp_path, gh, [files]), KEY)


def test_codex_managed_config(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {"managed_config.toml": ('[mcp_servers.acme]\ncommand = "npx"\nargs = ["-y", "acme-mcp"]\n'
                                            f'[mcp_servers.acme.env]\nACME_API_KEY = "{KEY}"\n')}
    _blocked(_pr(tmp_path, gh, [files]), KEY)


@pytest.mark.parametrize("path", [".mcp.json", ".cursor/mcp.json", ".codeium/windsurf/mcp_config.json"])
@pytest.mark.parametrize("field", ["oauth", "auth", "top"])
def test_secret_where_the_client_does_not_expand_still_blocks(tmp_path: Path, gh: FakeGitHub, field: str,
                                                              path: str) -> None:
    server = '"command": "npx", "args": ["-y", "acme-mcp"]'
    inner = {"oauth": f', "oauth": {{"clientId": "acme", "clientSecret": "{KEY}"}}',
             "auth": f', "auth": {{"apiKey": "{KEY}"}}', "top": ""}[field]
    top = f', "apiKey": "{KEY}"' if field == "top" else ""
    files: Files = {path: '{"mcpServers": {"acme": {' + server + inner + '}}' + top + '}\n'}
    _blocked(_pr(tmp_path, gh, [files]), KEY)


def test_dotnet_environment_split_across_key_cases(tmp_path: Path, gh: FakeGitHub) -> None:
    """.NET merges `Environment` and `environment` (distinct leaf paths, one section)."""
    split = '"Environment": {"DEBUG": "1"},\n        "environment": {"ACME_API_KEY"'
    text = _dotnet("McpServers").replace('"Environment": {"ACME_API_KEY"', split)
    _blocked(_pr(tmp_path, gh, [{"appsettings.json": text}]), KEY)



@pytest.mark.parametrize("path", ["src/main/resources/application-prod.properties",
                                  "src/main/resources/application.yaml", "config/application.yml"])
def test_quarkus_other_config_files(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    if path.endswith(".properties"):
        text = ("quarkus.langchain4j.mcp.acme.transport-type=stdio\n"
                "quarkus.langchain4j.mcp.acme.command=npx\n"
                f"quarkus.langchain4j.mcp.acme.environment.ACME_API_KEY={KEY}\n")
    else:
        text = ("quarkus:\n  langchain4j:\n    mcp:\n      acme:\n        transport-type: stdio\n"
                f"        command: npx\n        environment:\n          ACME_API_KEY: {KEY}\n")
    _blocked(_pr(tmp_path, gh, [{path: text}]), KEY)


def _entry(body: str) -> Files:
    return {"options/llm.mcpServers.xml": (
        '<application>\n  <component name="McpApplicationServerCommands">\n    <commands>\n'
        '      <McpServerConfigurationProperties>\n        <option name="name" value="acme" />\n'
        f'{body}      </McpServerConfigurationProperties>\n'
        '    </commands>\n  </component>\n</application>\n')}


_LAYOUTS = {
    "envs": '<option name="command" value="npx" />\n<envs><env value="{k}" name="ACME_API_KEY" /></envs>\n',
    "env-map": '<option name="command" value="npx" />\n<option name="env"><map>'
               '<entry key="ACME_API_KEY" value="{k}" /></map></option>\n',
    "headers": '<option name="url" value="https://mcp.acme-corp.com/mcp" />\n<option name="headers"><map>'
               '<entry key="Authorization" value="Bearer {k}" /></map></option>\n',
    "url-query": '<option name="url" value="https://mcp.acme-corp.com/mcp?api_key={k}" />\n',
    "arguments": '<option name="programPath" value="npx" />\n'
                 '<option name="arguments" value="-y acme-mcp --api-key &quot;{k}&quot;" />\n',
    "args-list": '<option name="command" value="npx" />\n<option name="args"><list>'
                 '<option value="--api-key" /><option value="{k}" /></list></option>\n',
}


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_jetbrains_opaque_key_layouts(tmp_path: Path, gh: FakeGitHub, layout: str) -> None:
    _blocked(_pr(tmp_path, gh, [_entry(_LAYOUTS[layout].format(k=_charrefs(KEY)))]), KEY)


@pytest.mark.parametrize("path", ["acme.iws", "ide/Acme.IWS"])
def test_file_based_project_workspace(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    """A file-based IntelliJ project (`acme.ipr`) keeps its workspace components in `acme.iws`."""
    files: Files = {path: _workspace("McpProjectServerCommands", "x").replace('value="x"', f'value="{KEY}"'),
                    path.rsplit(".", 1)[0] + ".ipr": '<?xml version="1.0"?>\n<project version="4" />\n'}
    _blocked(_pr(tmp_path, gh, [files]), KEY)


def test_iws_without_an_mcp_component_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    text = _workspace("RunManager", "x").replace('value="x"', f'value="{KEY}"')
    _passed(_pr(tmp_path, gh, [{"acme.iws": text}]))


_ENTRY_BODY = ('<McpServerCommand>\n<option name="name" value="acme" />\n'
               '<option name="programPath" value="npx" />\n'
               '<envs><env name="ACME_API_KEY" value="{k}" /></envs>\n</McpServerCommand>\n')


@pytest.mark.parametrize("wrap", ['<option name="commands"><list>{e}</list></option>',
                                  "<commands><list>{e}</list></commands>", "<list>{e}</list>",
                                  '<option name="servers"><map><entry key="acme"><value>{e}</value></entry>'
                                  '</map></option>'])
def test_entries_in_serializer_wrappers(tmp_path: Path, gh: FakeGitHub, wrap: str) -> None:
    """IntelliJ's XmlSerializer writes a collection field as `<option name><list>…`: the same entries."""
    text = ('<application>\n  <component name="McpApplicationServerCommands">\n'
            + wrap.format(e=_ENTRY_BODY.format(k=KEY)) + '\n  </component>\n</application>\n')
    _blocked(_pr(tmp_path, gh, [{"options/llm.mcpServers.xml": text}]), KEY)


def test_wrapped_state_only_entries_and_other_components_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    state = ('<McpServerCommand>\n<option name="name" value="acme" />\n'
             '<option name="enabled" value="true" />\n</McpServerCommand>')
    text = ('<application>\n  <component name="McpApplicationServerCommands">\n'
            f'<option name="commands"><list>{state}</list></option>\n  </component>\n'
            '  <component name="OtherSettings">\n'
            f'<option name="commands"><list>{_ENTRY_BODY.format(k=KEY)}</list></option>\n'
            '  </component>\n</application>\n')
    _passed(_pr(tmp_path, gh, [{"options/llm.mcpServers.xml": text}]))


@pytest.mark.parametrize("helper", ["echo {k}", "printf %s '{k}'", 'echo -n \\"{k}\\"'])
def test_managed_settings_api_key_helper_literal(tmp_path: Path, gh: FakeGitHub, helper: str) -> None:
    files: Files = {"managed-settings.d/20-key.json": '{"apiKeyHelper": "' + helper.format(k=KEY) + '"}\n'}
    _blocked(_pr(tmp_path, gh, [files]), KEY)


_LENIENT = ["{{'mcpServers': {{acme: {{command: 'npx', env: {{ACME_API_KEY: '{k}'}}}}}}}}",
            "{{mcpServers: {{acme: {{command = npx; env = {{ACME_API_KEY = {k}}}}}}}}}"]


@pytest.mark.parametrize("body", _LENIENT)
def test_jetbrains_mcp_json_as_lenient_gson_reads_it(tmp_path: Path, gh: FakeGitHub, body: str) -> None:
    _blocked(_pr(tmp_path, gh, [{".ai/mcp/mcp.json": body.format(k=KEY) + "\n"}]), KEY)
