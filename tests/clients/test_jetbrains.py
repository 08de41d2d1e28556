"""JetBrains AI Assistant (real-config corpus 10): MCP servers kept in the IDE's XML options
(`options/llm.mcpServers.xml`), in a project's committed `.idea/workspace.xml` (Rider:
`.idea/.idea.<Solution>/.idea/workspace.xml`) and in `.ai/mcp/mcp.json` (2025.3+, `mcpServers` or
the bare map). Layouts follow the plugin's persisted state as committed files show it. Only the MCP
component is read; XML with a DOCTYPE is refused. Every secret is built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.errors import ParseError
from scanner.model import Client, FileFormat
from scanner.parsing import parse_xml
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

GH = fake_token("ghp_", 36, seed=1001)
SLACK = "xoxb-" + "1234567890" + "12-" + "1234567890123-" + fake_token("", 24, seed=1002)
BEARER = fake_token("", 40, seed=1003)


def scan(files: dict[str, str]) -> ScanResult:
    return scan_files({k: v.encode() for k, v in files.items()},
                      ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))


def secret_hits(files: dict[str, str]) -> set[tuple[str, int, int, str, str, str]]:
    return {(f.file, f.line, f.column, f.client, f.server or "", f.field or "")
            for f in scan(files).findings if f.rule_id.startswith("MCPG1")}


def at(text: str, value: str) -> tuple[int, int]:
    """1-based (line, column) of the quote before `value` in `text`."""
    for number, line in enumerate(text.splitlines(), 1):
        if value in line:
            return number, line.index(value)  # the quote is one column before: index is 0-based
    raise AssertionError("value not in text")


WORKSPACE_2025_1 = """<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="ChangeListManager">
    <list default="true" id="3f0e1c2a-5b7d-4e8f-9a01-23456789abcd" name="Changes" comment="" />
  </component>
  <component name="McpProjectServerCommands">
    <McpServerCommand sourceId="UserConfigurationSource">
      <option name="allowedToolsNames" />
      <option name="enabled" value="true" />
      <option name="name" value="github" />
      <option name="programPath" value="npx" />
      <option name="arguments" value="-y @modelcontextprotocol/server-github" />
      <envs>
        <env name="GITHUB_PERSONAL_ACCESS_TOKEN" value="{gh}" />
      </envs>
    </McpServerCommand>
  </component>
</project>
"""

OPTIONS_LISTS = """<application>
  <component name="McpApplicationServerCommands" modifiable="true">
    <commands>
      <McpServerCommand>
        <option name="name" value="slack" />
        <option name="command" value="node" />
        <option name="args">
          <list>
            <option value="/opt/slack-mcp/index.js" />
          </list>
        </option>
        <envs><env name="SLACK_BOT_TOKEN" value="{slack}" /></envs>
      </McpServerCommand>
    </commands>
    <urls>
      <McpServerURL sourceId="UserConfigurationSource">
        <option name="name" value="remote" />
        <option name="url" value="https://mcp.example-tools.dev/mcp" />
        <option name="headers">
          <map>
            <entry key="Authorization" value="Bearer {bearer}" />
          </map>
        </option>
      </McpServerURL>
    </urls>
  </component>
