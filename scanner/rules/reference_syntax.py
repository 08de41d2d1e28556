"""Reference-syntax hardening (MCPG301-MCPG308): interpolation the target client does not resolve,
so the literal `${...}` text is sent to the server (reference/mcp-clients.md §0 and §5.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scanner.clients.catalog import LAUNCHER_CLIENTS, documents_references, resolved_syntaxes
from scanner.findings import Finding
from scanner.model import Category, Client, FieldValue, McpConfig, ServerEntry, Severity
from scanner.references import RefMatch, RefSyntax, find_references
from scanner.rules._cutoff import kept_items
from scanner.rules.base import Rule, RuleContext, register

S = RefSyntax
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "fish", "ksh", "cmd", "cmd.exe", "powershell", "pwsh"})
_NAMES_ONLY = ("bearer_token_env_var", "env_vars", "env_http_headers", "env_keys")
# The syntax to suggest instead, per client, in order of preference.
_PREFERRED = (S.DOLLAR_BRACE, S.ENV_COLON, S.INPUT, S.BRACE_ENV, S.GHA_EXPR, S.USER_CONFIG, S.DOLLAR)


@dataclass(frozen=True, slots=True)
class _Issue:
    rule_id: str
    config: McpConfig
    server: ServerEntry | None
    fv: FieldValue
    ref: RefMatch


_RULE_FOR: dict[RefSyntax, str] = {
    S.INPUT: "MCPG301", S.ENV_COLON: "MCPG302", S.DOLLAR_BRACE: "MCPG303", S.BRACE_ENV: "MCPG304",
    S.BRACE_FILE: "MCPG304", S.GHA_EXPR: "MCPG305", S.DOLLAR: "MCPG307", S.PERCENT: "MCPG307",
    S.FILE_COLON: "MCPG308", S.USER_CONFIG: "MCPG308",
}


def _rule_for(syntax: RefSyntax) -> str | None:
    return _RULE_FOR.get(syntax)  # (the table is made once: it was a new dict per reference)


def issues(configs: Iterable[McpConfig]) -> Iterator[_Issue]:
    """Every reference a config's client does not resolve, and every dangling `${input:id}`."""
    for config in configs:
        if not documents_references(config.client):
            continue  # no documentation either way: say nothing
        resolved = resolved_syntaxes(config.client)
        declared = frozenset(config.input_ids)  # a set: refs x inputs lookups on the tuple
        owners: list[tuple[ServerEntry | None, tuple[FieldValue, ...]]] = [
            (server, _values(server)) for server in config.servers]
        owners.append((None, config.file_values))
        for server, values in owners:
            own = resolved  # a dev container's lifecycle command: its shell's too
            launched = server is not None and server.client is not config.client
            if launched and server is not None and server.client in LAUNCHER_CLIENTS:
                own = resolved | resolved_syntaxes(server.client)
            # What the server runs matters only for values holding a reference: worked out lazily.
            context: tuple[bool, frozenset[str]] | None = None
            for fv in values:
                if not find_references(fv.text):
                    continue  # nothing below reports a value without a reference
                if fv.field.split(".", 1)[0].split("[", 1)[0] in _NAMES_ONLY:
                    continue
                if context is None:
                    context = (server is not None and _runs_shell(server),
                               mcp_remote_header_fields(server) if server is not None else frozenset())
                shell, remote_headers = context
                if fv.field in remote_headers:
                    # mcp-remote expands `${NAME}` in its `--header` values from its own environment
                    # (which the client builds from the entry's `env`), whatever the client resolves:
                    # its README recommends `"Authorization:${AUTH_HEADER}"`.
                    yield from (issue for issue in
                                _value_issues(config, server, fv, own, shell, declared)
                                if issue.ref.syntax is not S.DOLLAR_BRACE)
                    continue
                yield from _value_issues(config, server, fv, own, shell, declared)


