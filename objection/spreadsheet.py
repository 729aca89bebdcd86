"""Rows from a CSV or XLSX file, streamed, with columns named as `objection letter`'s options.

CSV: UTF-8 (with or without BOM) or Windows-1252 (accepted with a warning); `,`, `;` or
tab as delimiter, detected from the header line. XLSX: the first (or active) sheet, read
with openpyxl in read-only mode. Row numbers are the spreadsheet's own (header = row 1).
"""

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from objection.errors import InputError

COLUMNS = ("name", "email", "profile_url", "address", "country", "lang", "bilingual", "ground",
           "situation", "scope", "date", "place", "toggle", "signature_image")
REPEATABLE = ("address", "ground", "scope")
REQUIRED = ("name", "email", "country")
_BY_COMPACT_NAME = {column.replace("_", ""): column for column in COLUMNS}
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str | list[str]]


def parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--map 'Full Name=name'` → {"full name": "name"} (headers compared case-insensitively)."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, column = pair.rpartition("=")
        column = column.strip().lower().replace("-", "_")
        if not sep or not header.strip() or column not in COLUMNS:
            raise InputError("map", pair, "expected 'Header in the file=column', the column one "
                             "of " + ", ".join(COLUMNS))
        mapping[header.strip().lower()] = column
    return mapping


def read_rows(path: Path, mapping: dict[str, str], encoding: str | None = None,
              delimiter: str | None = None,
              warn: Callable[[str], None] = lambda message: None) -> Iterator[Row]:
    """Every non-empty data row of the file; the header is checked before the first row."""
    _require_file(path)
    raw = _xlsx_rows(path) if is_spreadsheet(path) else _csv_rows(path, encoding, delimiter, warn)
    header = next(raw, None)
    if header is None:
        raise InputError("input", str(path), "is empty; expected a header row and data rows")
    columns = _columns(header, mapping, warn)
    for number, cells in enumerate(raw, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are spreadsheet padding, not people
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
        yield Row(number, values)


def _split_repeatable(column: str, cell: str) -> list[str]:
    """Address lines: newline or '|' separated; grounds and scopes: ',' or newline."""
    separators = ("\n", "|") if column == "address" else ("\n", ",")
    parts = [cell]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


def _columns(header: list[str], mapping: dict[str, str],
             warn: Callable[[str], None]) -> list[str | None]:
    columns: list[str | None] = []
    for title in header:
        key = title.strip().lower()
        # "E-Mail", "Profile URL" and "profile_url" all name the same column.
        column = mapping.get(key) or _BY_COMPACT_NAME.get(re.sub(r"[^a-z0-9]", "", key), key)
        if column in COLUMNS:
            if column in columns and column not in REPEATABLE:
                raise InputError("input", title, "appears twice as a column")
            columns.append(column)
        else:
            if key:
                warn(f"column {title!r} is not used (use --map to assign it)")
            columns.append(None)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise InputError("input", ", ".join(missing), "required column(s) missing; expected "
                         "headers named like the options of 'objection letter' (or --map)")
    return columns


def _csv_rows(path: Path, encoding: str | None, delimiter: str | None,
              warn: Callable[[str], None]) -> Iterator[list[str]]:
    encoding = encoding or detect_encoding(path, warn)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError("encoding", encoding, "unknown encoding; expected e.g. utf-8, "
                         "cp1252") from None
    with path.open(newline="", encoding=encoding, errors="strict") as fh:
        first = fh.readline()
        fh.seek(0)
        chosen = delimiter or max(DELIMITERS, key=first.count)
        if chosen not in DELIMITERS and len(chosen) != 1:
            raise InputError("delimiter", chosen, "expected one character such as , ; or tab")
        try:
            yield from csv.reader(fh, delimiter=chosen)
        except UnicodeDecodeError:
            raise InputError("encoding", encoding, "the file is not in this encoding; "
                             "use --encoding") from None


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise InputError("input", str(path), "no such file")


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def detect_encoding(path: Path, warn: Callable[[str], None]) -> str:
    """utf-8-sig if the whole file is valid UTF-8 (streamed check), else Windows-1252."""
    _require_file(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        warn(f"{path.name} is not UTF-8; reading it as Windows-1252 (use --encoding to choose)")
        return "cp1252"
    return "utf-8-sig"


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError("input", str(path), "is not a readable XLSX workbook") from None
    try:
        sheet = workbook.active or workbook.worksheets[0]
        for cells in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in cells]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
