"""What a default scan starts before the CLI imports the scanner (standard library only, besides
the two modules below, which are too): git's listings of the work tree, and gitleaks.

The imports and the options of `mcp-guard scan` (policy, baseline, reporters, then the pipeline
with the client catalog and the engines) are ~0.1-0.2 s of CPU before the pipeline could launch
gitleaks itself; gitleaks' start-up (~0.25-0.4 s, go-re2 compiling its WebAssembly) then runs beside
them. gitleaks is launched here, not fed (`GitleaksRun.launch`: it waits for its configuration on a
pipe and finds its source only once the pipeline has staged the whole copy), and only for a work
tree whose index holds at least EARLY_LAUNCH_NAMES entries: the count at which the pipeline
launches it before the listing is classified, read from 12 bytes of the index instead of git's
listing, which is not there yet. Every other scan starts gitleaks where it did.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scanner.engines.gitleaks_run import EARLY_LAUNCH_NAMES, GITLEAKS_TIMEOUT, GitleaksRun, find_gitleaks
from scanner.sources.gitlist import WorkTreeListings, index_entries


class EarlyWork:
    """The listings and the gitleaks run started for one scan; `cancel()` stops whatever the scan
    did not collect (idempotent: a run the scan fed and ended is not touched again)."""

    def __init__(self, listings: WorkTreeListings | None, gitleaks: GitleaksRun | None) -> None:
        self.listings = listings
        self.gitleaks = gitleaks

    @classmethod
    def start(cls, root: Path, default_scan: bool, use_gitleaks: bool, gitleaks_path: str | None,
              timeout: float | None, environ: Mapping[str, str]) -> EarlyWork:
        """Started for the scan of `root`: nothing unless it is the default scan of the work tree
        (no paths named, not `--all-files`), the listings then, and gitleaks as well when it is on,
        the index is large enough and the binary is found. `timeout`: the scan's `--timeout`."""
        if not default_scan:
            return cls(None, None)
        listings = WorkTreeListings(root)
        gitleaks = None
        try:
            if use_gitleaks and (index_entries(root, environ) or 0) >= EARLY_LAUNCH_NAMES:
                binary = find_gitleaks(gitleaks_path, environ)
                if binary is not None:
                    gitleaks = GitleaksRun.launch(binary, _timeout(timeout))
        except BaseException:
            listings.cancel()
            raise
        return cls(listings, gitleaks)

    def cancel(self) -> None:
        if self.listings is not None:
            self.listings.cancel()
        if self.gitleaks is not None:
            self.gitleaks.close()


def _timeout(scan_timeout: float | None) -> int:
    """gitleaks' own timeout as the pipeline sets it (`_gitleaks_timeout`): the default, never past
    the scan's deadline, which is all of `--timeout` at this point."""
    if not scan_timeout:
        return GITLEAKS_TIMEOUT
    return max(1, min(GITLEAKS_TIMEOUT, int(scan_timeout)))
