"""manifest.csv and report.csv: what a batch wrote, and the rows it could not use.

Both are opened in spreadsheets, so any cell that starts like a formula is prefixed with
an apostrophe (CWE-1236). They are written from the batch's state (objection/batch_state.py)
as a stream of lines, never whole in memory. Folders written before the state moved into
SQLite keep a manifest and, if a run was stopped, a journal: `read_entries` reads them once,
to carry them over.
"""

import csv
import io
import itertools
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


def _csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[bytes]:
    """The CSV file as encoded lines, one row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for cells in itertools.chain([header], ([safe_cell(cell) for cell in row] for row in rows)):
        writer.writerow(cells)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def write_manifest(directory: Path, entries: Iterable[Entry]) -> None:
    """manifest.csv from entries in row order (the state sorts them)."""
    write_private(directory / MANIFEST, _csv_lines(FIELDS, entries))


def write_report(directory: Path, problems: Iterable[tuple[int, str, str]]) -> None:
    """report.csv from (row, column, reason) in row order."""
    write_private(directory / REPORT, _csv_lines(("row", "column", "reason"), problems))


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