def kept_issues(found: Iterable[_Issue], ctx: RuleContext) -> list[_Issue]:
    """`found` without the issues whose finding the pipeline would drop past a file's cut-off
    (rules/_cutoff.py): a file past its limit of detailed findings (a generated config of 35,000
    `${TOKEN}` references) made a finding per issue, and the cap dropped all but the first ones."""
    def where(issue: _Issue) -> tuple[str, tuple[int, int]]:
        return issue.fv.location.path, (issue.fv.location.line, issue.fv.location.column)

    def key(issue: _Issue) -> tuple[str, str, str | None, str, str]:  # what the fingerprint is made of
        server = issue.server.name if issue.server is not None else None
        return issue.rule_id, issue.config.path, server, issue.fv.field, _discriminator(issue.ref)

    return kept_items(list(found), where, key, ctx.cutoffs, ctx.detail_limit,
                      {config.path for config in ctx.configs})


def _discriminator(ref: RefMatch) -> str:
    return f"{_SYNTAX_VALUE[ref.syntax]}:{ref.name}"


# Each syntax's `.value` read once (an enum member's `.value` is a descriptor call per read).
_SYNTAX_VALUE: dict[RefSyntax, str] = {syntax: syntax.value for syntax in RefSyntax}


def _value_issues(config: McpConfig, server: ServerEntry | None, fv: FieldValue,
                  resolved: frozenset[RefSyntax], shell: bool, declared: frozenset[str]) -> Iterator[_Issue]:
    in_command_line = fv.field == "command" or fv.field.startswith(("args[", "command["))
    refs = find_references(fv.text)
    if len(refs) > _FEW_REFS and all(_silent(syntax, resolved) for syntax in {ref.syntax for ref in refs}):
        return  # a value of thousands of references of syntaxes that can report nothing
    for ref in refs:
        if ref.syntax is S.PREDEFINED:
            continue
        if ref.syntax in (S.DOLLAR, S.PERCENT):
            # `$X` is only an interpolation when it is the whole value outside a command line;
            # inside one it is shell text ("$HOME" in a bash -c string).
            if in_command_line or ref.start != 0 or ref.end != len(fv.text):
                continue
        if in_command_line and shell and ref.syntax in (S.DOLLAR_BRACE, S.DOLLAR, S.PERCENT):
            continue  # the shell expands it
        if ref.syntax in resolved:
            if (ref.syntax is S.INPUT and config.client in (Client.VSCODE, Client.VISUAL_STUDIO)
                    and ref.name not in declared):
                yield _Issue("MCPG306", config, server, fv, ref)
            continue
        rule_id = _rule_for(ref.syntax)
        if rule_id is not None:
            yield _Issue(rule_id, config, server, fv, ref)


_FEW_REFS = 16


def _silent(syntax: RefSyntax, resolved: frozenset[RefSyntax]) -> bool:
    """True when no reference of `syntax` can give an issue in `_value_issues` (whatever its place):
    predefined variables, resolved syntaxes other than `${input:}` (the only one that can still be
    dangling), and unresolved ones no rule reports."""
    if syntax is S.PREDEFINED:
        return True
    if syntax in resolved:
        return syntax is not S.INPUT
    return _rule_for(syntax) is None


_MCP_REMOTE = re.compile(r"(?:^|[/\\])mcp-remote(?:@[\w.^~-]+)?$")


def mcp_remote_header_fields(server: ServerEntry) -> frozenset[str]:
    """Fields of the `--header` values of an `mcp-remote` invocation (`--header X`, `--header=X`)."""
    items = [v for v in (server.command, *server.args) if v is not None]
    for v in items:
        if "mcp-remote" in v.text and _MCP_REMOTE.search(v.text.strip()):
            break
    else:
        return frozenset()
    fields: set[str] = set()
    for index, fv in enumerate(items):
        if fv.text == "--header" and index + 1 < len(items):
            fields.add(items[index + 1].field)
        elif fv.text.startswith("--header="):
            fields.add(fv.field)
    return frozenset(fields)


def _values(server: ServerEntry) -> tuple[FieldValue, ...]:
    seen: dict[str, FieldValue] = {}  # the first value of each field
    for fv in (*server.values, server.command, server.url, *server.args, *server.env, *server.headers):
        if fv is not None and fv.field not in seen:
            seen[fv.field] = fv
    return tuple(seen.values())


def _runs_shell(server: ServerEntry) -> bool:
    if server.command is None:
        return False
    program = server.command.text.strip().split(" ", 1)[0].replace("\\", "/").rsplit("/", 1)[-1]
    return program.lower() in _SHELLS