</application>
"""


@pytest.mark.parametrize("path", [
    ".idea/workspace.xml", "app/.idea/workspace.xml", ".idea/.idea.Shop/.idea/workspace.xml",
    "JetBrains/IntelliJIdea2025.2/options/llm.mcpServers.xml",
    ".config/JetBrains/PyCharm2025.1/options/llm.mcpServers.xml",
])
def test_jetbrains_xml_paths_are_candidates(path: str) -> None:
    found = classify_path(path)
    assert found is not None and found.hints == (Client.JETBRAINS,) and found.fmt is FileFormat.XML
    assert found.generic  # only read when the text names the MCP component


@pytest.mark.parametrize("path", [".ai/mcp/mcp.json", "service/.ai/mcp/mcp.json"])
def test_ai_mcp_json_is_jetbrains(path: str) -> None:
    found = classify_path(path)
    assert found is not None and found.hints == (Client.JETBRAINS,) and not found.generic


@pytest.mark.parametrize("path", ["pom.xml", "app/src/main/AndroidManifest.xml", ".idea/misc.xml",
                                  "options/other.xml", "idea/workspace.xml.txt", "mcp.xml"])
def test_other_xml_files_are_not_candidates(path: str) -> None:
    assert classify_path(path) is None


def test_workspace_xml_2025_1_layout_env_literal_is_found_at_its_value() -> None:
    text = WORKSPACE_2025_1.format(gh=GH)
    line, column = at(text, GH)
    assert secret_hits({".idea/workspace.xml": text}) == {
        (".idea/workspace.xml", line, column, "jetbrains-ai", "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}


def test_options_xml_commands_and_urls_layout_env_and_headers() -> None:
    path = "JetBrains/IntelliJIdea2025.2/options/llm.mcpServers.xml"
    text = OPTIONS_LISTS.format(slack=SLACK, bearer=BEARER)
    result = scan({path: text})
    hits = {(f.line, f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")}
    assert hits == {(at(text, SLACK)[0], "slack", "env.SLACK_BOT_TOKEN"),
                    (at(text, BEARER)[0], "remote", "headers.Authorization")}
    servers = {s.name: s for config in result.configs for s in config.servers}
    assert servers["slack"].command is not None and servers["slack"].command.text == "node"
    assert [a.text for a in servers["slack"].args] == ["/opt/slack-mcp/index.js"]
    assert servers["remote"].url is not None and servers["remote"].url.text.startswith("https://mcp.")


def test_rider_solution_workspace_and_token_in_the_arguments_line() -> None:
    path = ".idea/.idea.Shop/.idea/workspace.xml"
    text = f"""<project version="4">
  <component name="McpProjectServerCommands">
    <McpServerCommand sourceId="UserConfigurationSource">
      <option name="name" value="gh" />
      <option name="programPath" value="npx.cmd" />
      <option name="arguments" value="-y server-github --token {GH}" />
      <envs />
    </McpServerCommand>
  </component>
</project>
"""
    line, column = at(text, GH)
    assert secret_hits({path: text}) == {(path, line, column + 1, "jetbrains-ai", "gh", "args[3]")}


def test_ai_mcp_json_with_and_without_mcpservers() -> None:
    wrapped = '{"mcpServers": {"remote": {"url": "https://mcp.example-tools.dev/mcp",\n' \
              f'  "headers": {{"Authorization": "Bearer {BEARER}"}}}}}}}}\n'
    bare = f'{{"github": {{"command": "npx",\n  "env": {{"GITHUB_TOKEN": "{GH}"}}}}}}\n'
    hits = secret_hits({"a/.ai/mcp/mcp.json": wrapped, "b/.ai/mcp/mcp.json": bare})
    assert {(h[0], h[1], h[3], h[4]) for h in hits} == {("a/.ai/mcp/mcp.json", 2, "jetbrains-ai", "remote"),
                                                        ("b/.ai/mcp/mcp.json", 2, "jetbrains-ai", "github")}


# --- lookalikes --------------------------------------------------------------------------------

def test_workspace_xml_without_mcp_component_is_not_read() -> None:
    text = f"""<project version="4">
  <component name="RunManager">
    <configuration name="app" type="Application">
      <option name="name" value="run" />
      <option name="programPath" value="/bin/app" />
      <envs><env name="API_TOKEN" value="{GH}" /></envs>
    </configuration>
  </component>
  <component name="ProjectId" id="3A52S0BPtVg8C2w1zmS8aV7UZ7a" />
</project>
"""
    result = scan({".idea/workspace.xml": text})
    assert result.findings == [] and result.scanned_files == [] and result.errors == []


def test_run_configuration_beside_the_mcp_component_is_no_server() -> None:
    """A run configuration's `<envs>` is IDE state, not an MCP server's environment: only the MCP
    component's entries become servers (a provider-shaped token elsewhere in the text is still
    reported by the line search every read config gets, as text, never as a server's env)."""
    plain = fake_token("", 32, seed=1004)
    text = WORKSPACE_2025_1.format(gh="&lt;your-token&gt;").replace(
        '<component name="ChangeListManager">',
        f'<component name="RunManager"><envs><env name="API_TOKEN" value="{plain}" /></envs></component>\n'
        '  <component name="ChangeListManager">')
    result = scan({".idea/workspace.xml": text})
    assert [s.name for c in result.configs for s in c.servers] == ["github"]
    assert not any(f.rule_id.startswith("MCPG1") for f in result.findings)


def test_empty_and_state_only_components_declare_no_server() -> None:
    text = """<project version="4">
  <component name="McpProjectServerCommands">
    <commands>
      <McpServerConfigurationProperties>
        <option name="allowedToolsNames" />
        <option name="enabled" value="true" />
        <option name="name" value="agency-agents" />
      </McpServerConfigurationProperties>
    </commands>
    <urls />
  </component>
</project>
"""
    result = scan({".idea/workspace.xml": text})
    assert result.findings == [] and result.errors == []
    assert [s for c in result.configs for s in c.servers] == []


