"""Exit codes and the one place exceptions become them (shared by every click command group)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@contextmanager
def error_handler(debug: bool) -> Iterator[None]:
    """The one place exceptions become exit codes (McpGuardError -> 2 with one line)."""
    from scanner.errors import McpGuardError

    try:
        yield
    except McpGuardError as exc:
        _echo(f"mcp-guard: error: {exc}")
        sys.exit(EXIT_ERROR)
    except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
        raise
    except OSError as exc:  # unwritable output, unreadable path, full disk: the user can fix these
        if debug:
            _traceback()
        _echo(f"mcp-guard: error: {os_error_line(exc)}")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            _traceback()
        click.echo(f"mcp-guard: internal error ({type(exc).__name__}); rerun with --debug for details",
                   err=True)
        sys.exit(EXIT_ERROR)


def _echo(line: str) -> None:
    """One line on stderr through the output boundary: an error can name a path or a value."""
    from scanner.output_guard import check_output

    click.echo(check_output(line, "the error line"), err=True)


def _traceback() -> None:
    """--debug: the traceback, through the output boundary too (messages may quote scanned text)."""
    import traceback

    from scanner.output_guard import SecretLeakError, check_output

    try:
        text = check_output(traceback.format_exc(), "the traceback")
    except SecretLeakError:  # strict mode: say so rather than lose the error line below
        text = "(traceback withheld: it holds secret material)\n"
    click.echo(text, err=True, nl=False)


def os_error_line(exc: OSError) -> str:
    """`PATH: reason` in one line (no traceback, no scanned value)."""
    reason = exc.strerror or type(exc).__name__
    if exc.filename is None:
        return f"operating system error: {reason}"
    extra = f" -> {exc.filename2}" if exc.filename2 is not None else ""
    return f"{exc.filename}{extra}: {reason}"
