"""Rows from a CSV or XLSX file, streamed, with columns named as `objection letter`'s options.

CSV: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or
Windows-1252 (accepted with a warning); `,`, `;` or tab as delimiter, detected from the header
line. XLSX: the active sheet or the one named, read by `objection.xlsx` (openpyxl, within
limits); an .xls or .ods workbook is refused, known by its bytes. The header is the first of
the first rows that names two columns (a title above it is skipped), or the row named; which
cells make which column is `objection.headers`'. Row numbers are the spreadsheet's own. Only
a regular file is read (never a device or a pipe, which would never end or never start).

A row that cannot be read as the file says (bytes not in its encoding, more cells than
the header has, an XLSX formula without its value, a value a lossy export damaged) comes out
with a `problem`, so that the batch reports it and goes on.
"""

import codecs
import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from objection.country_names import normal
from objection.errors import InputError
from objection.export_damage import damage
from objection.fields import BY_NAME, COLUMNS, REPEATABLE, REQUIRED
from objection.headers import HEADER_SEARCH, Source, known_names, layout
from objection.reading import open_regular
from objection.xlsx import BadCell, sheet_rows

# A batch-only column: a row's stable identity, so that inserting or moving rows does not make
# their letters again (the letters' files are named by it instead of the row number).
ID = "id"
_ID_FORM = re.compile(r"[A-Za-z0-9_-]{1,40}")
SHEET_COLUMNS = (*COLUMNS, ID)
_OWN_NAMES = {normal(column): column for column in SHEET_COLUMNS}  # "E-Mail" is email
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str | list[str]]
    problem: tuple[str, str, str] | None = None  # (column, value, expected): unreadable row
    key: str = ""  # the row's id in lower case, when the sheet has an id column
    # the cells of the columns `read_rows` was asked to keep, by their headers in the sheet
    kept: dict[str, str] = field(default_factory=dict)


def parse_mapping_pair(pair: str) -> tuple[str, str]:
    """`--map 'Full Name=name'` → ("full name", "name") (headers compared case-insensitively);
    `'Vorname+Nachname=name'` joins two headers' cells with a space (objection/headers.py)."""
    header, sep, column = pair.rpartition("=")
    column = column.strip().lower().replace("-", "_")
    if not sep or not header.strip() or column not in SHEET_COLUMNS:
        raise InputError("map", pair, "expected 'Header in the file=column', or "
                         "'Header+Header=column' to join cells, the column one of "
                         + ", ".join(SHEET_COLUMNS))
    parts = [part.strip().lower() for part in header.split("+")]
    if twice := next((part for index, part in enumerate(parts) if part in parts[:index]), None):
        raise InputError("map", pair, f"joins the header '{twice}' twice; name each header "
                         "once")
    return header.strip().lower(), column


def read_rows(path: Path, mapping: Mapping[str, str], encoding: str | None = None,
              delimiter: str | None = None,
              warn: Callable[[str], None] = lambda message: None,
              keep: Sequence[str] = (), *, sheet: str | None = None, header_row: int | None = None,
              defaults: Mapping[str, str | list[str]] | None = None) -> Iterator[Row]:
    """Every non-empty data row of the file; the header is checked before the first row.

    The header is row `header_row`, else the first of the first HEADER_SEARCH rows that names
    at least two columns (the rows above it are a title), else row 1. `sheet` names an XLSX
    workbook's sheet (default: the active one). `defaults` fill the columns a row leaves
    empty. The cells of the `keep` headers come with each row as they are (`Row.kept`)."""
    raw: Iterator[list[str] | InputError]
    is_header = _header_test(mapping, header_row)
    search = header_row or HEADER_SEARCH
    if is_spreadsheet(path):
        raw = sheet_rows(path, warn, sheet, is_header, search)
    else:
        if sheet is not None:
            raise InputError("sheet", sheet, f"only an XLSX workbook has sheets; {path.name} "
                             "is read as CSV")
        encoding = encoding or detect_encoding(path, warn)
        raw = _csv_rows(path, encoding, delimiter)
    header, rows = _header(raw, is_header, search, header_row, path, warn)
    kept_at = _kept_positions(header, keep)
    sources, columns = _layout(header, mapping, warn, kept_at)
    for number, cells in rows:
        if isinstance(cells, InputError):  # a record the CSV reader could not take
            yield Row(number, {}, (cells.field, str(cells.value), cells.expected))
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are spreadsheet padding, not people
        kept = {header[position].strip(): "" if position >= len(cells) or isinstance(
            cells[position], BadCell) else cells[position] for position in kept_at}
        problem = _unreadable(cells, columns, encoding) or _damaged(sources, cells)
        if problem:
            yield Row(number, {}, (problem.field, str(problem.value), problem.expected),
                      kept=kept)
            continue
        values = _values(sources, cells)
        for column, value in (defaults or {}).items():
            values.setdefault(column, list(value) if isinstance(value, list) else value)
        if ID not in columns:
            yield Row(number, values, kept=kept)
            continue
        key = str(values.pop(ID, "")).strip()
        if not _ID_FORM.fullmatch(key):
            yield Row(number, {}, (ID, key, "is required in a sheet with an id column" if not key
                                   else "expected up to 40 letters, digits, '-' or '_'"),
                      kept=kept)
            continue
        yield Row(number, values, key=key.lower(), kept=kept)


