"""manifest.csv and report.csv: what a batch wrote for each person, and the rows it could not use.

manifest.csv is for the person who hands the letters out (a works council's secretary): one
line per row of the sheet, with the row, name and e-mail, the sheet's columns passed through
(`--keep`), the files, a plain status and its reason; the checksums and the other technical
columns come after, for resume and verification. Both files are opened in spreadsheets, so any
cell that starts like a formula is prefixed with an apostrophe (CWE-1236). They are written
from the batch's state (objection/batch_state.py) as a stream of lines, never whole in memory.

`read_entries` reads a manifest back as the batch's files, one `Entry` per file: the layout
above, and the one of earlier versions (one line per file: row, status, file, sha256 ...), with
the journal a stopped run of such a version left; the state carries them over once, and the
tracking sheet reads the letters from them.
"""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from objection.batch import COVER, OK, REJECTED
from objection.errors import InputError
from objection.output import write_private

MANIFEST = "manifest.csv"
JOURNAL = ".manifest.journal.csv"
REPORT = "report.csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A person's status, in plain words (a duplicate's says which row it repeats).
STATUS_WRITTEN, STATUS_UNCHANGED, STATUS_NOT_WRITTEN = "written", "unchanged", "not written"
STATUS_DUPLICATE = "duplicate of row {row}"
# The file columns, in this order, as the batch wrote them (a cover sheet's column: "cover").
FILE_KINDS = ("pdf", "txt", "eml", COVER)
PERSON_COLUMNS = ("row", "name", "email")
PLAIN_COLUMNS = ("status", "reason")
TECHNICAL_COLUMNS = ("country", "language", "reference")  # after the checksums


class Entry(NamedTuple):
    """One file of a row (or a row without a file), as the state and earlier manifests have it."""

    row: int
    status: str  # batch.OK, REJECTED or FAILED
    file: str
    sha256: str
    country: str
    language: str
    reference: str
    error: str


FIELDS = Entry._fields  # the layout of earlier versions' manifests and journals


@dataclass(frozen=True)
class Person:
    """One line of manifest.csv: a row of the sheet and what became of it."""

    row: int
    name: str
    email: str
    kept: dict[str, str]                 # the --keep columns, by header in lower case
    status: str                          # one of the STATUS_ words above
    reason: str = ""
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # suffix: (name, sha256)
    country: str = ""
    language: str = ""
    reference: str = ""


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unsafe_cell(text: str) -> str:
    """A cell as it was before safe_cell prefixed it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _own_columns(kinds: Iterable[str]) -> set[str]:
    return {*PERSON_COLUMNS, *kinds, *PLAIN_COLUMNS, *(f"{kind}_sha256" for kind in kinds),
            *TECHNICAL_COLUMNS}


def kept_columns(headers: Sequence[str]) -> tuple[str, ...]:
    """The --keep headers, each once (compared without case, as --map does); one that names a
    column the manifest has anyway is refused: it would be there twice."""
    kept: list[str] = []
    for header in headers:
        title = header.strip()
        if not title:
            raise InputError("keep", header, "expected a header of the sheet, e.g. "
                             "--keep 'Personalnr.'")
        if title.lower() in _own_columns(FILE_KINDS):
            raise InputError("keep", header, "is a column of manifest.csv anyway; keep the "
                             "sheet's other columns")
        if title.lower() not in (seen.lower() for seen in kept):
            kept.append(title)
    return tuple(kept)


def file_kinds(suffixes: Iterable[str]) -> list[str]:
    """The file columns for these suffixes: pdf, txt, eml in this order, then any other."""
    found = set(suffixes)
    return [kind for kind in FILE_KINDS if kind in found] + sorted(found - set(FILE_KINDS))


def manifest_header(kept: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """What a person reads first, then what resume and verification need."""
    return [*PERSON_COLUMNS, *kept, *kinds, *PLAIN_COLUMNS,
            *(f"{kind}_sha256" for kind in kinds), *TECHNICAL_COLUMNS]


def _cells(person: Person, kept: Sequence[str], kinds: Sequence[str]) -> list[object]:
    files = [person.files.get(kind, ("", "")) for kind in kinds]
    return [person.row, person.name, person.email,
            *(person.kept.get(header.lower(), "") for header in kept),
            *(name for name, _digest in files), person.status, person.reason,
            *(digest for _name, digest in files),
            person.country, person.language, person.reference]


def _csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[bytes]:
    """The CSV file as encoded lines, one row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for cells in itertools.chain([[safe_cell(cell) for cell in header]],
                                 ([safe_cell(cell) for cell in row] for row in rows)):
        writer.writerow(cells)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def write_manifest(directory: Path, people: Iterable[Person], kept: Sequence[str],
                   kinds: Sequence[str]) -> None:
    """manifest.csv from the people in row order (the state sorts them)."""
    write_private(directory / MANIFEST, _csv_lines(
        manifest_header(kept, kinds), (_cells(person, kept, kinds) for person in people)))


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
        reader = csv.reader(fh)
        first = next(reader, None)
        if first is None:
            return
        if first[:1] == ["row"] and "status" in first and "reference" in first and \
                tuple(first) != FIELDS:
            yield from _people_entries(first, reader)
            return
        for cells in itertools.chain([first], reader):  # an earlier version's: a line a file
            if len(cells) != len(FIELDS) or not cells[0].isdigit():
                continue  # the header, or a line cut short by a crash
            yield from _checked(Entry(int(cells[0]), *(unsafe_cell(cell) for cell in cells[1:])))


def _people_entries(header: list[str], reader: Iterator[list[str]]) -> Iterator[Entry]:
    """A manifest of one line per person: its files as entries, found by column name."""
    at: dict[str, int] = {}
    for index, name in enumerate(header):
        at.setdefault(name, index)  # a name twice (an edited file): the first counts
    kinds = [kind for kind in header if f"{kind}_sha256" in at]
    for cells in reader:
        if len(cells) != len(header) or not cells[0].isdigit():
            continue  # a line cut short by a crash
        value = {name: unsafe_cell(cells[index]) for name, index in at.items()}
        common = (value.get("country", ""), value.get("language", ""),
                  value.get("reference", ""))
        files = [(value[kind], value[f"{kind}_sha256"]) for kind in kinds if value[kind]]
        for name, digest in files:  # a row with files has its letter (its reason a note)
            yield from _checked(Entry(int(cells[0]), OK, name, digest, *common,
                                      value.get("reason", "")))
        if not files:
            yield Entry(int(cells[0]), REJECTED, "", "", *common, value.get("reason", ""))


def _checked(entry: Entry) -> Iterator[Entry]:
    """The entry, unless it is a letter without a checksum (an edited or a torn line)."""
    if entry.status != OK or len(entry.sha256) == 64:
        yield entry
