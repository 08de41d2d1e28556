"""Point action.yml at a published image: `image: Dockerfile` becomes `image: docker://REF@sha256:...`.

Run by .github/workflows/release.yml in the release commit only (the branch keeps `image: Dockerfile`,
the build-from-source path). Usage: pin_action_image.py ACTION_YML IMAGE DIGEST
Refuses anything but one `image: Dockerfile` line under `runs:` and a well-formed sha256 digest.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_IMAGE = re.compile(r"^ghcr\.io/[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._/-]*$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_LINE = re.compile(r"^(\s+)image:\s*['\"]?Dockerfile['\"]?\s*(#.*)?$")


def pin(text: str, image: str, digest: str) -> str:
    if not _IMAGE.match(image):
        raise ValueError(f"image must be a lowercase ghcr.io/OWNER/NAME reference without tag: {image!r}")
    if not _DIGEST.match(digest):
        raise ValueError(f"digest must be sha256:<64 hex>: {digest!r}")
    lines = text.splitlines(keepends=True)
    in_runs = False
    hits = []
    for number, line in enumerate(lines):
        if line.strip() and not line[0].isspace():
            in_runs = line.rstrip() == "runs:"
        elif in_runs and _LINE.match(line.rstrip("\n")):
            hits.append(number)
    if len(hits) != 1:
        raise ValueError(f"expected one `image: Dockerfile` line under runs:, found {len(hits)}")
    indent = _LINE.match(lines[hits[0]].rstrip("\n")).group(1)  # type: ignore[union-attr]
    lines[hits[0]] = f"{indent}image: docker://{image}@{digest}\n"
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: pin_action_image.py ACTION_YML IMAGE DIGEST", file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        path.write_text(pin(path.read_text(encoding="utf-8"), argv[1], argv[2]), encoding="utf-8")
    except (OSError, ValueError) as exc:
        print(f"pin_action_image: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
