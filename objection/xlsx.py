"""The rows of an XLSX workbook's sheet, read with openpyxl, safely (issue 12).

A workbook is a zip of XML parts that openpyxl unpacks and parses. A small file can unpack to
gigabytes (a zip bomb), hold a shared-strings table that takes minutes to load, or hold one
element (a row of millions of cells) that openpyxl builds whole in memory, some 60 bytes of
memory per byte of XML. So, before openpyxl reads anything, the zip's own directory is checked
(`_check_zip`) and the shared strings are counted (`_check_shared_strings`); then every part
openpyxl reads passes through expat on the way (`_CheckedPart`), which stops an element that
is too large before openpyxl holds it; the sheet's rows, which are most of the work, are
bounded more cheaply (`_CountedPart`).

Measured (2026-11-30, openpyxl 3.1.5): a 100 000-row sheet of ten columns written by openpyxl
is a 5.2 MiB file that unpacks to 69 MiB, its sheet 13 times its packed size; the limits
below leave room for about three times as much.
"""

import codecs
import datetime as dt
import functools
import os
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.parsers.expat import ParserCreate

from objection.errors import InputError
from objection.reading import KIB, MIB, describe_size, open_regular

# openpyxl is imported only once an XLSX file is read.

MAX_FILE = 32 * MIB
MAX_PARTS = 10_000  # zipfile holds its whole directory in memory (about 1 KiB a part)
MAX_UNPACKED = 200 * MIB
MAX_RATIO = 100  # how much larger than packed a part of more than 1 MiB may unpack
MAX_ELEMENTS = 1 << 18  # in one row, one shared string, or any other part
MAX_ROWS = 1_048_576  # as in Excel
# Elements whose children openpyxl reads one at a time (a sheet's parts, its rows, the
# shared strings): each child is counted on its own; any other element with all it holds.
_STREAMED = frozenset({"worksheet", "sheetData", "sst"})


class BadCell(str):
    """A cell that cannot be used (a formula without its value, an error cell); its text
    says why. It is its row's problem only if its column is used."""


NOT_STORED = BadCell("is a formula whose value the file does not store (it was not saved by "
                     "a spreadsheet program); open the workbook in one and save it")
ERROR = BadCell("holds a formula error such as #N/A or #REF!; correct it in the workbook")


class _TooLarge(Exception):
    """An element of more than MAX_ELEMENTS elements."""


def sheet_rows(path: Path, warn: Callable[[str], None], name: str | None = None,
               is_header: Callable[[int, list[str]], bool] = lambda number, _cells: True,
               search: int = 1) -> Iterator[list[str]]:
    """The cells of each row of the sheet `name` (default: the active one), as text, up to
    the last column of its header: the first row `is_header` accepts among the first `search`
    rows, else row 1 (the rows above the header are as wide as their cells). Rows missing
    from the file come out empty. A cell that cannot be used is a `BadCell`. InputError for
    a workbook that cannot or may not be read, or has no sheet `name`."""
    with os.fdopen(open_regular(path, "input"), "rb") as fh:
        try:
            workbook, archive = _open(fh, path)
            yield from _rows(workbook, archive, _sheet(workbook, path, name, warn), path, warn,
                             is_header, search)
        except InputError:
            raise
        except _TooLarge:
            raise InputError("input", str(path), f"holds an element of more than {MAX_ELEMENTS} "
                             "elements (a row of too many cells, a string of too many parts); "
                             "not a workbook a spreadsheet program saved") from None
        except Exception:  # openpyxl and zipfile raise many kinds for a damaged file
            raise InputError("input", str(path), "is not a readable XLSX workbook") from None


