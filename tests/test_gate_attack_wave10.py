"""Red-team regressions (wave 10): Markdown front matter fenced as gh-aw reads it (`strings.TrimSpace`
around `---`), and client key words spelt as YAML allows (quoted, indented, in a flow mapping, split by
an escaped line break) in files read only when their text holds such a word. Each drives the Action
against the contract-checked fake GitHub; every secret is built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gh.action_helpers import (
    Files,
    Repo,
    everything,
    expect_run,
    git,
    mcp_config,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

_ON = "on:\n  issues:\n    types: [opened]\npermissions:\n  contents: read\n"
_WORKFLOW_MD = ".github/workflows/triage.md"


def _engine(value: str) -> str:
    return f"engine:\n  id: claude\n  env:\n    ACME_API_KEY: {value}\n"


# --- 1. front matter fences gh-aw trims (pkg/parser/frontmatter.go: TrimSpace(line) == "---") ---------

_FENCES = {
    "indented opening": lambda value: " ---\n" + _ON + _engine(value) + "---\nTriage it.\n",
    "opening with a no-break space": lambda value: "---\u00a0\n" + _ON + _engine(value) + "---\nTriage it.\n",
    "indented closing": lambda value: "---\n" + _ON + _engine(value) + "  ---\nTriage it.\n",
    "indented closing, a later column-0 fence": lambda value: ("---\n" + _ON + _engine(value)
                                                              + "  ---\nTriage it.\n\n---\nThanks.\n"),
}


@pytest.mark.parametrize("fence", sorted(_FENCES))
def test_front_matter_fenced_as_gh_aw_trims_it_is_read(tmp_path: Path, gh: FakeGitHub, fence: str) -> None:
    secret = _opaque(10101)
    _blocked(_pr(tmp_path, gh, [{_WORKFLOW_MD: _FENCES[fence](secret)}]), secret)


def test_front_matter_fenced_loosely_with_references_and_markdown_rules_pass(tmp_path: Path,
                                                                             gh: FakeGitHub) -> None:
    # A workflow reading its secret, and a README whose body (no front matter: its first line is
    # text) shows a sample between `---` rules, are no leak.
    sample = _opaque(10102)
    workflow = " ---\n" + _ON + _engine("${{ secrets.ACME_API_KEY }}") + "  ---\nTriage it.\n"
    files: Files = {_WORKFLOW_MD: workflow,
                    ".github/workflows/README.md": f"# Agentic workflows\n\n  ---\n{_engine(sample)}  ---\n"}
    _passed(_pr(tmp_path, gh, [files]))


# --- 2. key words spelt as YAML allows --------------------------------------------------------------


def _split(word: str) -> str:
    """`word` as a double-quoted YAML key broken by an escaped line break (read as `word`)."""
    half = len(word) // 2
    return f'"{word[:half]}\\\n    {word[half:]}"'


_SPELLINGS = {
    "quoted engine key": '"engine":\n  id: claude\n  env:\n    ACME_API_KEY: {value}\n',
    "space before the colon": "engine :\n  id: claude\n  env:\n    ACME_API_KEY: {value}\n",
    "flow mapping": "{{engine: {{id: claude, env: {{ACME_API_KEY: {value}}}}}}}\n",
    "split tools key": _split("tools") + ":\n  github:\n    github-token: {value}\n",
    "split mcp-servers key": _split("mcp-servers") + ":\n  acme:\n    command: npx\n"
                                                     "    env:\n      ACME_API_KEY: {value}\n",
}


@pytest.mark.parametrize("spelling", sorted(_SPELLINGS))
def test_gh_aw_keys_spelt_as_yaml_allows_are_read(tmp_path: Path, gh: FakeGitHub, spelling: str) -> None:
    token = pat(10110)
    front = _SPELLINGS[spelling].format(value=token)
    if spelling == "flow mapping":  # the whole front matter one flow mapping
        front = "{on: {issues: {types: [opened]}}, " + front.lstrip("{")
    else:
        front = _ON + front
    _blocked(_pr(tmp_path, gh, [{_WORKFLOW_MD: "---\n" + front + "---\nTriage it.\n"}]), token)


def test_custom_agent_with_a_split_mcp_servers_key_is_read(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(10111)
    agent = ("---\nname: acme\ndescription: Works on Acme issues\n" + _split("mcp-servers")
             + f":\n  acme:\n    type: local\n    command: npx\n    env:\n      ACME_API_KEY: {secret}\n"
             "---\nDo it.\n")
    _blocked(_pr(tmp_path, gh, [{".github/agents/acme.md": agent}]), secret)


def test_keys_spelt_as_yaml_allows_reading_secrets_and_lookalike_words_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    # The same spellings reading secrets; Markdown files whose words only name the keys in prose or
    # in their body.
    reading = _SPELLINGS["quoted engine key"].format(value="${{ secrets.ACME_API_KEY }}")
    files: Files = {_WORKFLOW_MD: "---\n" + _ON + reading + "---\nTriage it.\n",
                    ".github/workflows/notes.md": ("---\ntitle: \"tools: none, engine: any\"\n---\n"
                                                   f"engine:\n  env:\n    ACME_API_KEY: {_opaque(10112)}\n"),
                    ".github/agents/docs.md": ("---\nname: docs\ndescription: 'mcp-\\\n  servers'\n---\n"
                                               f"Key: {_opaque(10113)}\n")}
    _passed(_pr(tmp_path, gh, [files]))


def test_backslash_ending_a_line_before_a_client_key_keeps_the_key(tmp_path: Path, gh: FakeGitHub) -> None:
    # An unquoted Windows path ending in `\` is no escaped line break: the next line's key stays a key.
    secret = _opaque(10114)
    config = ("cwd: C:\\work\\\nmcpServers:\n  acme:\n    command: npx\n    env:\n"
              f"      ACME_API_KEY: {secret}\n")
    _blocked(_pr(tmp_path, gh, [{"tools/agent-servers.yaml": config}]), secret)


# --- 3. a pull request into the repository's default branch when that is not called `main` ---------

_GUARD = ".github/workflows/mcp-guard.yml"
_GUARD_ENV = {"GITHUB_WORKFLOW_REF": f"o/r/{_GUARD}@refs/pull/7/merge",
              "GITHUB_ACTION_REPOSITORY": "acme/mcp-guard", "GITHUB_JOB": "scan"}


def _guard_workflow(**inputs: str) -> str:
    with_ = "".join(f"          {name}: {value}\n" for name, value in inputs.items())
    # (`edited`: a pull request moved to a production branch is judged again, trust wave 19)
    return ("on:\n  pull_request:\n    types: [opened, synchronize, reopened, edited]\n"
            "jobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - uses: acme/mcp-guard@v1\n"
            + (f"        with:\n{with_}" if with_ else ""))


def _into(tmp_path: Path, gh: FakeGitHub, base_ref: str, default_branch: str, files: Files,
          base: Files | None = None, **inputs: str) -> tuple[int, list[str], str]:
    repo = Repo(tmp_path / "ws")
    repo.commit(base or {"README.md": "hi\n"})
    base_sha = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit(files)
    expect_run(gh)
    payload = pr_payload(base_sha, head, base_ref=base_ref)
    payload["repository"]["default_branch"] = payload["pull_request"]["base"]["repo"]["default_branch"] = \
        default_branch
    result = run(repo.path, tmp_path, "pull_request", payload, _GUARD_ENV, **inputs)
    return result.code, states(gh), everything(result, gh)


@pytest.mark.parametrize("default_branch", ["develop", "trunk"])
def test_secret_merged_into_a_default_branch_of_another_name_blocks(tmp_path: Path, gh: FakeGitHub,
                                                                   default_branch: str) -> None:
    token = pat(10120)
    _blocked(_into(tmp_path, gh, default_branch, default_branch, {".cursor/mcp.json": mcp_config(
        GITHUB_PERSONAL_ACCESS_TOKEN=token)}), token)


def test_default_branch_stays_production_when_the_prs_workflow_names_others(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    # The base copy of the workflow leaves `production-branches` out: its default, the repository's
    # default branch included, is the floor of what the pull request's copy says.
    token = pat(10121)
    files: Files = {_GUARD: _guard_workflow(**{"production-branches": "release/*"}),
                    ".cursor/mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=token)}
    base: Files = {"README.md": "hi\n", _GUARD: _guard_workflow()}
    _blocked(_into(tmp_path, gh, "develop", "develop", files, base=base, production_branches="release/*"),
             token)


def test_pull_request_into_another_branch_only_says_what_would_block(tmp_path: Path, gh: FakeGitHub) -> None:
    config: Files = {".cursor/mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(10122))}
    code, posted, output = _into(tmp_path, gh, "feature/x", "develop", config)
    assert (code, posted) == (0, ["success"]) and "would block a merge into" in output


def test_a_configured_branch_list_leaves_the_default_branch_out(tmp_path: Path, gh: FakeGitHub) -> None:
    # The repository named its production branches (base workflow and PR alike): only those block.
    config: Files = {".cursor/mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(10123))}
    base: Files = {"README.md": "hi\n", _GUARD: _guard_workflow(**{"production-branches": "release/*"})}
    code, posted, output = _into(tmp_path, gh, "develop", "develop", config, base=base,
                                 production_branches="release/*")
    assert (code, posted) == (0, ["success"]) and "would block a merge into release/*" in output


# --- 4. the base's gate as the floor of a workflow file the base does not have ---------------------


def _renamed(tmp_path: Path, gh: FakeGitHub, base_inputs: dict[str, str],
             token: str) -> tuple[int, list[str], str]:
    """A PR that deletes the base's mcp-guard workflow and runs the gate, `fail-on: none`, from a new file."""
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", _GUARD: _guard_workflow(**base_inputs)})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    renamed = ".github/workflows/checks.yaml"
    head = repo.commit({_GUARD: None, renamed: _guard_workflow(**{"fail-on": "none"}),
                        ".cursor/mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=token)})
    expect_run(gh)
    env = {**_GUARD_ENV, "GITHUB_WORKFLOW_REF": f"o/r/{renamed}@refs/pull/7/merge"}
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), env, fail_on="none")
    return result.code, states(gh), everything(result, gh)


def test_gate_moved_to_a_workflow_file_the_base_lacks_is_floored_by_the_base_gate(tmp_path: Path,
                                                                                  gh: FakeGitHub) -> None:
    token = pat(10130)
    outcome = _renamed(tmp_path, gh, {}, token)
    _blocked(outcome, token)
    assert "workflows running mcp-guard" in outcome[2] and "fail-on" in outcome[2]


def test_a_base_gate_posting_another_status_is_no_floor_for_a_new_workflow(tmp_path: Path,
                                                                          gh: FakeGitHub) -> None:
    # The base's only mcp-guard step feeds another check (a nightly report): the required
    # `mcp-guard` status is the new workflow's own to set.
    _passed(_renamed(tmp_path, gh, {"status-context": "mcp-guard-nightly"}, pat(10131)))
