"""Values that only name where a secret comes from: deploy-time token slots and secret-store locators.

Real configs written by other people (corpus 11) commit a name in the slot syntax of the tool that
fills it in at deploy time, or a locator a secret store resolves at run time:
- `#{GITHUB_TOKEN}#` / `#{Octopus.Action.Api.Key}` (Azure DevOps Replace Tokens, Octopus Deploy),
  `__ANTHROPIC_API_KEY__` (sed / replace-tokens templates), `@@API_KEY@@`, `[[API_KEY]]`,
  `%(API_KEY)s` (Python format), `%%API_KEY%%`, `ENV["API_KEY"]` (Ruby / ERB);
- `keychain:github-token`, `keychain://service/account`, `keyring:mcp/github` (OS keychain locators
  several MCP tools and agent frameworks store instead of the secret);
- `file:/run/secrets/ts-authkey` (a mounted secret file the tool reads: Tailscale's `TS_AUTHKEY=file:…`,
  secret references of several agent and connector configs);
- `secretref:jira-pat` (Azure Container Apps: an env var that names one of the app's secrets,
  `az containerapp create --env-vars JIRA_PERSONAL_TOKEN=secretref:jira-pat`).
The slot's inside must read as a name (one letter case, at most a few digits, or dotted / CamelCase
words): a random token inside the same brackets (`__aB3x…__`) is judged as a value.
"""

from __future__ import annotations

import re

# A name as a slot holds it: UPPER_SNAKE, lower_snake, dotted / CamelCase words (`Octopus.Action.Key`,
# `Component_EncodingAESKey`: words of a capital and lower-case letters, or short acronyms). Each
# alternative starts a new word only at a separator or a capital, so matching is linear; random
# mixed case (`W6pqWqlmCAEOYa`) has digits and one-letter words no name has.
_NAME = (r"(?:[A-Z][A-Z0-9]*(?:[._-][A-Z0-9]+)*|[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*"
         r"|[A-Z][a-z]+(?:[._-]?(?:[A-Z][a-z]+|[A-Z]{2,5}(?![a-z])))*)")
_SLOT = re.compile(
    rf"#\{{{_NAME}\}}#?|__{_NAME}__|@@{_NAME}@@|\[\[{_NAME}\]\]|%\({_NAME}\)s|%%{_NAME}%%"
    rf"|ENV\[(?:'{_NAME}'|\"{_NAME}\"|{_NAME})\]")
# An OS keychain (or Azure Container Apps secret) locator: the store's scheme, then a path of names.
_LOCATOR = re.compile(r"(?:keychain|keyring|secretref):(?://)?[A-Za-z][A-Za-z0-9_.@-]*(?:[/:][A-Za-z][A-Za-z0-9_.@-]*)*/?")
# A secret file's locator: `file:` + an absolute or home path of names (no `..`).
_FILE = re.compile(r"file:(?://)?(?:~/|/)(?!\.\.)[A-Za-z0-9_.@-]+(?:/(?!\.\.)[A-Za-z0-9_.@-]+)*")
_MAX_DIGITS = 4  # `API_KEY_V2`, `service2024`; a random run holds more


def is_token_slot(value: str) -> bool:
    """True when the whole value is a deploy-time token slot or a secret-store locator naming a secret."""
    text = value.strip()
    if len(text) > 160 or sum(c.isdigit() for c in text) > _MAX_DIGITS:
        return False
    return bool(_SLOT.fullmatch(text) or _LOCATOR.fullmatch(text) or _FILE.fullmatch(text))
