"""The AWS key id + secret fix worked out on the pair's lines (scanner/fix/aws_pair.in_place) against
the whole-file way it replaces (aws_pair.whole_file: apply, re-parse, fix again, diff), which is the
oracle: on random files of every layout the two give the same fixes (VS Code: the same text once
applied, the declaration as its own edit), and a file of N pairs is parsed once, not N times."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.findings import Fix
from scanner.fix import aws_pair
from scanner.fix.apply import apply_edits
from scanner.pipeline import ScanOptions, scan_files
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False, fingerprint_key="k" * 32)
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _key_id(seed: int) -> str:
    return "AK" + "IA" + fake_token("", 16, seed, _ID_ALPHABET)


def _json_cases(vscode: bool) -> list[dict[str, bytes]]:
    rng = random.Random(5 if not vscode else 15)
    paths = ([".vscode/mcp.json", ".vscode/mcp.json", ".vscode/settings.json", "x.code-workspace",
              ".devcontainer/devcontainer.json"] if vscode else
             [".mcp.json", ".cursor/mcp.json", ".gemini/settings.json", "mcp.json",
              "claude_desktop_config.json",
              ".roo/mcp.json", ".claude.json", ".amazonq/mcp.json"])
    out: list[dict[str, bytes]] = []
    for case in range(200 if vscode else 160):
        path = paths[case % len(paths)]
        servers: dict[str, object] = {}
        for i in range(rng.randint(1, 4)):
            key_id, secret = _key_id(case * 10 + i), fake_token("", 40, case * 10 + i)
            env: dict[str, str] = {}
            for slot in rng.sample(["id", "secret", "other", "other2"], 4):
                if slot == "id":
                    env["AWS_ACCESS_KEY_ID"] = key_id if rng.random() < 0.9 else " " + key_id + " "
                elif slot == "secret":
                    name = rng.choice(["AWS_SECRET_ACCESS_KEY"] * 2 + ["aws_secret_access_key"])
                    env[name] = secret if rng.random() < 0.8 else f"é{secret}"
                else:
                    env[f"{slot.upper()}_{i}"] = rng.choice(["x", "${env:Q}", "ünïcode", 'a"b'])
            entry: dict[str, object] = {"command": "npx", "env": env}
            if rng.random() < 0.2:
                entry = {"command": "npx", "args": [f"--key-id={key_id}"],
                         "env": {"AWS_SECRET_ACCESS_KEY": secret}}
            servers[rng.choice(["a", "b", f"s{i}"])] = entry
        document: dict[str, object]
        if vscode:
            section: dict[str, object] = {"servers": servers}
            inputs = rng.choice([None, [], [{"type": "promptString", "id": "other"}],
                                 [{"type": "promptString", "id": "aws-secret-access-key", "password": True}],
                                 [{"type": "promptString", "id": "aws-access-key-id"}], {"not": "an array"}])
            if inputs is not None:
                first = rng.random() < 0.5
                section = {"inputs": inputs, **section} if first else {**section, "inputs": inputs}
            if path.endswith("settings.json"):
                document = {"editor.fontSize": 12, "mcp": section}
            elif path.endswith(".code-workspace"):
                document = {"folders": [], "settings": {"mcp": section}}
            elif path.endswith("devcontainer.json"):
                document = {"image": "x", "customizations": {"vscode": {"mcp": section}}}
            else:
                document = section if rng.random() < 0.85 else {"mcp": section}
        else:
            document = {"mcpServers": servers}
            if path == ".claude.json" and rng.random() < 0.6:
                document = {"projects": {f"/p{j}": {"mcpServers": servers} for j in range(2)}}
        indent = rng.choice([None, 1, 2, "\t"])
        text = json.dumps(document, indent=indent, ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.3:
            text += "\n"
        out.append({path: text.encode()})
    return out


TQ = "'" * 3  # a TOML multi-line literal string's quotes


def _codex_server(rng: random.Random, name: str, seed: int) -> str:
    key_id, secret = _key_id(seed), fake_token("", 40, seed)
    header = f"[mcp_servers.{name}]\n"
    own = ['command = "npx"']
    if rng.random() < 0.3:
        own.append(rng.choice(['env_vars = ["HOME"]', 'env_vars = ["AWS_SECRET_ACCESS_KEY"]', "env_vars = []",
                               'env_vars = ["AWS_ACCESS_KEY_ID", "X",]', 'env_vars = [\n  "HOME",\n]',
                               # set where the fix's line reading cannot see it: the parse would fail
                               '"env\\u005fvars" = ["HOME"]']))
    if rng.random() < 0.2:
        own.append('description = """\n[mcp_servers.z]\nenv_vars = 1\n"""')
    if rng.random() < 0.25:  # multi-line strings the Codex fix's line reading has nothing to read in
        own.append(rng.choice(['description = """\nplain words\n"""', "args = [" + TQ + "\n-y\n" + TQ + "]",
                               'note = """one line"""', 'description = """\nAWS_ACCESS_KEY_ID = "no"\n"""']))
    if rng.random() < 0.2:
        own.append("# env_vars are set below")
    pairs = [f'AWS_ACCESS_KEY_ID = "{key_id}"', f'AWS_SECRET_ACCESS_KEY = "{secret}"', 'OTHER = "x"']
    rng.shuffle(pairs)
    style = rng.random()
    if style < 0.3:  # inline env in the server's own table
        own.append("env = { " + ", ".join(pairs) + " }")
        body = header + "\n".join(own) + "\n"
    elif style < 0.4:  # the key id as an argument
        own.append(f'args = ["--key-id", "{key_id}"]')
        body = header + "\n".join(own) + f'\n[mcp_servers.{name}.env]\nAWS_SECRET_ACCESS_KEY = "{secret}"\n'
    else:
        env = f"[mcp_servers.{name}.env]\n" + "\n".join(pairs) + "\n"
        if rng.random() < 0.15:
            env = env.replace("\n", "  # note\n", 1)
        own_table = header + "\n".join(own) + "\n"
        body = env + own_table if rng.random() < 0.1 else own_table + env
    return body


def _codex_cases() -> list[dict[str, bytes]]:
    import tomllib

    rng = random.Random(25)
    out: list[dict[str, bytes]] = []
    while len(out) < 160:
        parts = [rng.choice(['model = "o3"\n', "", '# codex\napproval_policy = "never"\n'])]
        names = rng.sample(["a", "b", "s-1", '"q.x"', "github"], rng.randint(1, 4))
        blocks = [_codex_server(rng, name, len(out) * 10 + i) for i, name in enumerate(names)]
        if rng.random() < 0.15:  # tables of several servers interleaved
            lines = "".join(blocks).split("\n[")
            blocks = [lines[0]] + ["[" + piece for piece in lines[1:]]
            blocks = [b if b.endswith("\n") else b + "\n" for b in blocks]
            rng.shuffle(blocks[1:])
        text = "".join(parts + [b + rng.choice(["", "\n"]) for b in blocks])
        if rng.random() < 0.1:
            text = text.replace("\n", "\r\n")
        if rng.random() < 0.1:
            text = text.rstrip("\n")
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # the generator's own clash (a duplicate table): not a case
        out.append({".codex/config.toml": text.encode()})
    return out


_Fixes = list[list[tuple[str, Fix | None]]]


def _scan_both(cases: list[dict[str, bytes]],
               monkeypatch: pytest.MonkeyPatch) -> tuple[_Fixes, _Fixes, list[object]]:
    taken: list[object] = []
    real: Callable[..., object] = aws_pair.in_place

    def counted(*args: object) -> object:
        result = real(*args)
        taken.append(result)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(aws_pair, "in_place", counted)
        fast = [[(f.fingerprint, f.fix) for f in scan_files(files, _OPTIONS).findings] for files in cases]
    with monkeypatch.context() as patch:
        patch.setattr(aws_pair, "in_place", lambda *args: aws_pair.NOT_LOCAL)
        slow = [[(f.fingerprint, f.fix) for f in scan_files(files, _OPTIONS).findings] for files in cases]
    return fast, slow, taken


def _pair_fixes(results: list[list[tuple[str, Fix | None]]]) -> int:
    return sum(1 for findings in results for _fp, fix in findings if fix and "key id" in fix.description)


def test_json_clients_in_place_equal_the_whole_file_way(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _json_cases(vscode=False)
    fast, slow, taken = _scan_both(cases, monkeypatch)
    local = [r for r in taken if r is not aws_pair.NOT_LOCAL]
    # Every layout here is worked out in place (Gemini's settings.json and the generic mcp.json
    # too: their content word is a key, which no fix touches); `slow` is the whole-file way.
    assert len(local) > 150
    assert fast == slow
    assert _pair_fixes(fast) > 100


def test_codex_in_place_equals_the_whole_file_way(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _codex_cases()
    fast, slow, taken = _scan_both(cases, monkeypatch)
    local = [r for r in taken if r is not aws_pair.NOT_LOCAL]
    # Both ways are exercised: the whole-file way for a description holding a table header, an
    # `env_vars` the line reading cannot see, the key id as an argument.
    assert len(local) > 250 and len(taken) - len(local) > 5, (len(local), len(taken))
    assert fast == slow
    assert _pair_fixes(fast) > 150


def test_vscode_in_place_gives_the_whole_file_text(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _json_cases(vscode=True)
    fast, slow, taken = _scan_both(cases, monkeypatch)
    local = [r for r in taken if r is not aws_pair.NOT_LOCAL]
    # settings.json, `.code-workspace` and devcontainer files included (their `mcp` is a key).
    assert len(local) > 300, (len(local), len(taken))
    declared_apart = 0
    for files, fast_findings, slow_findings in zip(cases, fast, slow, strict=True):
        (text,) = (data.decode() for data in files.values())
        assert [fp for fp, _ in fast_findings] == [fp for fp, _ in slow_findings]
        for (_fp, new), (_, old) in zip(fast_findings, slow_findings, strict=True):
            if new == old:
                continue
            # The declaration is an edit of its own; applied, the fix gives what the whole-file one gave.
            assert new is not None and old is not None and new.description == old.description
            assert len(new.edits) == 2 and len(old.edits) == 1
            span, declaration = new.edits
            assert not span.start_line <= declaration.start_line <= span.end_line  # apart from the pair
            assert declaration.start_line == declaration.end_line and declaration.start_column == \
                declaration.end_column  # an insertion
            assert apply_edits(text, new.edits) == apply_edits(text, old.edits)
            declared_apart += 1
    assert declared_apart > 50
    assert _pair_fixes(fast) > 150


@pytest.mark.parametrize("path", [".mcp.json", ".vscode/mcp.json", ".codex/config.toml"])
def test_aws_pairs_are_not_reparsed_per_pair(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    from scanner import clients

    pairs = [(_key_id(i), fake_token("", 40, i)) for i in range(60)]
    if path.endswith(".toml"):
        text = "".join(f'[mcp_servers.s{i}]\ncommand = "x"\n[mcp_servers.s{i}.env]\n'
                       f'AWS_ACCESS_KEY_ID = "{k}"\nAWS_SECRET_ACCESS_KEY = "{s}"\n'
                       for i, (k, s) in enumerate(pairs))
    else:
        servers = {f"s{i}": {"command": "x", "env": {"AWS_ACCESS_KEY_ID": k, "AWS_SECRET_ACCESS_KEY": s}}
                   for i, (k, s) in enumerate(pairs)}
        text = json.dumps({"servers" if "vscode" in path else "mcpServers": servers}, indent=2)
    parses: list[int] = []
    real = clients.parse_config

    def counted(*args: object, **kwargs: object) -> object:
        parses.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(clients, "parse_config", counted)
    result = scan_files({path: text.encode()}, _OPTIONS)
    assert len([f for f in result.findings if f.fix and "key id" in f.fix.description]) == 60
    assert len(parses) <= 1  # the scan's own parse; the whole-file way parsed once more per pair


def test_span_edit_at_is_the_whole_text_diff() -> None:
    from scanner.fix.build import _span_edit, span_edit_at

    rng = random.Random(3)
    alphabet = "ab\n"
    for _ in range(3000):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        start = rng.randint(0, len(source))
        end = rng.randint(start, len(source))
        middle = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        if source[:start] + middle + source[end:] == source:
            continue
        assert span_edit_at("f", source, start, end, middle) == \
            _span_edit("f", source, source[:start] + middle + source[end:]), (source, start, end, middle)


_LAYOUTS = {  # where VS Code reads its MCP section in each kind of file, as (path, wrap)
    "mcp.json": (".vscode/mcp.json", lambda section: section),
    "settings": (".vscode/settings.json", lambda section: {"editor.fontSize": 12, "mcp": section}),
    "workspace": ("x.code-workspace", lambda section: {"folders": [], "settings": {"mcp": section}}),
    "devcontainer": (".devcontainer/devcontainer.json",
                     lambda section: {"image": "x", "customizations": {"vscode": {"mcp": section}}}),
}


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
@pytest.mark.parametrize("inputs", [None, [], [{"type": "promptString", "id": "other"}]])
def test_one_fix_run_takes_every_vscode_pair(tmp_path: Path, inputs: list[object] | None,
                                             layout: str) -> None:
    # Each pair's declaration is an edit of its own: the pairs' fixes no longer overlap one another
    # (the whole-file diff ran from the declaration down to each pair), so one run fixes them all.
    from scanner.fix.run import run_fix
    from scanner.parsing import parse_jsonc
    from tests.fix.cases import scan_root

    pairs = [(_key_id(i), fake_token("", 40, i)) for i in range(3)]
    servers: dict[str, object] = {
        f"s{i}": {"command": "x", "env": {"AWS_ACCESS_KEY_ID": k, "AWS_SECRET_ACCESS_KEY": s}}
        for i, (k, s) in enumerate(pairs)}
    token = fake_token("gh" + "p_", 36, 9)
    servers["gh"] = {"command": "x", "env": {"GITHUB_TOKEN": token}}
    section: dict[str, object] = {"servers": servers}
    if inputs is not None:
        section = {"inputs": inputs, "servers": servers}
    rel, wrap = _LAYOUTS[layout]
    path = tmp_path / rel
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(wrap(section), indent=2), encoding="utf-8")
    result = scan_root(tmp_path)
    assert len([f for f in result.findings if f.fix and "key id" in f.fix.description]) == 3
    diff, _count = run_fix(result, tmp_path, dry_run=False)
    assert "overlaps another fix" not in diff
    text = path.read_text(encoding="utf-8")
    for value in [token, *(v for pair in pairs for v in pair)]:
        assert value not in text
    section_node = parse_jsonc(text)
    for key in {"settings": ["mcp"], "workspace": ["settings", "mcp"],
                "devcontainer": ["customizations", "vscode", "mcp"]}.get(layout, []):
        section_node = section_node.get(key)
    ids = [item.get("id").value for item in section_node.get("inputs").items]
    expected = {*(["other"] if inputs else []), "aws-access-key-id", "aws-secret-access-key", "github-token"}
    assert sorted(ids) == sorted(expected)
    assert [f for f in scan_root(tmp_path).findings if f.category.value == "secret"] == []


def test_content_word_only_inside_the_secret_takes_the_whole_file_way() -> None:
    """A file read as a config because its text holds a content word keeps that reading after the
    fix only where the word stands outside the edits; else the whole-file way decides."""
    from scanner.clients.discovery import classify_path
    from scanner.findings import TextEdit

    candidate = classify_path(".vscode/settings.json")
    assert candidate is not None
    text = '{"a": "xmcpx", "b": "mcp"}'
    inside = TextEdit(".vscode/settings.json", 1, 8, 1, 13, "${input:a}")  # `xmcpx`
    both = (inside, TextEdit(".vscode/settings.json", 1, 22, 1, 25, "${input:b}"))  # and `mcp`
    into = TextEdit(".vscode/settings.json", 1, 23, 1, 23, "|")  # an insertion inside `mcp`
    assert aws_pair._keeps_content_words(candidate, text, (inside,))  # the second `mcp` stays
    assert not aws_pair._keeps_content_words(candidate, text, both)
    assert not aws_pair._keeps_content_words(candidate, text, (inside, into))
    assert aws_pair._keeps_content_words(candidate, text, (inside, TextEdit(".vscode/settings.json", 1, 22,
                                                                           1, 22, "|")))  # before it
    assert not aws_pair._keeps_content_words(candidate, text, (dataclasses.replace(inside, file="x.json"),))
    mcp_json = classify_path(".vscode/mcp.json")
    assert mcp_json is not None and aws_pair._keeps_content_words(mcp_json, text, both)  # needs no word


def _codex_far_cases() -> list[dict[str, bytes]]:
    """Codex files whose pairs sit far from their server's header: every server's own table first and
    the env / `http_headers` tables after them (in shuffled order, some right after their own server),
    with the other layouts the one-slice way reads mixed in."""
    import tomllib

    rng = random.Random(41)
    out: list[dict[str, bytes]] = []
    while len(out) < 80:
        n = rng.randint(2, 6)
        heads: list[str] = []
        tables: list[str] = []
        for i in range(n):
            key_id, secret = _key_id(len(out) * 10 + i), fake_token("", 40, len(out) * 10 + i)
            own = [rng.choice(['command = "npx"', 'url = "https://h.example.com/mcp"'])]
            if rng.random() < 0.25:
                own.append(rng.choice(['env_vars = ["HOME"]', 'env_vars = []', 'bearer_token_env_var = "T"',
                                       'env_http_headers = { "X" = "Y" }', '"env\\u005fvars" = ["HOME"]']))
            if rng.random() < 0.1:
                own.append('description = """\nmulti\n"""')
            heads.append(f"[mcp_servers.s{i}]\n" + "\n".join(own) + "\n")
            where = rng.choice(["env", "http_headers", "http_headers", "env"])
            pairs = [f'AWS_ACCESS_KEY_ID = "{key_id}"', f'AWS_SECRET_ACCESS_KEY = "{secret}"']
            if rng.random() < 0.3:
                pairs.append('OTHER = "x"')
            rng.shuffle(pairs)
            if rng.random() < 0.15:  # the key id in the other table
                tables.append(f"[mcp_servers.s{i}.{where}]\n{pairs[0]}\n")
                other = "env" if where == "http_headers" else "http_headers"
                tables.append(f"[mcp_servers.s{i}.{other}]\n" + "\n".join(pairs[1:]) + "\n")
            else:
                tables.append(f"[mcp_servers.s{i}.{where}]\n" + "\n".join(pairs) + "\n")
        rng.shuffle(tables)
        blocks = heads + tables
        if rng.random() < 0.2:  # one server's tables together, the rest far apart
            blocks = [tables[0], *heads, *tables[1:]]
        text = "".join(b + rng.choice(["", "\n"]) for b in blocks)
        if rng.random() < 0.1:
            text = text.replace("\n", "\r\n")
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue
        out.append({".codex/config.toml": text.encode()})
    return out


def test_codex_far_pairs_give_the_whole_file_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pairs past other servers' tables are worked out on two pieces (the server's table, the values'
    # table): two edits where the whole-file diff was one across every table between; applied, the
    # same text. `http_headers` pairs are worked out in place too (they took the whole-file way).
    cases = _codex_far_cases()
    fast, slow, taken = _scan_both(cases, monkeypatch)
    local = [r for r in taken if r is not aws_pair.NOT_LOCAL]
    assert len(local) > 150 and len(taken) - len(local) > 5, (len(local), len(taken))
    apart = 0
    for files, fast_findings, slow_findings in zip(cases, fast, slow, strict=True):
        (text,) = (data.decode() for data in files.values())
        assert [fp for fp, _ in fast_findings] == [fp for fp, _ in slow_findings]
        for (_fp, new), (_, old) in zip(fast_findings, slow_findings, strict=True):
            if new == old:
                continue
            assert new is not None and old is not None and new.description == old.description
            assert len(new.edits) == 2 and len(old.edits) == 1
            first, second = new.edits
            assert not first.start_line <= second.start_line <= first.end_line
            assert apply_edits(text, new.edits) == apply_edits(text, old.edits)
            apart += 1
    assert apart > 40, apart
    assert _pair_fixes(fast) > 100


def test_codex_far_pairs_fix_together(tmp_path: Path) -> None:
    # Each far pair's fix stays within its own server's tables, so one run fixes every pair (the
    # whole-file diff of each ran across the others' tables: only one could be applied per run).
    import tomllib

    from scanner.fix.run import run_fix
    from tests.fix.cases import scan_root

    pairs = [(_key_id(i), fake_token("", 40, i)) for i in range(4)]
    heads = "".join(f'[mcp_servers.s{i}]\ncommand = "x"\n' for i in range(4))
    envs = "".join(f'[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{k}"\nAWS_SECRET_ACCESS_KEY = "{s}"\n'
                   for i, (k, s) in enumerate(pairs))
    path = tmp_path / ".codex" / "config.toml"
    path.parent.mkdir()
    path.write_text(heads + envs, encoding="utf-8")
    result = scan_root(tmp_path)
    assert len([f for f in result.findings if f.fix and "key id" in f.fix.description]) == 4
    diff, _count = run_fix(result, tmp_path, dry_run=False)
    assert "overlaps another fix" not in diff
    text = path.read_text(encoding="utf-8")
    assert not any(v in text for pair in pairs for v in pair)
    servers = tomllib.loads(text)["mcp_servers"]
    assert all(sorted(servers[f"s{i}"]["env_vars"]) == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
               for i in range(4))
