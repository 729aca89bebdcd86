"""manifest.csv and report.csv: what a batch wrote, and the rows it could not use.

Both are opened in spreadsheets, so any cell that starts like a formula is prefixed with
an apostrophe (CWE-1236). While a batch runs, finished rows are appended to a journal, so
that a run killed half way can be resumed; the manifest is rewritten, sorted, at the end.
"""

import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from objection.output import write_private

MANIFEST = "manifest.csv"
JOURNAL = ".manifest.journal.csv"
REPORT = "report.csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Entry(NamedTuple):
    row: int
    status: str
    file: str
    sha256: str
    country: str
    language: str
    reference: str
    error: str


FIELDS = Entry._fields


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _unsafe_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_manifest(directory: Path, entries: Iterable[Entry]) -> None:
    write_private(directory / MANIFEST, _csv_bytes(FIELDS, sorted(entries)))


def write_report(directory: Path, problems: Iterable[tuple[int, str, str]]) -> None:
    write_private(directory / REPORT, _csv_bytes(("row", "column", "reason"), sorted(problems)))


def read_entries(directory: Path) -> dict[int, list[Entry]]:
    """The manifest, then the journal of an interrupted run on top; torn lines are ignored."""
    by_row: dict[int, list[Entry]] = {}
    for name in (MANIFEST, JOURNAL):
        by_row.update(_records(_parse(directory / name)))
    return by_row


def _records(entries: Iterable[Entry]) -> dict[int, list[Entry]]:
    """Entries by row. A row's entries are written together; when the row comes again (runs
    stopped twice journal it twice), its later record replaces the earlier one."""
    by_row: dict[int, list[Entry]] = {}
    last_row = None
    for entry in entries:
        record = by_row.get(entry.row)
        if record is None or entry.row != last_row or any(e.file == entry.file for e in record):
            by_row[entry.row] = record = []
        record.append(entry)
        last_row = entry.row
    return by_row


def _parse(path: Path) -> Iterator[Entry]:
    if not path.is_file():
        return
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        for cells in csv.reader(fh):
            if len(cells) != len(FIELDS) or not cells[0].isdigit():
                continue  # the header, or a line cut short by a crash
            entry = Entry(int(cells[0]), *(_unsafe_cell(cell) for cell in cells[1:]))
            if entry.status == "ok" and len(entry.sha256) != 64:
                continue
            yield entry


class Journal:
    """Appends the rows of each committed group of letters, then is fsynced (`sync`)."""

    def __init__(self, directory: Path) -> None:
        path = self._path = directory / JOURNAL
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file, lineterminator="\r\n")

    def add(self, entries: Iterable[Entry]) -> None:
        self._writer.writerows([safe_cell(cell) for cell in entry] for entry in entries)

    def sync(self) -> None:
        """Called after the group's files are in place (and their renames durable)."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self, remove: bool) -> None:
        self.sync()
        self._file.close()
        if remove:
            self._path.unlink(missing_ok=True)
