"""The "wild shapes" matrix: labeled config files holding the kinds of secrets real people commit
that a name-and-prefix detector misses (joined DB client flags, wallet keys and mnemonics, RPC keys
in URL paths, hosted-MCP capability URLs, short passwords, newer vendor prefixes), and the negatives
that sit next to them in real files (placeholders in several languages, references, public-by-design
keys, identifiers, local defaults, transaction hashes, UUIDs, keyless endpoints of the same services).

Shapes come from the services' public documentation (see the notes on each row), not from any
detector's regexes. Every value is built at run time (tests.fakes); nothing secret-shaped is committed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from dataclasses import dataclass, field
from importlib import resources

from tests.fakes import fake_hex, fake_token

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class WildCase:
    """One config file. `expect`: values a detector must report. Negatives (`expect` empty) may
    carry LOW findings only when `low_ok` (public-by-design keys reported with an explanation)."""

    id: str
    kind: str
    path: str
    text: str = field(repr=False)
    expect: tuple[str, ...] = field(default=(), repr=False)
    low_ok: bool = False
    # Other forms of an expected credential (its decoded content): neither a hit nor a false hit.
    same: tuple[str, ...] = field(default=(), repr=False)


# ---------------------------------------------------------------------------------------------
# Value builders (run time only)


def b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = ""
    while num:
        num, rem = divmod(num, 58)
        out = B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def solana_secret(seed: int) -> str:
    rng = random.Random(f"sol:{seed}")
    return b58encode(bytes(rng.randrange(1, 256) for _ in range(64)))


def solana_pubkey(seed: int) -> str:
    rng = random.Random(f"solpub:{seed}")
    return b58encode(bytes(rng.randrange(1, 256) for _ in range(32)))


def _wordlist() -> list[str]:
    text = resources.files("scanner").joinpath("data/bip39_english.txt").read_text(encoding="utf-8")
    return text.split()


def mnemonic(words: int, seed: int) -> str:
    """A BIP-39 phrase with a valid checksum, from seeded entropy."""
    rng = random.Random(f"bip39:{words}:{seed}")
    entropy_bits = words * 32 // 3
    entropy = bytes(rng.randrange(256) for _ in range(entropy_bits // 8))
    checksum_bits = entropy_bits // 32
    bits = bin(int.from_bytes(entropy, "big"))[2:].zfill(entropy_bits)
    digest = bin(int.from_bytes(hashlib.sha256(entropy).digest(), "big"))[2:].zfill(256)
    bits += digest[:checksum_bits]
    table = _wordlist()
    return " ".join(table[int(bits[i : i + 11], 2)] for i in range(0, len(bits), 11))


def uuid4(seed: int) -> str:
    h = fake_hex(32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def mcp(entry: dict[str, object], path: str = ".mcp.json", name: str = "svc") -> tuple[str, str]:
    return path, json.dumps({"mcpServers": {name: entry}}, indent=2)


def env_entry(env: dict[str, str], path: str = ".mcp.json") -> tuple[str, str]:
    return mcp({"command": "npx", "args": ["-y", "svc-mcp"], "env": env}, path)


def url_entry(url: str, path: str = ".cursor/mcp.json") -> tuple[str, str]:
    return mcp({"url": url}, path)


def codex_env(env: dict[str, str]) -> tuple[str, str]:
    body = "\n".join(f'{k} = "{v}"' for k, v in env.items())
    return (
        ".codex/config.toml",
        f'[mcp_servers.svc]\ncommand = "npx"\nargs = ["svc"]\n\n[mcp_servers.svc.env]\n{body}\n',
    )


class _Builder:
    def __init__(self) -> None:
        self.cases: list[WildCase] = []
        self.n: dict[str, int] = {}

    def add(
        self, kind: str, file: tuple[str, str], *expect: str, low_ok: bool = False, same: tuple[str, ...] = ()
    ) -> None:
        self.n[kind] = self.n.get(kind, 0) + 1
        path, text = file
        self.cases.append(WildCase(f"{kind}-{self.n[kind]}", kind, path, text, tuple(expect), low_ok, same))


# ---------------------------------------------------------------------------------------------
# Positives per kind


def _joined_flags(b: _Builder) -> None:
    pw1 = fake_token("", 14, 1)
    b.add(
        "db-flag",
        mcp(
            {
                "command": "npx",
                "args": ["-y", "@benborla29/mcp-server-mysql", "-h127.0.0.1", "-uroot", f"-p{pw1}"],
            }
        ),
        pw1,
    )
    pw2 = fake_token("", 12, 2)
    b.add(
        "db-flag",
        mcp(
            {
                "command": "docker",
                "args": ["exec", "-i", "mysql-db", "mysql", "-uapp", f"-p{pw2}", "-e", "select 1"],
            }
        ),
        pw2,
    )
    pw3 = fake_token("", 16, 3)
    b.add(
        "db-flag",
        mcp(
            {
                "command": "java",
                "args": [
                    "-jar",
                    "dbhub.jar",
                    "jdbc:mariadb://db.acme-corp.io:3306/sales",
                    "-u",
                    "reporter",
                    f"-p{pw3}",
                ],
            }
        ),
        pw3,
    )
    pw4 = fake_token("", 11, 4)
    b.add(
        "db-flag",
        mcp(
            {"command": "mycli", "args": ["-h", "db.acme-corp.io", "-u", "app", f"--password={pw4}", "sales"]}
        ),
        pw4,
    )
    pw5 = fake_token("", 13, 5)
    b.add(
        "db-flag",
        mcp(
            {
                "command": "uvx",
                "args": ["mcp-mysql", "--host", "10.2.0.7", "--user", "admin", "--password", pw5],
            }
        ),
        pw5,
    )
    pw6 = fake_token("", 15, 6)
    b.add(
        "db-flag",
        mcp({"command": "bash", "args": ["-c", f"mysqldump -uroot -p{pw6} --single-transaction shop"]}),
        pw6,
    )
    pw7 = fake_token("", 12, 7)
    b.add(
        "db-flag",
        mcp({"command": "mongosh", "args": ["mongodb://db.acme-corp.io/app", "-u", "svc", "-p", pw7]}),
        pw7,
    )
    pw8 = fake_token("", 12, 8)
    b.add(
        "db-flag", mcp({"command": "sqlcmd", "args": ["-S", "sql.acme-corp.io", "-U", "sa", "-P", pw8]}), pw8
    )
    pw9 = fake_token("", 20, 9)
    b.add(
        "db-flag",
        mcp({"command": "redis-cli", "args": ["-h", "cache.acme-corp.io", "-a", pw9, "--no-auth-warning"]}),
        pw9,
    )

    pw10 = fake_token("", 14, 10)
    oracle = f"jdbc:oracle:thin:reporter/{pw10}@//db.acme-corp.io:1521/ORCL"
    b.add("db-flag", mcp({"command": "java", "args": ["-jar", "db-mcp.jar", "--url", oracle]}), pw10)
    pw11 = fake_token("", 14, 11)
    mssql = f"jdbc:sqlserver://sql.acme-corp.io:1433;databaseName=sales;user=sa;password={pw11};encrypt=true"
    b.add("db-flag", mcp({"command": "java", "args": ["-jar", "db-mcp.jar", mssql]}), pw11)


def _wallets(b: _Builder) -> None:
    for i, name in enumerate(
        (
            "PRIVATE_KEY",
            "WALLET_PRIVATE_KEY",
            "EVM_PRIVATE_KEY",
            "SIGNER_KEY",
            "HYPERLIQUID_PRIVATE_KEY",
            "DEPLOYER_SECRET",
        )
    ):
        key = ("0x" if i % 2 else "") + fake_hex(64, 100 + i)
        b.add("wallet-hex", env_entry({name: key, "RPC_URL": "https://mainnet.base.org"}), key)
    seed_hex = fake_hex(64, 120)
    b.add("wallet-hex", codex_env({"WALLET_SEED": seed_hex}), seed_hex)
    key = "0x" + fake_hex(64, 121)
    b.add("wallet-hex", mcp({"command": "npx", "args": ["-y", "evm-mcp", "--private-key", key]}), key)
    for i, name in enumerate(("SOLANA_PRIVATE_KEY", "SOL_SECRET_KEY", "WALLET_KEYPAIR")):
        sk = solana_secret(i)
        b.add("wallet-solana", env_entry({name: sk, "SOLANA_NETWORK": "mainnet-beta"}), sk)
    sk = solana_secret(9)
    b.add("wallet-solana", mcp({"command": "npx", "args": ["solana-mcp", "--keypair", sk]}), sk)
    for i, (name, words) in enumerate(
        (
            ("MNEMONIC", 12),
            ("WALLET_MNEMONIC", 24),
            ("SEED_PHRASE", 12),
            ("TON_MNEMONIC", 24),
            ("RECOVERY_PHRASE", 18),
            ("mnemonic", 15),
        )
    ):
        phrase = mnemonic(words, i)
        b.add("wallet-mnemonic", env_entry({name: phrase}), phrase)
    phrase = mnemonic(12, 50)
    b.add("wallet-mnemonic", codex_env({"WALLET_SEED": phrase}), phrase)


def _rpc(b: _Builder) -> None:
    alchemy = fake_token("", 32, 1, _URLSAFE[:-2])
    b.add("rpc-path", env_entry({"RPC_URL": f"https://eth-mainnet.g.alchemy.com/v2/{alchemy}"}), alchemy)
    alchemy2 = fake_token("", 32, 2, _URLSAFE[:-2])
    b.add("rpc-path", url_entry(f"wss://base-mainnet.g.alchemy.com/v2/{alchemy2}"), alchemy2)
    infura = fake_hex(32, 3)
    b.add("rpc-path", env_entry({"ETH_RPC_URL": f"https://mainnet.infura.io/v3/{infura}"}), infura)
    infura2 = fake_hex(32, 4)
    b.add(
        "rpc-path",
        mcp({"command": "npx", "args": ["evm-mcp", "--rpc", f"wss://sepolia.infura.io/ws/v3/{infura2}"]}),
        infura2,
    )
    qn = fake_hex(40, 5)
    b.add(
        "rpc-path",
        env_entry({"SOLANA_RPC_URL": f"https://quiet-bold-river.solana-mainnet.quiknode.pro/{qn}/"}),
        qn,
    )
    ankr = fake_hex(64, 6)
    b.add("rpc-path", env_entry({"RPC": f"https://rpc.ankr.com/eth/{ankr}"}), ankr)
    gb = fake_hex(32, 7)
    b.add("rpc-path", env_entry({"RPC_URL": f"https://go.getblock.io/{gb}/"}), gb)
    cs = fake_hex(32, 8)
    b.add("rpc-path", env_entry({"RPC_URL": f"https://ethereum-mainnet.core.chainstack.com/{cs}"}), cs)
    helius = uuid4(9)
    b.add(
        "rpc-path", env_entry({"SOLANA_RPC_URL": f"https://mainnet.helius-rpc.com/?api-key={helius}"}), helius
    )
    blast = uuid4(10)
    b.add("rpc-path", env_entry({"RPC_URL": f"https://eth-mainnet.blastapi.io/{blast}"}), blast)


def _capability(b: _Builder) -> None:
    raw = f"{uuid4(1)}:{uuid4(2)}".encode()
    zap = base64.b64encode(raw).decode()
    b.add("capability-url", url_entry(f"https://mcp.zapier.com/api/mcp/s/{zap}/mcp"), zap)
    zap2 = fake_token("", 40, 3, _URLSAFE)
    b.add(
        "capability-url",
        mcp({"command": "npx", "args": ["-y", "mcp-remote", f"https://mcp.zapier.com/api/mcp/s/{zap2}/sse"]}),
        zap2,
    )
    ak = fake_token("sk-ak-", 28, 4)
    b.add("capability-url", url_entry(f"https://actions.zapier.com/mcp/{ak}/sse"), ak)
    comp = uuid4(5)
    b.add(
        "capability-url",
        url_entry(f"https://mcp.composio.dev/composio/server/{comp}/mcp?user_id=dev-1"),
        comp,
    )
    slug = "brave-quick-fox-" + fake_token("", 6, 6, _LOWER_ALNUM)
    b.add("capability-url", url_entry(f"https://mcp.composio.dev/github/{slug}"), slug)
    smk = uuid4(7)
    b.add(
        "capability-url",
        url_entry(f"https://server.smithery.ai/@acme/weather/mcp?api_key={smk}&profile=dev"),
        smk,
    )
    inner = fake_token("tvly-", 32, 8)
    cfg = base64.b64encode(json.dumps({"tavilyApiKey": inner}).encode()).decode()
    # The encoded parameter is the literal in the file (it holds the Tavily key).
    assert inner and "tvly" not in cfg
    b.add(
        "capability-url",
        url_entry(f"https://server.smithery.ai/@acme/tavily/mcp?config={cfg}"),
        cfg,
        same=(inner,),
    )
    make = uuid4(9)
    b.add("capability-url", url_entry(f"https://eu2.make.com/mcp/u/{make}/stateless"), make)
    fc = "fc-" + fake_hex(32, 10)
    b.add("capability-url", url_entry(f"https://mcp.firecrawl.dev/{fc}/v2/mcp"), fc)
    exa = uuid4(11)
    b.add("capability-url", url_entry(f"https://mcp.exa.ai/mcp?exaApiKey={exa}&tools=web_search_exa"), exa)
    pd = uuid4(12)
    b.add("capability-url", url_entry(f"https://mcp.pipedream.net/{pd}/gmail"), pd)


def _short_passwords(b: _Builder) -> None:
    for i, (name, length) in enumerate(
        (("KEY_PASSWORD", 6), ("DB_PASS", 5), ("SMTP_PASSWORD", 7), ("ODOO_PASSWORD", 8), ("PASSWORD", 3))
    ):
        pw = fake_token("", length, 200 + i)
        b.add("short-password", env_entry({name: pw, "DB_HOST": "db.acme-corp.io"}), pw)
    pw = fake_token("", 6, 210)
    b.add("short-password", codex_env({"KEYSTORE_PASSWORD": pw}), pw)


def _vendor(b: _Builder) -> None:
    rows = [
        ("BRAVE_API_KEY", fake_token("BSA", 27, 1)),
        ("GROQ_API_KEY", fake_token("gsk_", 52, 2)),
        ("OPENROUTER_API_KEY", "sk-or-v1-" + fake_hex(64, 3)),
        ("SUPABASE_SECRET_KEY", fake_token("sb_secret_", 31, 4)),
        ("VERCEL_TOKEN", fake_token("vcp_", 56, 5)),
        ("APIFY_TOKEN", fake_token("apify_api_", 36, 6)),
        ("PINECONE_API_KEY", fake_token("pcsk_", 5, 7) + "_" + fake_token("", 63, 7)),
        ("CLOUDFLARE_API_TOKEN", fake_token("cfut_", 40, 8) + fake_hex(8, 8)),
        ("GITLAB_TOKEN", fake_token("glpat-", 27, 9) + ".01." + fake_token("", 7, 9, _LOWER_ALNUM)),
        ("RESEND_API_KEY", fake_token("re_", 8, 10, B58) + "_" + fake_token("", 24, 10, B58)),
        ("BREVO_API_KEY", "xkeysib-" + fake_hex(64, 11) + "-" + fake_token("", 16, 11)),
        ("DOCKERHUB_TOKEN", fake_token("dckr_pat_", 27, 12, _URLSAFE)),
        ("PLANETSCALE_TOKEN", fake_token("pscale_tkn_", 43, 13)),
        ("CEREBRAS_API_KEY", fake_token("csk-", 48, 14, _LOWER_ALNUM)),
        ("NVIDIA_API_KEY", fake_token("nvapi-", 64, 15, _URLSAFE)),
        ("TOGETHER_API_KEY", fake_token("tgp_v1_", 43, 16, _URLSAFE)),
        ("LLAMA_CLOUD_API_KEY", fake_token("llx-", 48, 17)),
        ("POSTHOG_PERSONAL_API_KEY", fake_token("phx_", 43, 18)),
        ("LANGFUSE_SECRET_KEY", "sk-lf-" + uuid4(19)),
        ("HUBSPOT_ACCESS_TOKEN", "pat-na1-" + uuid4(20)),
        ("TAILSCALE_API_KEY", fake_token("tskey-api-", 16, 21) + "-" + fake_token("", 32, 21)),
        ("VAULT_TOKEN", fake_token("hvs.", 90, 22, _URLSAFE)),
        ("ONEPASSWORD_SA", "ops_eyJ" + fake_token("", 120, 23)),
        ("NEW_RELIC_API_KEY", fake_token("NRAK-", 27, 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
        ("RENDER_API_KEY", fake_token("rnd_", 32, 25)),
        ("SOURCEGRAPH_TOKEN", "sgp_" + fake_hex(16, 26) + "_" + fake_hex(40, 26)),
        ("PREFECT_API_KEY", fake_token("pnu_", 36, 27)),
        ("TYPEFORM_TOKEN", fake_token("tfp_", 44, 28, _URLSAFE)),
        ("MEM0_API_KEY", fake_token("m0-", 40, 29)),
        ("GEMINI_API_KEY", fake_token("AQ.Ab8RN6", 44, 30, _URLSAFE)),
    ]
    rows += [
        ("AWS_BEARER_TOKEN_BEDROCK", fake_token("ABSK", 120, 31, _URLSAFE[:-2] + "+/")),
        ("LANGSMITH_API_KEY", "lsv2_pt_" + fake_hex(32, 32) + "_" + fake_hex(10, 32)),
        ("CIRCLECI_TOKEN", fake_token("CCIPAT_", 22, 33) + "_" + fake_token("", 40, 33, _LOWER_ALNUM)),
        ("WANDB_API_KEY", fake_token("wandb_v1_", 77, 34)),
        ("GEM_HOST_API_KEY", "rubygems_" + fake_hex(48, 35)),
        ("ELASTIC_API_KEY", fake_token("essu_", 80, 36, _URLSAFE)),
        ("GRAFANA_CLOUD_TOKEN", fake_token("glc_", 80, 37)),
        ("BUILDKITE_API_TOKEN", fake_token("bkua_", 40, 38, _LOWER_ALNUM)),
        ("DENO_DEPLOY_TOKEN", fake_token("ddp_", 36, 39)),
        ("AI_GATEWAY_API_KEY", fake_token("vck_", 56, 40, _URLSAFE)),
    ]
    for name, value in rows:
        b.add("vendor-shape", env_entry({name: value}), value)
    # The same shapes with no name to lean on: a positional argument, as wrappers take them.
    for _name, value in rows:
        b.add("vendor-positional", mcp({"command": "npx", "args": ["-y", "svc-mcp", value]}), value)
    value = fake_token("gsk_", 52, 40)
    b.add("vendor-shape", mcp({"command": "npx", "args": ["-y", "groq-mcp", "--key", value]}), value)


# ---------------------------------------------------------------------------------------------
# Negatives


def _negatives(b: _Builder) -> None:
    # Placeholders in several languages under credential names.
    for _i, text in enumerate(
        (
            "your-private-key-here",
            "<YOUR_WALLET_PRIVATE_KEY>",
            "你的私钥",
            "替换为你的API密钥",
            "あなたのAPIキー",
            "여기에_API_키",
            "tu_clave_privada_aqui",
            "SUA_CHAVE_AQUI",
            "votre-cle-api",
            "dein-api-key",
            "ваш_api_ключ",
            "0xYOUR_PRIVATE_KEY",
            "word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12",
            "your twelve word mnemonic phrase goes here",
        )
    ):
        b.add("neg-placeholder", env_entry({("MNEMONIC" if "word" in text else "PRIVATE_KEY"): text}))
    b.add("neg-placeholder", url_entry("https://eth-mainnet.g.alchemy.com/v2/YOUR_API_KEY"))
    b.add("neg-placeholder", url_entry("https://mainnet.infura.io/v3/<INFURA_PROJECT_ID>"))
    b.add("neg-placeholder", url_entry("https://mcp.zapier.com/api/mcp/s/YOUR_SERVER_SECRET/mcp"))
    b.add("neg-placeholder", url_entry("https://mcp.firecrawl.dev/fc-YOUR_API_KEY/v2/mcp"))
    b.add("neg-placeholder", mcp({"command": "mysql", "args": ["-uroot", "-pyour_password", "shop"]}))
    b.add("neg-placeholder", env_entry({"KEY_PASSWORD": "<password>"}))
    b.add("neg-placeholder", env_entry({"ADMIN_PASSWORD": "contraseña"}))
    b.add("neg-placeholder", env_entry({"DB_PASSWORD": "密码"}))
    b.add("neg-placeholder", env_entry({"DB_PASSWORD": "passwort"}))
    # References in every syntax, in the new kinds' places.
    b.add("neg-reference", env_entry({"PRIVATE_KEY": "${env:WALLET_PRIVATE_KEY}"}))
    b.add("neg-reference", url_entry("https://eth-mainnet.g.alchemy.com/v2/${ALCHEMY_API_KEY}"))
    b.add("neg-reference", url_entry("https://mainnet.infura.io/v3/{{INFURA_KEY}}"))
    b.add("neg-reference", mcp({"command": "mysql", "args": ["-uroot", "-p${MYSQL_ROOT_PASSWORD}", "shop"]}))
    b.add("neg-reference", mcp({"command": "sh", "args": ["-c", "mysqladmin ping -uroot -p$$MYSQL_PWD"]}))
    b.add("neg-reference", mcp({"command": "mysql", "args": ["-uroot", "-p%MYSQL_PWD%", "shop"]}))
    b.add(
        "neg-reference",
        mcp(
            {
                "command": "npx",
                "args": [
                    "-y",
                    "mcp-remote",
                    "https://mcp.acme-tools.io/sse",
                    "--header",
                    "Authorization:${AUTH_HEADER}",
                ],
                "env": {"AUTH_HEADER": "Bearer ${env:ACME_TOKEN}"},
            }
        ),
    )
    b.add("neg-reference", env_entry({"MNEMONIC": "${input:wallet-mnemonic}"}, ".vscode/mcp.json"))
    # Public-by-design keys: LOW with a reason at most.
    b.add("neg-public", env_entry({"STRIPE_PUBLISHABLE_KEY": fake_token("pk_live_", 99, 1)}), low_ok=True)
    b.add("neg-public", env_entry({"POSTHOG_KEY": fake_token("phc_", 43, 2)}), low_ok=True)
    b.add(
        "neg-public",
        env_entry({"ALGOLIA_SEARCH_API_KEY": fake_hex(32, 3), "ALGOLIA_APP_ID": "ABC123XYZ9"}),
        low_ok=True,
    )
    b.add(
        "neg-public",
        env_entry(
            {
                "MAPBOX_ACCESS_TOKEN": "pk.eyJ1Ijoi"
                + fake_token("", 60, 4)
                + "."
                + fake_token("", 22, 4, _URLSAFE)
            }
        ),
        low_ok=True,
    )
    firebase = {
        "apiKey": fake_token("AIza", 35, 5, _URLSAFE),
        "authDomain": "acme-app.firebaseapp.com",
        "projectId": "acme-app",
        "appId": "1:123456789012:web:" + fake_hex(22, 5),
    }
    b.add(
        "neg-public",
        mcp({"command": "npx", "args": ["firebase-mcp"], "env": {"FIREBASE_CONFIG": json.dumps(firebase)}}),
        low_ok=True,
    )
    b.add(
        "neg-public",
        env_entry({"SENTRY_DSN": f"https://{fake_hex(32, 6)}@o123456.ingest.sentry.io/4501234"}),
        low_ok=True,
    )
    b.add("neg-public", env_entry({"LANGFUSE_PUBLIC_KEY": "pk-lf-" + uuid4(7)}), low_ok=True)
    b.add("neg-public", url_entry("https://eth-mainnet.g.alchemy.com/v2/demo"), low_ok=True)
    # Identifiers and hashes that look like keys.
    b.add("neg-identifier", env_entry({"WALLET_ADDRESS": "0x" + fake_hex(40, 1)}))
    b.add("neg-identifier", env_entry({"TX_HASH": "0x" + fake_hex(64, 2)}))
    b.add("neg-identifier", env_entry({"CONTRACT_STORAGE_SLOT": "0x" + fake_hex(64, 3)}))
    b.add("neg-identifier", env_entry({"GENESIS_BLOCK_HASH": fake_hex(64, 4)}))
    b.add("neg-identifier", env_entry({"SOLANA_PUBLIC_KEY": solana_pubkey(5)}))
    b.add("neg-identifier", env_entry({"WALLET_PUBLIC_KEY": solana_pubkey(6)}))
    b.add("neg-identifier", env_entry({"REQUEST_ID": uuid4(7), "WORKSPACE_ID": uuid4(8)}))
    b.add("neg-identifier", env_entry({"COMMIT": fake_hex(40, 9)}))
    b.add(
        "neg-identifier",
        mcp({"command": "bazel", "args": ["run", "//tools:mcp"], "env": {"mnemonic": "CppLink"}}),
    )
    b.add("neg-identifier", env_entry({"ASM_MNEMONIC": "mov"}))
    b.add("neg-identifier", url_entry(f"https://api.acme-tools.io/v2/items/{uuid4(10)}"))
    b.add("neg-identifier", url_entry(f"https://github.com/acme/tools/commit/{fake_hex(40, 11)}"))
    b.add("neg-identifier", env_entry({"SEED": "42"}))
    # Ports and flags that are not passwords.
    b.add(
        "neg-flag", mcp({"command": "docker", "args": ["run", "-i", "--rm", "-p", "3306:3306", "mysql-mcp"]})
    )
    b.add("neg-flag", mcp({"command": "docker", "args": ["run", "-i", "-p3000:3000", "acme/mcp"]}))
    b.add(
        "neg-flag",
        mcp({"command": "psql", "args": ["-h", "db.acme-corp.io", "-p5432", "-U", "app", "sales"]}),
    )
    b.add(
        "neg-flag",
        mcp({"command": "mysql", "args": ["-h", "db.acme-corp.io", "-P3306", "-uapp", "-p", "sales"]}),
    )
    b.add("neg-flag", mcp({"command": "npx", "args": ["-y", "some-mcp", "-p", "8080"]}))
    b.add("neg-flag", mcp({"command": "uvx", "args": ["tool-mcp", "-pdefault"]}))
    b.add("neg-flag", mcp({"command": "npx", "args": ["-y", "mcp-server-mysql", "--password="]}))
    # Local defaults.
    b.add("neg-local", mcp({"command": "mysql", "args": ["-h127.0.0.1", "-uroot", "-proot", "shop"]}))
    b.add("neg-local", env_entry({"MYSQL_HOST": "localhost", "MYSQL_PASSWORD": "root"}))
    b.add("neg-local", env_entry({"DB_HOST": "localhost", "DB_PASS": "secret"}))
    b.add("neg-local", env_entry({"POSTGRES_PASSWORD": "postgres"}))
    b.add("neg-local", env_entry({"REDIS_PASSWORD": "changeme"}))
    b.add("neg-local", env_entry({"PRIVATE_KEY": "0x" + "0" * 63 + "1"}))
    b.add("neg-local", env_entry({"MNEMONIC": " ".join(["test"] * 11 + ["junk"])}))
    b.add("neg-local", env_entry({"MNEMONIC": " ".join(["abandon"] * 11 + ["about"])}))
    b.add("neg-local", env_entry({"PASSWORD_MIN_LENGTH": "8", "PASSWORD_AUTH": "true"}))
    # Keyless endpoints of the same services.
    for url in (
        "https://mcp.exa.ai/mcp?tools=web_search_exa",
        "https://mcp.firecrawl.dev/v2/mcp",
        "https://rpc.ankr.com/eth",
        "https://mcp.zapier.com/api/v1/connect",
        "https://mcp.pipedream.net/v2",
        "https://remote.mcp.pipedream.net/v3",
        "https://eu2.make.com/mcp/stateless",
        "https://api.mainnet-beta.solana.com",
        "https://mcp.composio.dev",
        "https://server.smithery.ai/@acme/weather/mcp",
        "https://mainnet.helius-rpc.com/",
    ):
        b.add("neg-keyless", url_entry(url))


def _wave4(b: _Builder) -> None:
    """Shapes of the wave-4 real-world pass (public configs found with the search tool)."""
    # 4xguy/n8n-mcp claude-desktop-config.json: mcp-remote `--header` with a base64 Bearer token.
    rng = random.Random(401)
    bearer = base64.b64encode(bytes(rng.randrange(256) for _ in range(32))).decode()
    args = ["-y", "@modelcontextprotocol/mcp-remote@latest", "connect", "--header",
            f"Authorization: Bearer {bearer}", "https://n8n-mcp-production-0000.up.railway.app/mcp"]
    b.add("vendor-shape", mcp({"command": "npx", "args": args}, "claude-desktop-config.json"), bearer)
    # SMGoro/mcsm-mcp .iflow/settings.json: a 32-hex key in `headers` of a local HTTP server.
    key = fake_hex(32, 402)
    b.add("vendor-shape", mcp({"url": "http://localhost:3009/mcp", "transport": "sse",
                               "headers": {"MCSM_API_KEY": key}}, ".iflow/settings.json"), key)
    # `export KEY=value; exec ...` in a launcher: the value without the separator.
    opaque = fake_token("", 40, 403)
    script = f"export ACME_API_KEY={opaque}; exec uvx acme-mcp"
    b.add("vendor-shape", mcp({"command": "bash", "args": ["-c", script]}), opaque)
    # What people commit instead of a value: secret-store references and launchers reading one.
    for value in ("op://Private/OpenAI/credential", "vault:secret/data/mcp#token",
                  "arn:aws:secretsmanager:us-east-1:123456789012:secret:mcp/api-key-AbCdEf",
                  "projects/my-proj/secrets/mcp-api-key/versions/latest", "ref+awssecrets://mcp/api-key",
                  "os.environ/OPENAI_API_KEY", "@OPENAI_API_KEY@"):
        b.add("neg-reference", env_entry({"OPENAI_API_KEY": value}))
    for script in ('export GITHUB_TOKEN="$(security find-generic-password -s gh -w)"; exec npx -y gh-mcp',
                   'GITHUB_TOKEN="$(op read op://Dev/GitHub/token)" exec npx -y gh-mcp',
                   "GITHUB_TOKEN=$(pass show dev/github) npx -y gh-mcp"):
        b.add("neg-reference", mcp({"command": "sh", "args": ["-c", script]}))
    crush = json.dumps({"mcp": {"svc": {"type": "http", "url": "https://mcp.acme.io/mcp",
                                        "headers": {"Authorization": "$(echo Bearer $ACME_MCP_TOKEN)"}}}})
    b.add("neg-reference", ("crush.json", crush))
    # MCPHub.nvim servers.json: `${cmd: ...}` runs a command (olimorris/dotfiles).
    b.add("neg-reference", env_entry({"TAVILY_API_KEY": "${cmd: op read op://personal/Tavily_API/credential "
                                                         "--no-newline}"}, ".config/mcphub/servers.json"))
    # cyphbt/gitlab-mcp-server cursor-config.json: "replace with your actual GitLab token" (Chinese).
    b.add("neg-placeholder", env_entry({"GITLAB_TOKEN": "替换为您的实际GitLab Token"}, "cursor-config.json"))
    # A subagent's inline server with placeholders (public `.claude/agents/*.md`).
    b.add("neg-placeholder", (".claude/agents/vault.md", "---\nname: vault\nmcpServers:\n  - vault-read:\n"
                              "      type: http\n      url: \"<SERVER_URL>/mcp/read/mcp\"\n      headers:\n"
                              "        Authorization: \"Bearer <AUTH_TOKEN>\"\n---\nbody\n"))


def _deployments(b: _Builder) -> None:
    """MCP servers in deployment files: compose services of MCP images (public compose files of
    `ghcr.io/github/github-mcp-server`, `mcp/postgres`, `npx -y @modelcontextprotocol/server-*`) and
    Kubernetes ConfigMaps embedding a client config (`data: mcp.json: |`, `config.toml: |-`)."""
    key = fake_token("", 40, 501)
    compose = ("services:\n  acme:\n    image: mcp/acme\n    environment:\n"
               f"      - ACME_API_KEY={key}\n      - ACME_REGION=eu-west-1\n")
    b.add("deploy-embedded", ("docker-compose.yml", compose), key)
    pg = fake_token("", 18, 502)
    compose = ("services:\n  pg:\n    image: node:22\n"
               f"    command: npx -y @modelcontextprotocol/server-postgres postgresql://app:{pg}@db.internal/app\n")
    b.add("deploy-embedded", ("compose.yaml", compose), pg)
    acme = fake_token("", 40, 503)
    inner = json.dumps({"mcpServers": {"acme": {"command": "npx", "env": {"ACME_API_KEY": acme}}}}, indent=2)
    block = "\n".join("    " + line for line in inner.split("\n"))
    manifest = f"apiVersion: v1\nkind: ConfigMap\ndata:\n  mcp.json: |\n{block}\n"
    b.add("deploy-embedded", ("k8s/agent.yaml", manifest), acme)
    toml_key = fake_token("", 40, 504)
    manifest = ("kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-codex\ndata:\n  config.toml: |-\n"
                f'    [mcp_servers.acme]\n    command = "npx"\n    env = {{ ACME_API_KEY = "{toml_key}" }}\n')
    b.add("deploy-embedded", ("charts/agent/templates/configmap.yaml", manifest), toml_key)
    # What the same files hold instead of a value: compose and Helm placeholders, secretKeyRef.
    compose = ("services:\n  github:\n    image: ghcr.io/github/github-mcp-server\n    environment:\n"
               "      - GITHUB_PERSONAL_ACCESS_TOKEN=${GITHUB_TOKEN}\n"
               "      - GITHUB_HOST=${GITHUB_HOST:-github.com}\n")
    b.add("neg-placeholder", ("docker-compose.yml", compose))
    helm = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "{{ .Values.github.token }}", "ACME_API_KEY": "${ACME_API_KEY}"}}}})
    manifest = (f"kind: ConfigMap\ndata:\n  mcp.json: |\n    {helm}\n---\nkind: Deployment\nspec:\n"
                "  template:\n    spec:\n      containers:\n        - env:\n"
                "            - name: GITHUB_TOKEN\n              valueFrom:\n"
                "                secretKeyRef: {name: gh, key: token}\n")
    b.add("neg-placeholder", ("deploy/configmap.yaml", manifest))
    # Recall pass 3: configs written by CI workflows (claude-code-action `mcp_config`, `--mcp-config`,
    # heredocs), FastMCP `fastmcp.json` deployment env, entrypoint-started compose services, folded
    # ConfigMap entries; and the references the same files hold instead.
    dd = fake_token("", 32, 505, "0123456789abcdef")
    block = "\n".join("            " + line for line in json.dumps({"mcpServers": {"datadog": {
        "command": "npx", "args": ["-y", "@winor30/mcp-server-datadog"],
        "env": {"DATADOG_API_KEY": dd, "DATADOG_SITE": "datadoghq.eu"}}}}, indent=2).split("\n"))
    workflow = ("on: [issue_comment]\njobs:\n  claude:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: anthropics/claude-code-action@beta\n        with:\n"
                f"          mcp_config: |\n{block}\n")
    b.add("deploy-embedded", (".github/workflows/claude.yml", workflow), dd)
    pat = fake_token("ghp_", 36, 506)
    workflow = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
                "          cat > .mcp.json <<'EOF'\n"
                f'          {{"mcpServers": {{"gh": {{"command": "npx",\n'
                f'           "env": {{"GITHUB_TOKEN": "{pat}"}}}}}}}}\n'
                "          EOF\n")
    b.add("deploy-embedded", (".github/workflows/agent.yml", workflow), pat)
    weather = fake_token("", 40, 507)
    fastmcp = {"source": {"path": "server.py", "entrypoint": "mcp"},
               "deployment": {"transport": "http", "env": {"WEATHER_API_KEY": weather}}}
    b.add("deploy-embedded", ("fastmcp.json", json.dumps(fastmcp)), weather)
    ep = fake_token("", 40, 508)
    compose = ("services:\n  tools:\n    image: node:22-alpine\n"
               '    entrypoint: ["npx", "-y", "@modelcontextprotocol/server-github"]\n'
               f"    environment:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {ep}\n")
    b.add("deploy-embedded", ("docker-compose.yml", compose), ep)
    folded = fake_token("", 40, 509)
    manifest = ("kind: ConfigMap\ndata:\n  mcp.json: >-\n"
                f'    {{"mcpServers": {{"acme": {{"command": "npx",\n'
                f'      "env": {{"ACME_API_KEY": "{folded}"}}}}}}}}\n')
    b.add("deploy-embedded", ("k8s/agent.yaml", manifest), folded)
    workflow = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: anthropics/claude-code-action@v1\n        with:\n"
                "          mcp_config: .github/mcp.json\n          claude_args: |\n"
                "            --mcp-config '{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"env\":"
                "{\"GITHUB_PERSONAL_ACCESS_TOKEN\":\"${{ secrets.GITHUB_TOKEN }}\"}}}}'\n")
    b.add("neg-placeholder", (".github/workflows/claude.yml", workflow))
    b.add("neg-placeholder", ("fastmcp.json", json.dumps({"source": {"path": "server.py"}, "deployment": {
        "env": {"WEATHER_API_KEY": "${WEATHER_API_KEY}", "API_BASE": "https://api.weather.example"}}})))

def _wave5(b: _Builder) -> None:
    """Tokens with no name and no shape (engines/opaque.py), and the random-looking values that are not."""
    for i in range(3):  # random tokens of 32, 40 and 48 characters
        value = fake_token("", 32 + 8 * i, 500 + i)
        b.add("opaque-positional", mcp({"command": "npx", "args": ["-y", "acme-mcp", value]}), value)
    value = fake_token("", 40, 503)
    b.add("opaque-positional", mcp({"command": "acme-mcp", "args": ["-k", value, "--stdio"]}), value)
    for i, url in enumerate(("https://mcp.acme-tools.io/s/{v}/mcp", "https://api.acme-tools.io/mcp?c={v}",
                             "https://hooks.acme-tools.io/{v}/sse")):
        value = fake_token("", 36, 510 + i, _URLSAFE)
        b.add("capability-url", url_entry(url.format(v=value)), value)
    value = fake_token("", 40, 513)
    proxy = {"command": "npx", "args": ["-y", "mcp-remote", f"https://mcp.acme-tools.io/{value}/sse"]}
    b.add("capability-url", mcp(proxy), value)
    # Random-looking values that are ids, addresses, hashes or encodings: never opaque tokens.
    config = base64.b64encode(json.dumps({"region": "eu-west-1", "debug": True}).encode()).decode()
    for value in (solana_pubkey(520), "Qm" + b58encode(bytes(random.Random(521).randrange(256)
                                                             for _ in range(32)))[:44],
                  fake_hex(40, 522), uuid4(523), config, "claude-3-5-sonnet-20241022", "2024-11-05T10:00:00Z",
                  "./data/" + fake_token("", 30, 524)):
        b.add("neg-identifier", mcp({"command": "npx", "args": ["-y", "acme-mcp", value]}))
    b.add("neg-identifier", mcp({"command": "npx", "args": ["-y", "gsheets-mcp", "--sheet-id",
                                                            fake_token("", 44, 525)]}))
    for url in (f"https://mcp.acme-tools.io/v1/workspaces/{uuid4(526)}/sse",
                f"https://mcp.acme-tools.io/{fake_hex(40, 527)}/mcp",
                "https://mcp.acme-tools.io/mcp?client=claude-desktop&version=1.2.3",
                f"https://docs.acme-tools.io/d/{fake_token('', 44, 528)}/edit"):
        b.add("neg-identifier", mcp({"command": "npx", "args": ["-y", "acme-fetch-mcp", url]}))
    b.add("neg-identifier", url_entry(f"https://mcp.acme-tools.io/v1/workspaces/{uuid4(529)}/sse"))
    value = fake_token("", 40, 530)
    b.add("opaque-header", mcp({"url": "https://mcp.acme-tools.io/mcp", "headers": {"X-Acme-Org": value}}),
          value)
    b.add("neg-identifier", mcp({"url": "https://mcp.acme-tools.io/mcp", "headers": {
        "X-Tenant-Id": uuid4(531), "X-Workspace": fake_hex(40, 532), "User-Agent": "acme-mcp/1.4.2"}}))


def wild_cases() -> list[WildCase]:
    from tests.matrix.wild_cases_corpus import corpus_rows

    b = _Builder()
    for part in (_joined_flags, _wallets, _rpc, _capability, _short_passwords, _vendor, _negatives, _wave4,
                 _deployments, _wave5, corpus_rows):
        part(b)
    return b.cases