def _header_test(mapping: Mapping[str, str],
                 header_row: int | None) -> Callable[[int, list[str]], bool]:
    """Whether row `number` (its cells) is the header row."""
    if header_row:
        return lambda number, _cells: number == header_row
    return lambda _number, cells: known_names(cells, mapping, _OWN_NAMES) >= 2


Numbered = Iterator[tuple[int, list[str] | InputError]]


def _header(raw: Iterator[list[str] | InputError], is_header: Callable[[int, list[str]], bool],
            search: int, header_row: int | None, path: Path,
            warn: Callable[[str], None]) -> tuple[list[str], Numbered]:
    """The header row's cells and the numbered rows below it (see `read_rows`)."""
    above: list[list[str] | InputError] = []
    for number, cells in enumerate(raw, start=1):
        above.append(cells)
        if not isinstance(cells, InputError) and is_header(number, cells):
            if number > 1:
                warn(f"{path.name}: the header is row {number}; the rows above it are not read")
            return cells, enumerate(raw, start=number + 1)
        if number >= search:
            break
    if header_row:
        raise InputError("header_row", header_row, f"{path.name} has no row {header_row} "
                         "that can be read as a header" if len(above) >= header_row else
                         f"{path.name} has only {len(above)} rows")
    if not above:
        raise InputError("input", str(path), "is empty; expected a header row and data rows")
    if isinstance(above[0], InputError):
        raise above[0]
    return above[0], itertools.chain(enumerate(above[1:], start=2),
                                     enumerate(raw, start=len(above) + 1))


def _values(sources: list[Source], cells: list[str]) -> dict[str, str | list[str]]:
    """The row's values: a cell as it is, a list column's cells split into items, and the
    cells of a combined source joined with a space (one item of a list column)."""
    values: dict[str, str | list[str]] = {}
    for source in sources:
        parts = [cells[position] for position in source.positions if position < len(cells)]
        parts = [part for part in parts if part.strip()]
        if not parts:
            continue
        if source.column in REPEATABLE:
            existing = values.setdefault(source.column, [])
            assert isinstance(existing, list)
            if len(parts) > 1 and BY_NAME[source.column].lines:
                existing.append(" ".join(part.strip() for part in parts))
            else:
                for part in parts:
                    existing.extend(_split_repeatable(source.column, part))
        else:
            values[source.column] = parts[0] if len(parts) == 1 else \
                " ".join(part.strip() for part in parts)
    return values


def _damaged(sources: list[Source], cells: list[str]) -> InputError | None:
    """A used cell that a lossy export damaged (see objection/export_damage.py)."""
    for source in sources:
        for position in source.positions:
            if position < len(cells) and cells[position].strip() and \
                    (problem := damage(source.column, cells[position].strip())):
                return problem
    return None


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


def _kept_positions(header: list[str], keep: Sequence[str]) -> list[int]:
    """Where the --keep headers are (compared without case, as --map compares); one that is
    not in the sheet is bad input, listing the sheet's headers."""
    titles = [title.strip().lower() for title in header]
    positions = []
    for wanted in keep:
        if wanted.strip().lower() not in titles:
            shown = [_header_name(title, position) for position, title
                     in enumerate(header, start=1) if title.strip()]
            raise InputError("keep", wanted, "is not a header of the sheet; its headers: "
                             + ", ".join(shown))
        positions.append(titles.index(wanted.strip().lower()))
    return positions


