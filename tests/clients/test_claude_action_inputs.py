"""anthropics/claude-code-action inputs beyond `mcp_config` (action.yml): `settings` (inline Claude
Code settings JSON, or a path to one), `plugin_marketplaces` (Git URLs). A literal credential in the
inline JSON or in a marketplace URL is found at the workflow's line; a settings path is read as a
config. Secret-shaped values are built at run time."""

from __future__ import annotations

import json

import pytest

from tests.clients.test_action_metadata import _found, _line_of
from tests.fakes import fake_token

_PAT = fake_token("ghp_", 36, 931)
_WF = ".github/workflows/claude.yml"
_HEAD = ("name: claude\non: [pull_request]\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
         "      - uses: actions/checkout@v4\n      - name: Claude\n        uses: {action}\n        with:\n"
         "          anthropic_api_key: ${{{{ secrets.ANTHROPIC_API_KEY }}}}\n")


def _head(action: str = "anthropics/claude-code-action@v1") -> str:
    return _HEAD.format(action=action)




@pytest.mark.parametrize("action", ["anthropics/claude-code-action@v1",
                                    "anthropics/claude-code-base-action@beta",
                                    "Anthropics/Claude-Code-Action@8f2a1c0"])
def test_inline_settings_env_literal_is_found(action: str) -> None:
    settings = json.dumps({"env": {"GITHUB_TOKEN": _PAT}, "model": "claude-sonnet-4-5"})
    text = _head(action) + f"          settings: '{settings}'\n"
    assert _found({_WF: text}) == [(_WF, _line_of(text, _PAT), "env.GITHUB_TOKEN")]


def test_settings_block_env_literal_is_found_at_its_line() -> None:
    text = (_head() + "          settings: |\n            {\n              \"env\": {\n"
            f"                \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"{_PAT}\"\n              }},\n"
            "              \"enabledMcpjsonServers\": [\"github\"]\n            }\n"
            "          prompt: review\n")
    assert _found({_WF: text}) == [(_WF, _line_of(text, _PAT), "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


@pytest.mark.parametrize("named", [".github/claude/settings.json", "'./ci/claude-settings.json'"])
def test_settings_path_is_read_as_a_config(named: str) -> None:
    rel = named.strip("'").removeprefix("./")
    settings = json.dumps({"env": {"GITHUB_TOKEN": _PAT}})
    files = {_WF: _head() + f"          settings: {named}\n", rel: settings}
    assert _found(files) == [(rel, 1, "env.GITHUB_TOKEN")]


@pytest.mark.parametrize("form", ["inline", "block", "quoted"])
def test_marketplace_url_credential_is_found(form: str) -> None:
    url = f"https://x-access-token:{_PAT}@github.com/acme/claude-plugins.git"
    value = {"inline": url, "quoted": f'"{url}"',
             "block": "|\n            https://github.com/anthropics/claude-code.git\n"
                      f"            {url}"}[form]
    text = _head() + f"          plugin_marketplaces: {value}\n          plugins: review@acme\n"
    assert _found({_WF: text}) == [(_WF, _line_of(text, _PAT), "plugin_marketplaces")]


def test_setup_subaction_marketplaces_credential_is_found() -> None:
    url = f"https://oauth2:{_PAT}@gitlab.com/acme/plugins.git"
    text = _head("anthropics/claude-code-action/setup@beta") + f"          marketplaces: {url}\n"
    assert _found({_WF: text}) == [(_WF, _line_of(text, _PAT), "marketplaces")]


# --- precision ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tail", [
    "          settings: '{\"model\": \"claude-sonnet-4-5\", "
    "\"env\": {\"GITHUB_TOKEN\": \"${{ secrets.GH }}\"}}'\n",
    "          settings: ${{ secrets.CLAUDE_SETTINGS }}\n",
    "          settings: true\n",
    "          settings: .github/absent-settings.json\n",
    "          plugin_marketplaces: https://github.com/anthropics/claude-code.git\n"
    "          plugins: code-review@claude-code-plugins\n",
    "          plugin_marketplaces: |\n            https://github.com/acme/plugins.git\n"
    "            acme/more\n",
    "          plugin_marketplaces: https://<user>:<token>@github.com/acme/plugins.git\n",
])
def test_benign_claude_inputs_pass(tail: str) -> None:
    assert _found({_WF: _head() + tail}) == []


def test_settings_of_another_action_is_not_read_as_claude_settings() -> None:
    settings = json.dumps({"env": {"GITHUB_TOKEN": _PAT}})
    text = _head("acme/deploy-action@v2") + f"          settings: '{settings}'\n          mcp: none\n"
    assert _found({_WF: text}) == []


@pytest.mark.parametrize("separator", [": ", "="])
def test_claude_env_literal_is_found(separator: str) -> None:
    text = (_head() + "          claude_env: |\n            LOG_LEVEL: debug\n"
            f"            GITHUB_TOKEN{separator}{_PAT}\n            SLACK_TOKEN: ${{{{ secrets.SLACK }}}}\n")
    assert _found({_WF: text}) == [(_WF, _line_of(text, _PAT), "claude_env.GITHUB_TOKEN")]


def _prompt_of_input_lines(n: int) -> tuple[str, str]:
    # A claude step whose `prompt: |` block is n lines looking like its inputs: each was looked up
    # by walking up through the block to its key (n * n).
    lines = "".join(f"            settings: '{{\"env\": {{\"K{i}\": \"v\"}}}}'\n"
                    f"            plugin_marketplaces: https://h{i}.example/p.git\n" for i in range(n))
    return _WF, _head() + "          prompt: |\n" + lines + "          settings: '{\"env\": {}}'\n"


def test_input_lookup_work_grows_linearly() -> None:
    from tests.test_linear_work import K, _ratio

    ratio = _ratio(_prompt_of_input_lines, 150)
    assert 0.5 * K <= ratio <= 1.3 * K, f"work grew {ratio:.2f}-fold for a {K}-fold larger input"
