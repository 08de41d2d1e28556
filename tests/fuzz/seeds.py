"""Realistic MCP config seeds for each client format, and the mutations the fuzzers apply.

Secret-shaped values are built at run time (tests.fakes); nothing token-shaped is committed.
Used by the bounded property test (tests/test_fuzz_parse_scan.py) and by `make fuzz`
(tests/fuzz/run.py).
"""

from __future__ import annotations

import json
import random

from tests.fakes import fake_hex, fake_token


def seeds() -> list[tuple[str, dict[str, bytes]]]:
    """(name, files) pairs: each a small in-memory tree of one config (plus a dotenv it names)."""
    gh = fake_token("ghp_", 36, 1)
    sk = fake_token("sk-proj-", 48, 2)
    aws_id = fake_token("AKIA", 16, 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    aws_secret = fake_token("", 40, 4)
    slack = fake_token("xoxb-", 40, 5, "0123456789")
    pw = fake_token("", 16, 6)
    cursor = json.dumps({"mcpServers": {
        "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                   "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": gh}},
        "db": {"command": "npx", "args": ["-y", "@x/pg", f"postgres://app:{pw}@db.prod.internal:5432/app"]},
        "remote": {"url": f"https://api.example.com/mcp?api_key={fake_hex(32, 7)}",
                   "headers": {"Authorization": f"Bearer {sk}"}},
        "docker": {"command": "docker", "args": ["run", "-i", "--rm", "-e", f"AWS_ACCESS_KEY_ID={aws_id}",
                                                 "-e", "AWS_SECRET_ACCESS_KEY", "mcp/aws"],
                   "env": {"AWS_SECRET_ACCESS_KEY": aws_secret}},
    }}, indent=2)
    vscode = ('// VS Code workspace MCP servers\n{\n  "inputs": [{"type": "promptString", "id": "tok",'
              ' "password": true}],\n  "servers": {\n    /* remote */\n    "slack": {\n'
              f'      "type": "stdio", "command": "npx", "args": ["-y", "slack-mcp"],\n'
              f'      "env": {{"SLACK_BOT_TOKEN": "{slack}", "TEAM": "${{input:tok}}",}},\n'
              '      "envFile": "${workspaceFolder}/.env",\n    },\n'
              f'    // "OLD_KEY": "{fake_token("sk_live_", 24, 8)}"\n  }},\n}}\n')
    claude = json.dumps({"mcpServers": {
        "fs": {"command": "npx", "args": ["-y", "server-fs", "/Users/me"]},
        "brave": {"command": "npx", "env": {"BRAVE_API_KEY": fake_hex(30, 9)}}}})
    codex = ('[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-github"]\n'
             f'[mcp_servers.github.env]\nGITHUB_TOKEN = "{gh}"\n\n[mcp_servers.remote]\n'
             f'url = "https://mcp.example.com/sse"\nbearer_token = "{sk}"\n'
             'env_vars = ["HOME"]\n# staging copy\n')
    goose = ('extensions:\n  github:\n    type: stdio\n    cmd: npx\n    args: [-y, server-github]\n'
             f'    envs:\n      GITHUB_TOKEN: {gh}\n  remote:\n    type: sse\n'
             f'    uri: https://user:{pw}@mcp.example.com/sse\n    enabled: true\n')
    cont = ('name: prod\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: db\n    command: npx\n'
            f'    args: ["-y", "pg-mcp", "postgresql://admin:{pw}@prod-db.example.com/app"]\n'
            '    env:\n      TOKEN: ${{ secrets.TOKEN }}\n')
    opencode = json.dumps({"$schema": "https://opencode.ai/config.json", "mcp": {
        "gh": {"type": "local", "command": ["npx", "-y", "server-github"],
               "environment": {"GITHUB_TOKEN": "{env:GITHUB_TOKEN}", "OTHER": sk}},
        "remote": {"type": "remote", "url": "https://mcp.example.com",
                   "headers": {"X-Api-Key": "{file:key.txt}"}}}})
    gemini = json.dumps({"mcpServers": {"s": {"command": "node", "args": ["srv.js"],
                                               "env": {"API_KEY": "$API_KEY", "DB": "%DB_URL%"}}}})
    dotenv = (f"# service credentials\nexport GITHUB_TOKEN={gh}\nAWS_ACCESS_KEY_ID='{aws_id}'\n"
              f'AWS_SECRET_ACCESS_KEY="{aws_secret}"\nDATABASE_URL=postgres://u:{pw}@localhost/db\n')
    env_config = json.dumps({"mcpServers": {"a": {"command": "x", "envFile": ".env"}}})
    jetbrains = ('<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n'
                 '  <component name="McpProjectServerCommands">\n    <commands>\n      <McpServerCommand>\n'
                 '        <option name="name" value="github" />\n'
                 '        <option name="programPath" value="npx" />\n'
                 f'        <option name="arguments" value="-y server-github --token {gh}" />\n'
                 f'        <envs><env name="SLACK_BOT_TOKEN" value="{slack}" /></envs>\n'
                 '      </McpServerCommand>\n    </commands>\n    <urls><McpServerURL>\n'
                 '      <option name="name" value="remote" />\n'
                 '      <option name="url" value="https://mcp.example.com/mcp" />\n'
                 f'      <option name="headers"><map><entry key="Authorization" value="Bearer {sk}" /></map>'
                 '</option>\n'
                 '    </McpServerURL></urls>\n  </component>\n</project>\n')
    return [
        ("cursor-json", {".cursor/mcp.json": cursor.encode()}),
        ("vscode-jsonc", {".vscode/mcp.json": vscode.encode(), ".env": dotenv.encode()}),
        ("claude-desktop", {"claude_desktop_config.json": claude.encode()}),
        ("codex-toml", {".codex/config.toml": codex.encode()}),
        ("goose-yaml", {".config/goose/config.yaml": goose.encode()}),
        ("continue-yaml", {".continue/mcpServers/db.yaml": cont.encode()}),
        ("opencode-json", {"opencode.json": opencode.encode()}),
        ("gemini-json", {".gemini/settings.json": gemini.encode()}),
        ("dotenv", {".cursor/mcp.json": env_config.encode(), ".env": dotenv.encode()}),
        ("jetbrains-xml", {".idea/workspace.xml": jetbrains.encode()}),
    ]


# Fragments that steer mutations towards the parsers' and analysers' special cases.
TOKENS: tuple[bytes, ...] = (
    b"{", b"}", b"[", b"]", b'"', b"'", b"\\", b'\\"', b":", b",", b"=", b"\n", b"\r\n", b"\t", b" ",
    b"//", b"/*", b"*/", b"#", b"---\n", b'"""', b"'''", b"${", b"${env:", b"${input:x}", b"${A:-",
    b"{env:", b"{file:", b"$X", b"%X%", b"${{ secrets.X }}", b"://", b"@", b"?key=", b"Bearer ",
    b"Basic ", b"eyJ", b"-----BEGIN RSA PRIVATE KEY-----", b"ghp_", b"sk-", b"AKIA", b"xoxb-",
    b"&anchor", b"*anchor", b"!!binary", b"<<: ", b"- ", b"true", b"null", b"1e999", b"-0",
    b"\xef\xbb\xbf", b"\xff", b"\xc3\xa9", b"\xe2\x80\xae", b"\x00", b"[[a]]", b"[a.b]", b"a.b.c = 1",
    b"export ", b"--env", b"-e", b"--api-key=", b"API_KEY=", b"bash -c \"", b"{\"a\":\"{\\\"b\\\":1}\"}",
)


def mutate(data: bytes, rng: random.Random, other: bytes | None = None, max_size: int = 1 << 20) -> bytes:
    """A few random edits of `data`: deletions, insertions of steering tokens, duplications,
    repeats (long runs of a token or chunk), byte flips, and splices with `other`."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        size = len(out)
        pos = rng.randint(0, size)
        op = rng.random()
        if op < 0.2 and size:
            end = min(size, pos + rng.randint(1, 32))
            del out[pos:end]
        elif op < 0.5:
            out[pos:pos] = rng.choice(TOKENS)
        elif op < 0.6 and size:
            end = min(size, pos + rng.randint(1, 64))
            out[pos:pos] = out[pos:end]
        elif op < 0.7:
            unit = rng.choice(TOKENS) if rng.random() < 0.7 else bytes(out[pos:pos + rng.randint(1, 40)])
            repeat = rng.choice((10, 100, 1000)) if rng.random() < 0.95 else rng.choice((10_000, 50_000))
            out[pos:pos] = unit * min(repeat, max(1, (max_size - size) // max(1, len(unit))))
        elif op < 0.85 and size:
            out[min(pos, size - 1)] = rng.randrange(256)
        elif other is not None and other:
            cut = rng.randint(0, len(other))
            out = out[:pos] + other[cut:cut + rng.randint(1, 400)] + out[pos:]
        else:
            out[pos:pos] = bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 16)))
        if len(out) > max_size:
            del out[max_size:]
    return bytes(out)
