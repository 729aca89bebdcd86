"""Rows from a CSV or XLSX file, streamed, with columns named as `objection letter`'s options.

CSV: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or
Windows-1252 (accepted with a warning); `,`, `;` or tab as delimiter, detected from the header
line. XLSX: the active sheet, read by `objection.xlsx` (openpyxl, within limits). Row numbers
are the spreadsheet's own (header = row 1). Only a regular file is read (never a device or a
pipe, which would never end or never start).

A row that cannot be read as the file says (bytes not in its encoding, more cells than
the header has, an XLSX formula without its value) comes out with a `problem`, so that the
batch reports it and goes on.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from objection.errors import InputError
from objection.fields import BY_NAME, COLUMNS, REPEATABLE, REQUIRED
from objection.reading import open_regular
from objection.xlsx import BadCell, sheet_rows

# A batch-only column: a row's stable identity, so that inserting or moving rows does not make
# their letters again (the letters' files are named by it instead of the row number).
ID = "id"
_ID_FORM = re.compile(r"[A-Za-z0-9_-]{1,40}")
SHEET_COLUMNS = (*COLUMNS, ID)
_BY_COMPACT_NAME = {column.replace("_", ""): column for column in SHEET_COLUMNS}
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str | list[str]]
    problem: tuple[str, str, str] | None = None  # (column, value, expected): unreadable row
    key: str = ""  # the row's id in lower case, when the sheet has an id column


def parse_mapping_pair(pair: str) -> tuple[str, str]:
    """`--map 'Full Name=name'` → ("full name", "name") (headers compared case-insensitively)."""
    header, sep, column = pair.rpartition("=")
    column = column.strip().lower().replace("-", "_")
    if not sep or not header.strip() or column not in SHEET_COLUMNS:
        raise InputError("map", pair, "expected 'Header in the file=column', the column one "
                         "of " + ", ".join(SHEET_COLUMNS))
    return header.strip().lower(), column


def read_rows(path: Path, mapping: dict[str, str], encoding: str | None = None,
              delimiter: str | None = None,
              warn: Callable[[str], None] = lambda message: None) -> Iterator[Row]:
    """Every non-empty data row of the file; the header is checked before the first row."""
    raw: Iterator[list[str] | InputError]
    if is_spreadsheet(path):
        raw = sheet_rows(path, warn)
    else:
        encoding = encoding or detect_encoding(path, warn)
        raw = _csv_rows(path, encoding, delimiter)
    header = next(raw, None)
    if header is None:
        raise InputError("input", str(path), "is empty; expected a header row and data rows")
    if isinstance(header, InputError):
        raise header
    columns = _columns(header, mapping, warn)
    for number, cells in enumerate(raw, start=2):
        if isinstance(cells, InputError):  # a record the CSV reader could not take
            yield Row(number, {}, (cells.field, str(cells.value), cells.expected))
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are spreadsheet padding, not people
        problem = _unreadable(cells, columns, encoding)
        if problem:
            yield Row(number, {}, (problem.field, str(problem.value), problem.expected))
            continue
        values: dict[str, str | list[str]] = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None or not cell.strip():
                continue
            if column in REPEATABLE:
                existing = values.setdefault(column, [])
                assert isinstance(existing, list)
                existing.extend(_split_repeatable(column, cell))
            else:
                values[column] = cell
        if ID not in columns:
            yield Row(number, values)
            continue
        key = str(values.pop(ID, "")).strip()
        if not _ID_FORM.fullmatch(key):
            yield Row(number, {}, (ID, key, "is required in a sheet with an id column" if not key
                                   else "expected up to 40 letters, digits, '-' or '_'"))
            continue
        yield Row(number, values, key=key.lower())


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape kept undecoded


def _unreadable(cells: list[str], columns: list[str | None],
                encoding: str | None) -> InputError | None:
    """Why a row cannot be taken as it is: undecodable bytes, a cell that cannot be used or is
    too long (not shown: it may be anything), or cells beyond the header."""
    for column, cell in zip([*columns, None], cells, strict=False):
        if column and isinstance(cell, BadCell):
            return InputError(column, "", str(cell))
        if column and len(cell) > MAX_CELL:
            return InputError(column, "", f"is longer than {MAX_CELL} characters")
        if not cell.isascii() and _UNDECODED.search(cell):
            shown = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return InputError(column or "input", shown, "has bytes that are not "
                              f"{_encoding_name(encoding)}; save the file as UTF-8")
    extra = [cell for cell in cells[len(columns):] if cell.strip()]
    if extra:
        return InputError("input", extra[0], f"is in cell {len(columns) + 1}, beyond the "
                          f"{len(columns)} columns of the header; a value may contain an "
                          "unquoted delimiter")
    return None


def _encoding_name(encoding: str | None) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
        (encoding or "").lower(), encoding or "UTF-8")


def _split_repeatable(column: str, cell: str) -> list[str]:
    """Address lines and facts: newline or '|' separated; grounds and scopes: ',' or newline."""
    separators = ("\n", "|") if BY_NAME[column].lines else ("\n", ",")
    parts = [cell]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


# What looks like a column's title; anything else in the header row (an e-mail, a sentence,
# a number: a sheet without a header) may be a person's data and is not printed.
_TITLE = re.compile(r"[^\W\d][\w .()/-]{0,39}")


def _header_name(title: str, position: int) -> str:
    """How a warning names a header cell: its title if it looks like one, else its place."""
    text = title.strip()
    return repr(text) if _TITLE.fullmatch(text) else f"{position} (its header is not shown)"


UNUSED_SHOWN = 10  # columns a warning names as not used; the others are counted


def _columns(header: list[str], mapping: dict[str, str],
             warn: Callable[[str], None]) -> list[str | None]:
    columns: list[str | None] = []
    unused: list[str] = []
    for position, title in enumerate(header, start=1):
        key = title.strip().lower()
        # "E-Mail", "Profile URL" and "profile_url" all name the same column.
        column = mapping.get(key) or _BY_COMPACT_NAME.get(re.sub(r"[^a-z0-9]", "", key), key)
        if column in SHEET_COLUMNS:
            if column in columns and column not in REPEATABLE:
                raise InputError("input", title, "appears twice as a column")
            columns.append(column)
        else:
            if key:
                unused.append(f"column {_header_name(title, position)} is not used (use "
                              "--map to assign it)")
            columns.append(None)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        # Without its required columns the first row is likely a person's, not a header:
        # none of its cells is printed.
        raise InputError("input", ", ".join(missing), "required column(s) missing; expected "
                         "headers named like the options of 'objection letter' (or --map)")
    for message in unused[:UNUSED_SHOWN]:
        warn(message)
    if len(unused) > UNUSED_SHOWN:
        warn(f"{len(unused) - UNUSED_SHOWN} more columns are not used")
    return columns


def check_encoding(encoding: str) -> str:
    """A text encoding Python can read a file in (not a codec such as rot13 or zlib)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError("encoding", encoding, "unknown encoding; expected e.g. utf-8, cp1252")
    return encoding