def _suggestion(client: Client) -> str:
    resolved = resolved_syntaxes(client)
    for syntax in _PREFERRED:
        if syntax in resolved:
            return syntax.value
    return "a literal-free setup (the client does not interpolate; use its env/secret mechanism)"


class _RefRule(Rule):
    category = Category.HARDENING
    default_severity = Severity.MEDIUM

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        found = ctx.shared.get("reference-issues")
        if not isinstance(found, list):  # every MCPG30x rule reads the same walk: do it once
            found = ctx.shared["reference-issues"] = kept_issues(issues(ctx.configs), ctx)
        for issue in found:
            if issue.rule_id != self.id:
                continue
            client = issue.config.client
            # Clients that document "values are literal" get LOW: the file may be a template.
            severity = self.default_severity if resolved_syntaxes(client) else Severity.LOW
            yield self.finding(
                location=issue.fv.location, config=issue.config, server=issue.server,
                field_name=issue.fv.field, message=self._message(issue),
                discriminator=_discriminator(issue.ref),
                environment=ctx.env_of(issue.config, issue.server).environment, severity=severity,
                details={"syntax": issue.ref.syntax.value, "name": issue.ref.name,
                         "client": client.value, "suggested": _suggestion(client)})

    def _message(self, issue: _Issue) -> str:
        return (f"`{issue.ref.syntax.value}` reference to {issue.ref.name} in `{issue.fv.field}` is not "
                f"resolved by {issue.config.client.value}: the literal text is sent to the server")


@register
class InputRefUnsupported(_RefRule):
    id = "MCPG301"
    name = "input-reference-unsupported"
    summary = "`${input:id}` used in a client that has no input prompts (only VS Code / Visual Studio)"
    remediation = "Use the client's own syntax (e.g. `${VAR}` in Claude Code `.mcp.json`)."


@register
class EnvColonUnsupported(_RefRule):
    id = "MCPG302"
    name = "env-colon-reference-unsupported"
    summary = "`${env:NAME}` used in a client that does not resolve it (e.g. Claude Code `.mcp.json`)"
    remediation = "Use `${NAME}` in Claude Code / Copilot CLI / Kiro, `{env:NAME}` in opencode."


@register
class BareVarUnsupported(_RefRule):
    id = "MCPG303"
    name = "bare-variable-reference-unsupported"
    summary = "Bare `${NAME}` used in a client that does not expand it (e.g. VS Code, Cursor)"
    remediation = "Use `${env:NAME}` or `${input:id}` in VS Code / Cursor / Windsurf / Roo."


@register
class OpencodeRefOutsideOpencode(_RefRule):
    id = "MCPG304"
    name = "opencode-reference-outside-opencode"
    summary = "`{env:NAME}` / `{file:path}` (opencode syntax) used by another client"
    remediation = "Use the syntax of the client that reads this file."


@register
class GhaExprUnsupported(_RefRule):
    id = "MCPG305"
    name = "secrets-expression-unsupported"
    summary = "`${{ secrets.NAME }}` used outside Continue / GitHub Agentic Workflows"
    remediation = "Use the syntax of the client that reads this file."


@register
class DanglingInput(_RefRule):
    id = "MCPG306"
    name = "dangling-input-reference"
    summary = "`${input:id}` with no matching entry in the file's `inputs` array"
    remediation = "Declare the input (`{\"type\": \"promptString\", \"id\": ..., \"password\": true}`)."

    def _message(self, issue: _Issue) -> str:
        return f"`${{input:{issue.ref.name}}}` in `{issue.fv.field}` has no matching `inputs[].id`"


@register
class ShellStyleRefUnsupported(_RefRule):
    id = "MCPG307"
    name = "shell-style-reference-unsupported"
    summary = "`$NAME` / `%NAME%` used as a value in a client that does not expand it"
    remediation = "Use the client's interpolation syntax; only Gemini CLI and Crush expand `$NAME`."


@register
class OtherRefUnsupported(_RefRule):
    id = "MCPG308"
    name = "reference-syntax-unsupported"
    summary = "`${file:...}` / `${user_config.KEY}` used in a client that does not resolve it"
    remediation = "Use the syntax of the client that reads this file."