def _open(fh: IO[bytes], path: Path) -> tuple[Any, zipfile.ZipFile]:
    """The workbook (openpyxl, read-only, values instead of formulas), once checked, and its
    zip."""
    size = os.fstat(fh.fileno()).st_size
    if size > MAX_FILE:
        raise InputError("input", str(path), f"is {describe_size(size)}; an XLSX file may "
                         f"have at most {describe_size(MAX_FILE)}")
    from openpyxl.reader.excel import ExcelReader

    archive = _CheckedArchive(fh)
    _check_zip(archive.infolist(), path)
    reader = ExcelReader(fh, read_only=True, data_only=True, keep_links=False)
    reader.archive = archive  # every part openpyxl reads goes through _CheckedPart
    reader.read_manifest()
    _check_shared_strings(archive, reader.package, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on styles and extensions it drops
        reader.read()
    return reader.wb, archive


def _check_zip(parts: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse a zip bomb from the sizes the zip declares (zipfile never unpacks a part beyond
    its declared size: it stops there, and the checksum fails)."""
    def refuse(expected: str) -> InputError:
        return InputError("input", str(path), f"{expected}; not a workbook a spreadsheet "
                          "program saved")

    if len(parts) > MAX_PARTS:
        raise refuse(f"has {len(parts)} parts, at most {MAX_PARTS}")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED:
        raise refuse(f"unpacks to {describe_size(total)}, at most {describe_size(MAX_UNPACKED)}")
    for part in parts:
        if part.file_size > MIB and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size // max(part.compress_size, 1)
            raise refuse(f"has a part that unpacks to {ratio} times its packed size, at most "
                         f"{MAX_RATIO}")


def _check_shared_strings(archive: zipfile.ZipFile, package: Any, path: Path) -> None:
    """openpyxl reads every shared string when it opens a workbook (some 15 µs each, at each
    of a batch's passes over the file): refuse a table with far more strings than the sheets
    have cells to use them. A string takes at least one '<' of the table, a cell that uses it
    more than one byte of a sheet."""
    from openpyxl.xml.constants import SHARED_STRINGS, WORKSHEET_TYPE

    sizes = {part.filename: part.file_size for part in archive.infolist()}
    table = package.find(SHARED_STRINGS)
    if table is None or table.PartName[1:] not in sizes:
        return
    sheets = sum(sizes.get(name, 0) for name in
                 {part.PartName[1:] for part in package.findall(WORKSHEET_TYPE)})
    limit, markup = sheets + 64 * KIB, 0
    with zipfile.ZipFile.open(archive, table.PartName[1:]) as source:  # not checked twice
        while markup <= limit and (chunk := source.read(MIB)):
            markup += chunk.count(b"<")
    if markup > limit:
        raise InputError("input", str(path), "has far more shared strings than its sheets "
                         "have cells; not a workbook a spreadsheet program saved")


class _CheckedArchive(zipfile.ZipFile):
    """The workbook's zip as openpyxl reads it: every part through `_CheckedPart`."""

    def open(self, name: Any, mode: Any = "r", pwd: bytes | None = None, *,
             force_zip64: bool = False) -> Any:
        part = super().open(name, mode, pwd, force_zip64=force_zip64)
        return _CheckedPart(part) if mode == "r" else part


class _CheckedPart:
    """A part as openpyxl reads it, parsed on the way by expat, so that an element of more
    than MAX_ELEMENTS elements is refused before openpyxl holds it whole. openpyxl reads a
    sheet one row at a time and the shared strings one string at a time: each row, each
    string, each other part of a sheet and each other file is one element's worth. A part
    that does not start like XML (an image) is not XML to openpyxl either: it is not parsed."""

    def __init__(self, part: IO[bytes]) -> None:
        self._part = part
        self._xml: bool | None = None  # known from the first bytes that are not blank
        self._streamed = [True]  # for the part and each open element: _STREAMED?
        self._elements = 0  # in the element being counted
        self._expat = ParserCreate()
        self._expat.ordered_attributes = True  # a list is cheaper, and they are not read
        self._expat.StartElementHandler = self._start
        self._expat.EndElementHandler = self._end

    def _start(self, name: str, _attributes: object) -> None:
        if self._streamed[-1]:
            self._elements = 1
        else:
            self._elements += 1
            if self._elements > MAX_ELEMENTS:
                raise _TooLarge
        self._streamed.append(name.rpartition(":")[2] in _STREAMED)

    def _end(self, _name: str) -> None:
        self._streamed.pop()

    def read(self, size: int = -1) -> bytes:
        data = self._part.read(size)
        if self._xml is None and data.strip():
            self._xml = data.lstrip().startswith((b"<", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                  codecs.BOM_UTF16_BE))
        if self._xml is not False:
            self._expat.Parse(data, False)  # ExpatError: damaged XML
        return data

    def close(self) -> None:
        self._part.close()

    def __enter__(self) -> "_CheckedPart":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _CountedPart(_CheckedPart):
    """The sheet as `_rows` reads it, with openpyxl's parser: instead of parsing it twice,
    the '<' read since the last row came out are counted (in C), at least one for each
    element that openpyxl may be building; `_rows` sets `markup` to 0 at each row."""

    markup = 0

    def read(self, size: int = -1) -> bytes:
        data = self._part.read(size)
        self.markup += data.count(b"<")
        if self.markup > MAX_ELEMENTS:
            raise _TooLarge
        return data


def _sheet(workbook: Any, path: Path, name: str | None, warn: Callable[[str], None]) -> Any:
    """The sheet named `name` (--sheet), else the active sheet, else the first; a warning if
    the workbook has others, which names sheets by their place only (a sheet's name may be
    anything, a person's name too: only a --sheet that names none lists them)."""
    sheets = workbook.worksheets
    if not sheets:
        raise InputError("input", str(path), "has no worksheet")
    if name is not None:
        for sheet in sheets:
            if sheet.title == name or sheet.title.casefold() == name.strip().casefold():
                return sheet
        raise InputError("sheet", name, f"{path.name} has no such sheet; its sheets: "
                         + ", ".join(repr(sheet.title) for sheet in sheets))
    sheet = workbook.active if workbook.active in sheets else sheets[0]
    if len(sheets) > 1:
        warn(f"{path.name}: only sheet {sheets.index(sheet) + 1} of {len(sheets)} is read "
             "(the one shown when the workbook was saved); the others are not (--sheet NAME "
             "reads another)")
    return sheet


@functools.cache
def _cell_parser() -> Any:
    """openpyxl's sheet parser, telling a formula whose value the file does not store (openpyxl
    reads it as an empty cell) and an error cell (#N/A, #REF!) from a value."""
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    formula, value = f"{{{SHEET_MAIN_NS}}}f", f"{{{SHEET_MAIN_NS}}}v"

    class CellParser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["data_type"] == "e":
                cell["value"] = ERROR
            elif (cell["value"] is None and element.find(formula) is not None
                  and (element.find(value) is None or element.get("t") != "str")):
                # Excel stores an empty text result as t="str" with an empty <v>; an empty
                # <v> without that type (openpyxl, other writers) is a value never computed
                cell["value"] = NOT_STORED
            return cell

    return CellParser


def _rows(workbook: Any, archive: zipfile.ZipFile, sheet: Any, path: Path,
          warn: Callable[[str], None], is_header: Callable[[int, list[str]], bool],
          search: int) -> Iterator[list[str]]:
    """The sheet's rows from row 1, each as wide as the header (see `sheet_rows`), whatever
    width the sheet claims or its rows are padded to (a warning if a cell beyond holds
    something)."""
    # As openpyxl's ReadOnlyWorksheet reads its rows, with our parser and part.
    source = _CountedPart(zipfile.ZipFile.open(archive, sheet._worksheet_path))
    parser = _cell_parser()(source, sheet._shared_strings, data_only=True,
                         epoch=workbook.epoch, date_formats=workbook._date_formats,
                         timedelta_formats=workbook._timedelta_formats)
    width, expected, beyond = 0, 1, False
    header, first_width = False, 0  # whether the header was found; row 1's width
    with source:
        rows = parser.parse()
        while True:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a date out of range: its cell is an error
                found = next(rows, None)
            if found is None:
                return
            number, cells = found
            source.markup = 0
            parser.row_dimensions.clear()  # openpyxl would keep every row's height
            if number < expected or number > MAX_ROWS:
                raise InputError("input", str(path), f"has a row numbered {number} after row "
                                 f"{expected - 1}; expected rows in order, at most {MAX_ROWS}")
            yield from ([] for _ in range(expected, number))
            expected = number + 1
            if not header and number > search:  # no header found: row 1 is taken as it
                header, width = True, first_width
            if not header:
                own = max((cell["column"] for cell in cells if cell["value"] not in ("", None)),
                          default=0)
                row = [""] * own
                for cell in cells:
                    if cell["column"] <= own:
                        row[cell["column"] - 1] = _text(cell["value"])
                first_width = own if number == 1 else first_width
                named = is_header(number, row)
                if named or number == search:
                    header, width = True, own if named else first_width
                yield row
                continue
            row = [""] * width
            for cell in cells:
                if cell["column"] <= width:
                    row[cell["column"] - 1] = _text(cell["value"])
                elif not beyond and cell["value"] not in ("", None):
                    beyond = True
                    warn(f"{path.name}: cells to the right of the header's last column "
                         f"({width}) are not read")
            yield row


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # a BadCell stays one
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