def test_escaped_placeholder_is_not_a_secret() -> None:
    text = WORKSPACE_2025_1.format(gh="&lt;your-github-token&gt;")
    result = scan({".idea/workspace.xml": text})
    assert not any(f.rule_id.startswith("MCPG1") for f in result.findings)
    servers = [s for c in result.configs for s in c.servers]
    assert [v.text for v in servers[0].env] == ["<your-github-token>"]


def test_other_xml_with_mcp_words_is_not_scanned() -> None:
    text = f'<project><artifactId>mcp-server</artifactId><token>{GH}</token></project>\n'
    result = scan({"pom.xml": text, "src/main/resources/mcp.xml": text})
    assert result.findings == [] and result.scanned_files == []


def test_entity_expansion_is_refused_and_other_files_keep_their_findings() -> None:
    bomb = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<project><component name="McpProjectServerCommands"><McpServerCommand>
<option name="name" value="x" /><option name="programPath" value="&lol2;" />
</McpServerCommand></component></project>
"""
    other = WORKSPACE_2025_1.format(gh=GH)
    result = scan({"a/.idea/workspace.xml": bomb, "b/.idea/workspace.xml": other})
    assert {f.file for f in result.findings if f.rule_id.startswith("MCPG1")} == {"b/.idea/workspace.xml"}
    assert any("DOCTYPE" in str(e) for e in result.errors)
    assert not any(s.command and "lol" in s.command.text for c in result.configs for s in c.servers)


def test_malformed_workspace_xml_is_a_parse_warning_searched_by_line() -> None:
    text = WORKSPACE_2025_1.format(gh=GH).replace("</project>", "")
    result = scan({".idea/workspace.xml": text})
    assert any(e.kind == "parse" for e in result.errors)
    assert any(f.rule_id.startswith("MCPG1") and f.line == at(text, GH)[0] for f in result.findings)


# --- the parser ------------------------------------------------------------------------------

def test_parse_xml_positions_after_non_ascii_text_and_decoded_entities() -> None:
    text = '<a t="é€😀">\n  <b k="x &amp; y" v=\'z\'/>\n</a>\n'
    root = parse_xml(text)
    child = root.get("children").items[0]  # type: ignore[union-attr]
    attrs = child.get("attrs")
    assert attrs is not None
    k, v = attrs.get("k"), attrs.get("v")
    assert k is not None and v is not None
    assert (k.value, k.line, k.column) == ("x & y", 2, 8)
    assert (v.value, v.line, v.column, v.end_column) == ("z", 2, 22, 25)
    first = root.get("attrs").get("t")  # type: ignore[union-attr]
    assert first is not None and (first.line, first.column) == (1, 6)


@pytest.mark.parametrize("declared", ["UTF-16", "ISO-8859-1", "windows-1252", "utf-8"])
def test_parse_xml_reads_the_decoded_text_whatever_the_declaration_says(declared: str) -> None:
    root = parse_xml(f'<?xml version="1.0" encoding="{declared}"?>\n<a v="é€x"/>')
    value = root.get("attrs").get("v")  # type: ignore[union-attr]
    assert value is not None and (value.value, value.line, value.column) == ("é€x", 2, 6)


def test_parse_xml_refuses_doctype_and_deep_nesting() -> None:
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_xml('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>')
    with pytest.raises(ParseError, match="nested"):
        parse_xml("<a>" * 300 + "</a>" * 300)
    with pytest.raises(ParseError, match="well-formed"):
        parse_xml("<a><b></a>")


def test_only_the_mcp_components_of_a_workspace_are_built() -> None:
    """A workspace.xml is mostly other IDE state: its other components are tokenized, never built
    (a 4 MB one took 12 s to scan when every element became a tree)."""
    from scanner.clients.jetbrains import keep_component

    other = '<component name="RunManager">' + '<option name="a" value="b"/>' * 2000 + "</component>\n"
    body = WORKSPACE_2025_1.format(gh=GH).split('<project version="4">\n')[1]
    text = '<project version="4">\n' + other + body
    root = parse_xml(text, keep_component)
    children = root.get("children")
    assert children is not None
    names = [c.get("attrs").get("name").value for c in children.items]  # type: ignore[union-attr]
    assert names == ["McpProjectServerCommands"]
    assert secret_hits({".idea/workspace.xml": text}) == {
        (".idea/workspace.xml", *at(text, GH), "jetbrains-ai", "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}
