"""objection batch with hostile or unusual sheets (issue 12): what cannot be read safely is
refused in one line before anything is written (exit 2); what can be read is read; a cell
that cannot be used is its row's problem; no message shows a cell's content."""

import csv
import os
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import Result

HEADER = ["name", "email", "country", "ground"]
PEOPLE = [["Ana Costa", "ana@example.pt", "PT", "old-content"],
          ["Bo Berg", "bo@example.se", "SE", "journalist"],
          ["Cy Dunn", "cy@example.ie", "IE", "old-content"]]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object) -> str:
    """A cell of hand-written sheet XML: text inline, an int as a shared string's index,
    raw XML (bytes) as it is."""
    if isinstance(value, bytes):
        return f'<c r="{ref}"{value.decode()}</c>'
    if isinstance(value, int):
        return f'<c r="{ref}" t="s"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _rows_xml(rows: list[list[object]]) -> str:
    return "".join(f'<row r="{number}">' + "".join(
        _cell(f"{_column(index)}{number}", value) for index, value in enumerate(row, start=1)
        if value != "") + "</row>" for number, row in enumerate(rows, start=1))


def _workbook(path: Path, sheet_data: str, strings: str | None = None,
              dimension: str = "", sheet_size: int = 0) -> Path:
    """An XLSX file written part by part, as a spreadsheet program (or an attacker) would:
    one sheet with `sheet_data` inside <sheetData>, shared strings (the <si> elements) if
    given. `sheet_size` pads the sheet with whitespace (a zip bomb's filling) to that size."""
    sheet = (f'<worksheet xmlns="{MAIN}">{dimension}<sheetData>{sheet_data}</sheetData>'
             '</worksheet>').encode()
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
            '</Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
                        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet '
                            'name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings or ""}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(sheet[:-len("</worksheet>")])
            for _ in range(max(0, sheet_size - len(sheet)) // (1 << 20)):
                part.write(b" " * (1 << 20))
            part.write(b"</worksheet>")
    return path


def _report(out: Path) -> dict[int, tuple[str, str]]:
    with (out / "report.csv").open(newline="", encoding="utf-8") as fh:
        return {int(r["row"]): (r["column"], r["reason"]) for r in csv.DictReader(fh)}


def _letters(out: Path) -> list[str]:
    return sorted(path.name for path in out.glob("*.txt"))


def _refused(result: Result, out: Path, *phrases: str) -> None:
    """Exit 2, one line saying why, nothing written."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert all(phrase in lines[0] for phrase in phrases), lines[0]
    assert not out.exists()


def _batch_process(folder: Path, *args: str,
                   timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """The batch in its own process in `folder`, for an input that used to make it run for
    ever."""
    return subprocess.run([sys.executable, "-m", "objection", "batch", *args, "--format",
                           "txt", "--jobs", "1"], capture_output=True, text=True,
                          timeout=timeout, cwd=folder)


# --- resource exhaustion -------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_openpyxl_unpacks_it(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    source = _workbook(tmp_path / "bomb.xlsx", _rows_xml([HEADER, *PEOPLE]),
                       sheet_size=64 << 20)  # 64 MiB of XML in a file of some 70 KiB
    assert source.stat().st_size < 200_000
    out = tmp_path / "out"
    _refused(run("batch", str(source), "-o", str(out)), out,
             "times its packed size, at most 100")


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import objection.xlsx

    monkeypatch.setattr(objection.xlsx, "MAX_UNPACKED", 1 << 20)  # the same rule, smaller
    noise = random.Random(12).randbytes(900_000).hex()  # packs at most 2:1
    source = _workbook(tmp_path / "big.xlsx", _rows_xml([HEADER, *PEOPLE, ["", "", "", "",
                                                                              noise]]))
    out = tmp_path / "out"
    _refused(run("batch", str(source), "-o", str(out), "--format", "txt"), out,
             "unpacks to 1.7 MiB, at most 1 MiB")


def test_a_genuine_sheet_of_100_000_rows_is_within_the_limits(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from objection.xlsx import MAX_FILE, _check_zip

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["id", "name", "email", "country", "ground", "lang", "address", "place",
                  "fact", "date"])
    for i in range(100_000):
        sheet.append([f"e-{i:07d}", f"Jürgen Müller-Lüdenscheidt {i}", f"person{i}@example.org",
                      "DE", "old-content,job-seeker", "en", f"Hauptstraße {i % 300}|10115 Berlin",
                      "Berlin", f"Employee since {2000 + i % 25}, profile public", "2026-11-02"])
    book.save(tmp_path / "staff.xlsx")
    with zipfile.ZipFile(tmp_path / "staff.xlsx") as archive:
        parts = archive.infolist()
    _check_zip(parts, tmp_path / "staff.xlsx")  # raises if not
    assert (tmp_path / "staff.xlsx").stat().st_size < MAX_FILE / 4
    assert sum(part.file_size for part in parts) > 50 << 20  # a real test of the limits


def test_a_shared_strings_bomb_is_refused_before_its_strings_are_read(
        run: Callable[..., Result], tmp_path: Path) -> None:
    # 400 000 strings no cell uses: openpyxl would read them all at each pass over the file.
    strings = "".join(f"<si><t>{i}</t></si>" for i in range(400_000))
    source = _workbook(tmp_path / "strings.xlsx", _rows_xml([HEADER, *PEOPLE]), strings)
    out = tmp_path / "out"
    _refused(run("batch", str(source), "-o", str(out), "--format", "txt"), out,
             "far more shared strings than its sheets have cells")


def test_a_huge_shared_string_in_every_row_is_each_rows_problem_unshown(
        run: Callable[..., Result], tmp_path: Path) -> None:
    huge = "Secret " * 12_000  # 84 000 characters
    rows: list[list[object]] = [[*HEADER, "situation"]]
    rows += [[*person, 0] for person in PEOPLE]
    source = _workbook(tmp_path / "huge.xlsx", _rows_xml(rows), f"<si><t>{huge}</t></si>")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert result.exit_code == 3, result.output
    # Every row fails: nothing is made (no folder), and the reasons are listed, grouped.
    assert "3 rows (2-4): situation: is longer than 65536 characters" in result.output
    assert "Secret" not in result.output and not out.exists()


def test_rows_padded_to_16384_columns_read_only_the_headers_columns(tmp_path: Path) -> None:
    # Rows padded with empty cells up to the last column, which holds a value: the rows were
    # rejected ("beyond the 5 columns of the header; a value may contain an unquoted
    # delimiter"); the cells right of the header are not read, and a warning says so.
    def padded(number: int, person: list[str]) -> str:
        cells = [_cell(f"{_column(index)}{number}", value)
                 for index, value in enumerate(person, start=1)]
        cells += [f'<c r="{_column(index)}{number}" s="0"/>' for index in range(6, 16384)]
        return f'<row r="{number}">{"".join(cells)}{_cell(f"XFD{number}", "stray")}</row>'

    sheet_data = _rows_xml([[*HEADER, "notes"]]) + "".join(
        padded(number, person) for number, person in enumerate(PEOPLE, start=2))
    source = _workbook(tmp_path / "padded.xlsx", sheet_data)
    out = tmp_path / "out"
    done = _batch_process(tmp_path, source.name, "-o", "out")
    assert done.returncode == 0, done.stderr
    assert _letters(out) == ["000002-ana-costa.txt", "000003-bo-berg.txt", "000004-cy-dunn.txt"]
    assert done.stderr.count("warning: padded.xlsx: cells to the right of the header's last "
                             "column (5) are not read\n") == 1
    assert "stray" not in done.stderr


def test_a_sheet_claiming_16384_columns_costs_no_more_than_its_cells(tmp_path: Path) -> None:
    # Every row was read as wide as the sheet's <dimension> claims: 2 ms a row, ten minutes
    # for each pass over 100 000 rows. Now it costs what the same sheet without the claim does.
    from objection.spreadsheet import read_rows

    people = [[f"Person {i}", f"p{i}@example.org", "DE", "old-content"] for i in range(2000)]
    costs = []
    for dimension in ("", '<dimension ref="A1:XFD1048576"/>'):
        source = _workbook(tmp_path / "staff.xlsx", _rows_xml([HEADER, *people]),
                           dimension=dimension)
        started = time.process_time()
        assert sum(1 for _ in read_rows(source, {})) == 2000
        costs.append(time.process_time() - started)
    plain, claimed = costs
    assert claimed < 2 * plain + 0.2, costs


def test_a_row_numbered_beyond_excel_is_refused(tmp_path: Path) -> None:
    sheet_data = _rows_xml([HEADER, PEOPLE[0]]).replace('<row r="2">', '<row r="99999999999">')
    source = _workbook(tmp_path / "far.xlsx", sheet_data)
    out = tmp_path / "out"
    done = _batch_process(tmp_path, source.name, "-o", "out")
    assert done.returncode == 2, done.stderr
    assert "has a row numbered 99999999999 after row 1; expected rows in order, at most " \
        "1048576" in done.stderr
    assert not out.exists()


# Without a <dimension>, openpyxl reads the whole sheet when it opens the workbook, to size it;
# with one, the sheet is read only row by row.
@pytest.mark.parametrize("dimension", ["", '<dimension ref="A1:D2"/>'])
def test_a_row_of_millions_of_elements_is_refused_before_it_is_built(
        dimension: str, run: Callable[..., Result], tmp_path: Path) -> None:
    # openpyxl builds a row whole: some 60 bytes of memory per byte of XML (2 GiB for this
    # row at 3 million cells); random styles keep the file from packing like a bomb.
    styles = random.Random(7)
    giant = "".join(f'<c s="{styles.randrange(1000)}"/>' for _ in range(300_000))
    sheet_data = _rows_xml([HEADER]) + f'<row r="2">{giant}</row>'
    source = _workbook(tmp_path / "giant.xlsx", sheet_data, dimension=dimension)
    out = tmp_path / "out"
    _refused(run("batch", str(source), "-o", str(out), "--format", "txt"), out,
             "holds an element of more than 262144 elements")


@pytest.mark.parametrize("kind", ["device", "fifo", "fifo.xlsx", "link to a device"])
def test_a_sheet_that_is_not_a_regular_file_is_refused(kind: str, tmp_path: Path) -> None:
    source = tmp_path / ("staff.xlsx" if kind.endswith(".xlsx") else "staff.csv")
    if kind == "device":
        source = Path("/dev/zero")
    elif kind.startswith("fifo"):
        os.mkfifo(source)
    else:
        source.symlink_to("/dev/zero")
    out = tmp_path / "out"
    shown = str(source) if kind == "device" else source.name
    done = _batch_process(tmp_path, shown, "-o", "out", timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"Error: input {shown!r}: is not a regular file (a device or a "
                           "pipe); expected a file\n")
    assert not out.exists()


# --- encodings -----------------------------------------------------------------------------

def test_excel_unicode_text_utf16_with_tabs_is_read(run: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    source = tmp_path / "staff.txt"
    lines = [HEADER, ["Zoë Dubé", "zoe@example.no", "DE", "old-content"],
             ["Jürgen Müller", "j@example.de", "AT", "journalist"]]
    source.write_bytes("\r\n".join("\t".join(line) for line in lines).encode("utf-16"))
    assert source.read_bytes().startswith(b"\xff\xfe")  # as Excel writes it
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert result.exit_code == 0, result.output
    assert _letters(out) == ["000002-zoe-dube.txt", "000003-jurgen-muller.txt"]
    assert (out / "000002-zoe-dube.txt").read_text("utf-8").startswith("Zoë Dubé\n")


@pytest.mark.parametrize("encoding, expected", [
    ("klingon", "encoding 'klingon': unknown encoding; expected e.g. utf-8, cp1252"),
    ("utf-16", "encoding 'utf-16': staff.csv cannot be read in this encoding; give the "
               "file's own, e.g. utf-8, cp1252, utf-16-le"),
])
def test_an_unknown_or_wrong_encoding_is_refused_naming_it(
        encoding: str, expected: str, run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(",".join(HEADER) + "\n" + ",".join(PEOPLE[0]) + "\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--encoding",
                 encoding)
    _refused(result, out, expected)


# --- what is read, and what is said about it ------------------------------------------------

def test_the_other_sheets_of_a_workbook_are_counted_in_one_warning(
        run: Callable[..., Result], tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "jane.secret@example.org"  # a name that is not printed
    notes.append(["Secret Person", "secret@example.org"])
    staff = book.create_sheet("Staff")
    for row in [HEADER, *PEOPLE]:
        staff.append(row)
    book.create_sheet("Archive").append(["Other Secret"])
    book.active = 1
    book.save(tmp_path / "staff.xlsx")
    out = tmp_path / "out"
    result = run("batch", str(tmp_path / "staff.xlsx"), "-o", str(out), "--format", "txt")
    assert result.exit_code == 0, result.output
    assert len(_letters(out)) == 3
    warning = ("warning: staff.xlsx: only sheet 2 of 3 is read (the one shown when the "
               "workbook was saved); the others are not")
    assert result.output.count(warning) == 1, result.output
    assert "ecret" not in result.output
    book.active = 0
    staff.title = "ana@example.pt"
    book.save(tmp_path / "staff.xlsx")
    result = run("batch", str(tmp_path / "staff.xlsx"), "-o", str(tmp_path / "again"))
    assert result.exit_code == 2
    assert "only sheet 1 of 3 is read" in result.output
    assert "ecret" not in result.output and "ana@" not in result.output


def test_a_formula_without_its_value_or_an_error_cell_is_the_rows_problem(
        run: Callable[..., Result], tmp_path: Path) -> None:
    no_value = b' t="str"><f>CONCAT("Ana"," Costa")</f>'  # as a script writes formulas
    empty_result = b' t="str"><f>IF(1,"","x")</f><v></v>'  # a formula whose value is ""
    error = b' t="e"><f>VLOOKUP(A9,B:C,2)</f><v>#N/A</v>'
    never_computed = b'><f>A9&amp;" Roe"</f><v></v>'  # as openpyxl writes a formula
    rows: list[list[object]] = [[*HEADER, "place", "notes"],
                                [no_value, *PEOPLE[0][1:], "Lisboa"],
                                [*PEOPLE[1], empty_result, no_value],  # notes is not used
                                [error, *PEOPLE[2][1:]],
                                ["Di Eve", "di@example.fr", "FR", "old-content"],
                                [never_computed, "ro@example.fr", "FR", "old-content"]]
    source = _workbook(tmp_path / "formulas.xlsx", _rows_xml(rows))
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert result.exit_code == 3, result.output
    assert _report(out) == {
        2: ("name", "name: is a formula whose value the file does not store (it was not saved "
                    "by a spreadsheet program); open the workbook in one and save it"),
        4: ("name", "name: holds a formula error such as #N/A or #REF!; correct it in the "
                    "workbook"),
        6: ("name", "name: is a formula whose value the file does not store (it was not saved "
                    "by a spreadsheet program); open the workbook in one and save it")}
    assert _letters(out) == ["000003-bo-berg.txt", "000005-di-eve.txt"]
    assert "CONCAT" not in result.output and "VLOOKUP" not in result.output


def test_a_header_of_many_unknown_columns_gives_a_few_warnings(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    extra = [f"Extra {i}" for i in range(500)]
    source.write_text(",".join([*HEADER, *extra]) + "\n" + ",".join(PEOPLE[0]) + "\n", "utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "txt")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings[:2] == ["warning: column 'Extra 0' is not used (use --map to assign it)",
                            "warning: column 'Extra 1' is not used (use --map to assign it)"]
    assert warnings[10:] == ["warning: 490 more columns are not used"]
