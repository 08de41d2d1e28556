"""Actions runner I/O: workflow commands (escaped like actions/toolkit), GITHUB_OUTPUT, step summary."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from scanner.output_guard import check_output
from scanner.safe_write import write_text_safely

# $GITHUB_STEP_SUMMARY upload aborts above 1024k; leave room for what other steps append.
MAX_SUMMARY_BYTES = 1024 * 1024 - 4096


def escape_data(value: str) -> str:
    """Message escaping of actions/toolkit command.ts escapeData."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Property escaping of actions/toolkit command.ts escapeProperty."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, properties: Mapping[str, str | int | None]) -> str:
    """`::command k=v,k=v::message` with every part escaped; None properties are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None and value != "")
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def _delimiter(value: str) -> str:
    while True:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter not in value:
            return delimiter


def format_output(name: str, value: str) -> str:
    """One GITHUB_OUTPUT entry in heredoc form with a random delimiter absent from the value."""
    if "\n" in name or "=" in name or "<<" in name:
        raise ValueError("invalid output name")
    delimiter = _delimiter(value)
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def truncate_utf8(text: str, max_bytes: int, note: str) -> str:
    """`text` cut at a line break so that text + note fits in `max_bytes` of UTF-8."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    budget = max_bytes - len(note.encode("utf-8"))
    head = data[: max(0, budget)].decode("utf-8", "ignore")  # "ignore" drops a split character
    cut = head.rfind("\n")
    return (head[:cut] if cut > 0 else head) + note


class Runner:
    """Where the Action's results go on the runner: stdout commands, outputs file, step summary."""

    def __init__(self, stream: TextIO, output_path: Path | None, summary_path: Path | None) -> None:
        self._stream = stream
        self._output_path = output_path
        self._summary_path = summary_path

    def log(self, message: str) -> None:
        self._stream.write(check_output(message.rstrip("\n"), "the workflow log") + "\n")

    def command(self, command: str, message: str, **properties: str | int | None) -> None:
        self.log(workflow_command(command, message, properties))

    def set_outputs(self, outputs: Mapping[str, str]) -> None:
        if self._output_path is None:
            for name in outputs:
                self.log(f"(no GITHUB_OUTPUT: output {name} not set)")
            return
        text = "".join(format_output(name, value) for name, value in outputs.items())
        write_text_safely(self._output_path, check_output(text, "the step outputs"), append=True)

    def write_summary(self, markdown: str) -> bool:
        """Append the summary (truncated under the 1 MiB limit); False when there is no summary file.

        The limit is the step's whole file (GitHub drops a summary over 1024k entirely: "upload aborted"),
        so what the file already holds counts against it."""
        if self._summary_path is None:
            return False
        note = "\n\n**Summary truncated** (1 MiB limit): see the SARIF file for every finding.\n"
        try:
            held = self._summary_path.stat().st_size if not self._summary_path.is_symlink() else 0
        except OSError:
            held = 0
        budget = max(MAX_SUMMARY_BYTES - held, len(note.encode("utf-8")))
        text = truncate_utf8(check_output(markdown, "the step summary"), budget, note)
        write_text_safely(self._summary_path, text + "\n", append=True)
        return True