def _layout(header: list[str], mapping: Mapping[str, str], warn: Callable[[str], None],
            kept: Sequence[int] = ()) -> tuple[list[Source], list[str | None]]:
    """Where each column's cells are (objection/headers.py), and the column each cell of a
    row is read for (None: not used); a warning names the headers that are not used."""
    sources = layout(header, mapping, _OWN_NAMES, REPEATABLE)
    columns: list[str | None] = [None] * len(header)
    for source in sources:
        for position in source.positions:
            columns[position] = columns[position] or source.column
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        # Without its required columns the first row is likely a person's, not a header:
        # none of its cells is printed.
        raise InputError("input", ", ".join(missing), "required column(s) missing; expected "
                         "headers named like the options of 'objection letter' or as "
                         "offices name them (Name, E-Mail, Land ...), or --map")
    unused = [f"column {_header_name(title, position)} is not used (use --map to assign it)"
              for position, (title, column) in enumerate(zip(header, columns, strict=True),
                                                         start=1)
              if column is None and title.strip() and position - 1 not in kept]  # --keep uses it
    for message in unused[:UNUSED_SHOWN]:
        warn(message)
    if len(unused) > UNUSED_SHOWN:
        warn(f"{len(unused) - UNUSED_SHOWN} more columns are not used")
    return sources, columns


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


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 workbook (.xls) starts so
_ZIP = b"PK\x03\x04"
# An OpenDocument file is a zip whose first part, stored as it is, is its type.
_ODS = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
SAVE_AS = ("save it as .xlsx (Excel Workbook) or as CSV UTF-8 (comma delimited) with "
           "File > Save As, and give that file")


def is_spreadsheet(path: Path) -> bool:
    """Whether the file is an XLSX workbook (by its suffix, or a zip named otherwise) rather
    than CSV; InputError for an .xls or .ods workbook, which is not read (its bytes are no
    CSV either)."""
    fd = open_regular(path, "input")
    try:
        start = os.read(fd, 30 + len(_ODS))
    except OSError as error:
        raise InputError("input", str(path), f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    suffix = path.suffix.lower()
    if start.startswith(_OLE2) or (suffix == ".xls" and not start.startswith(_ZIP)):
        raise InputError("input", str(path), "is an Excel 97-2003 workbook (.xls), which "
                         f"objection does not read; open it in Excel or LibreOffice, {SAVE_AS}")
    if start[30:] == _ODS or suffix in (".ods", ".fods"):
        raise InputError("input", str(path), "is an OpenDocument spreadsheet (.ods), which "
                         f"objection does not read; open it in LibreOffice, {SAVE_AS}")
    return suffix in (".xlsx", ".xlsm") or start.startswith(_ZIP)


# A UTF-8 sequence of two to four bytes; Windows-1252 text almost never contains one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_encoding(path: Path, warn: Callable[[str], None]) -> str:
    """utf-16 or utf-32 for a file that starts with their byte order mark (Excel's "Unicode
    text" is UTF-16); utf-8-sig for a UTF-8 file, even one with a few rows in another encoding
    (those rows are reported); Windows-1252 for a file with no UTF-8 in it, or less UTF-8
    than bytes UTF-8 cannot read (a Windows export with one garbled row). Streamed."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, utf8_sequences, other_high_bytes = True, 0, 0
    with open(open_regular(path, "input"), "rb") as fh:
        start = fh.read(4)
        for name, marks in (("utf-32", (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)),
                            ("utf-16", (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
            if start.startswith(marks):
                return name
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            found = _UTF8_SEQUENCE.findall(chunk)  # the BOM is one
            utf8_sequences += len(found)
            other_high_bytes += sum(byte >= 0x80 for byte in chunk) - sum(map(len, found))
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
    if utf8_sequences and utf8_sequences >= other_high_bytes:
        warn(f"{path.name} is UTF-8 but some rows are not; those rows are reported "
             "(use --encoding to read the file another way)")
        return "utf-8-sig"
    warn(f"{path.name} is not UTF-8; reading it as Windows-1252 (use --encoding to choose)")
    return "cp1252"