# A record (a row) of a CSV file may span lines (a quoted cell with line breaks), but not more
# than this many, and no cell may be longer than MAX_CELL: beyond, the record is reported as
# its row's problem and reading goes on with the next line, so that a quote left open never
# swallows the rows after it.
MAX_RECORD_LINES = 20
MAX_CELL = 64 * 1024


def _csv_rows(path: Path, encoding: str,
              delimiter: str | None) -> Iterator[list[str] | InputError]:
    """The file's records, each a list of cells, or an InputError for one that cannot be
    read (a quote never closed, a cell too long)."""
    check_encoding(encoding)
    # Bytes that are not in the encoding are kept as surrogates and reported per row; that
    # cannot be done for UTF-16 or UTF-32 (an undecodable unit may hold ASCII bytes), which
    # must be valid, as a spreadsheet program writes them.
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    with open(open_regular(path, "input"), newline="", encoding=encoding,
              errors="strict" if wide else "surrogateescape") as fh:
        try:
            yield from _records(fh, delimiter)
        except UnicodeError:  # UnicodeDecodeError, or a UTF-16 file without a BOM
            raise InputError("encoding", encoding, f"{path.name} cannot be read in this "
                             "encoding; give the file's own, e.g. utf-8, cp1252, "
                             "utf-16-le") from None


def _records(fh: io.TextIOBase, delimiter: str | None) -> Iterator[list[str] | InputError]:
    """The records of an open CSV file (see `_csv_rows`)."""
    first = fh.readline()
    fh.seek(0)
    chosen = delimiter or max(DELIMITERS, key=first.count)
    if chosen not in DELIMITERS and len(chosen) != 1:
        raise InputError("delimiter", chosen, "expected one character such as , ; or tab")
    pending: list[str] = []  # lines read ahead, to go back to after a bad record
    lines = iter(fh)
    while True:
        line = pending.pop(0) if pending else next(lines, None)
        if line is None:
            return
        record = [line]
        while True:
            cells, complete = _parse_record("".join(record), chosen)
            if complete or len(record) >= MAX_RECORD_LINES:
                break
            more = pending.pop(0) if pending else next(lines, None)
            if more is None:
                break
            record.append(more)
        if not complete:
            yield InputError("input", line.rstrip("\r\n")[:60] + "…", "opens a quote "
                             "that is not closed on this line or the next "
                             f"{MAX_RECORD_LINES - 1}; the row is left out and reading "
                             "goes on with the next line")
            pending = record[1:] + pending  # read them again as rows of their own
        elif cells is None:
            yield InputError("input", line[:60] + "…", f"has a cell longer than {MAX_CELL} "
                             "characters")
        else:
            yield cells


def _parse_record(text: str, delimiter: str) -> tuple[list[str] | None, bool]:
    """The cells of one record and whether it is complete (no quote left open); cells None
    when a cell is too long. Malformed but closed quoting is read as leniently as csv does."""
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "newline inside string" in str(error):
            return None, False
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:
            return None, True
    cells = rows[0] if rows else []
    if any(len(cell) > MAX_CELL for cell in cells):
        return None, True
    return cells, True


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


# A UTF-8 sequence of two to four bytes; Windows-1252 text almost never contains one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_encoding(path: Path, warn: Callable[[str], None]) -> str:
    """utf-16 or utf-32 for a file that starts with their byte order mark (Excel's "Unicode
    text" is UTF-16); utf-8-sig for a UTF-8 file, even one with a few rows in another encoding
    (those rows are reported); Windows-1252 for a file with no UTF-8 in it at all. Streamed."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, seen_utf8 = True, False
    with open(open_regular(path, "input"), "rb") as fh:
        start = fh.read(4)
        for name, marks in (("utf-32", (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)),
                            ("utf-16", (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
            if start.startswith(marks):
                return name
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            seen_utf8 = seen_utf8 or bool(_UTF8_SEQUENCE.search(chunk))  # the BOM is one
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    if valid:
        return "utf-8-sig"
    if seen_utf8:
        warn(f"{path.name} is UTF-8 but some rows are not; those rows are reported "
             "(use --encoding to read the file another way)")
        return "utf-8-sig"
    warn(f"{path.name} is not UTF-8; reading it as Windows-1252 (use --encoding to choose)")
    return "cp1252"
