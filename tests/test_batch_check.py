"""`objection batch --check` lists every problem of every row at once, grouped, and writes
nothing; a run in which every row fails makes nothing and fixes no batch date (issue 15)."""

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from PIL import Image

GOOD = ["Jane Doe", "jane@example.org", "IE", "old-content", "en", "Main Street 1", "", ""]
HEADER = ["name", "email", "country", "ground", "lang", "address", "date", "signature_image"]


def _sheet(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def _person(index: int, **changes: str) -> list[str]:
    """A good row of its own (name and e-mail by index), with some cells changed."""
    row = {**dict(zip(HEADER, GOOD, strict=True)), "name": f"Person {index}",
           "email": f"p{index}@example.org", **changes}
    return [row[column] for column in HEADER]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _ten_kinds(tmp_path: Path) -> Path:
    """A German export gone wrong in ten ways, several in one row."""
    Image.new("RGB", (120, 40), "white").save(tmp_path / "sig.png")
    rows = [_person(i, country="Deutschlnd") for i in range(30)]  # rows 2-31
    for number, email in ((4, "jane.example.org"), (9, "bo@"), (12, "x y@example.org")):
        rows[number - 2][1] = email                                # e-mail, three values
    rows.append(_person(32, name="=HYPERLINK(\"http://x\")", email="nope",
                        ground="boredom", lang="klingon", date="30.11.2026",
                        signature_image="../outside.png"))         # row 32: six problems
    rows.append(_person(33, address="|".join(["W" * 100] * 5)))   # row 33: no room above window
    rows.append(_person(34, country="DE", ground=""))              # row 34: no ground
    rows.append(_person(35, signature_image="sig.png"))            # row 35: fine
    return _sheet(tmp_path / "staff.csv", rows)


def test_check_lists_every_problem_of_every_row_grouped_and_writes_nothing(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _ten_kinds(tmp_path)
    before = _files(tmp_path)
    result = run("batch", str(source), "--check")
    assert result.exit_code == 3, result.output
    assert _files(tmp_path) == before  # no folder, no file
    lines = result.output.splitlines()
    assert lines[0] == "staff.csv: 33 of 34 rows have problems (41 in all); nothing was written:"
    expected = [
        "30 rows (2-31): country 'Deutschlnd': ",
        # different values, one reason: one line, each row says which value it is
        "4 rows (4, 9, 12, 32): email: not a valid e-mail address",
        "row 32: date '30.11.2026': expected YYYY-MM-DD, e.g. 2026-11-30",
        "row 32: ground 'boredom': unknown",
        "row 32: lang 'klingon': unsupported language",
        "row 32: name '=HYPERLINK(\"http://x\")': looks like a spreadsheet formula",
        "row 32: signature_image '../outside.png': must be a file in",
        "row 33: address 'WWW",
        "row 34: ground: an objection under Art. 21(1) GDPR must rest on grounds",
    ]
    assert len(lines) == 1 + len(expected), result.output
    for line, start in zip(lines[1:], expected, strict=True):
        assert line.startswith(f"  {start}"), (line, start)
    assert "is too long to fit above the envelope window" in lines[8]


def test_check_finds_what_a_run_reports(run: Callable[..., Result], tmp_path: Path) -> None:
    """The rows --check names are the rows a run's report.csv lists, with the same reason
    where a row has one problem; the run's letters are the others."""
    rows = [_person(i) for i in range(8)]
    rows[1][2] = "US"
    rows[3][6] = "2025-10-01"       # before LinkedIn's processing began
    rows[5][1] = "not-an-address"
    source = _sheet(tmp_path / "staff.csv", [*rows, ["Extra", "e@example.org", "IE",
                                                     "old-content", "en", "", "", "", "x"]])
    checked = run("batch", str(source), "--check", "--date", "2026-11-23")
    assert checked.exit_code == 3, checked.output
    out = tmp_path / "out"
    ran = run("batch", str(source), "-o", str(out), "--format", "txt", "--date", "2026-11-23",
              "--jobs", "1")
    assert ran.exit_code == 3, ran.output
    with (out / "report.csv").open(newline="", encoding="utf-8") as fh:
        report = {f"row {line['row']}: {line['reason']}" for line in csv.DictReader(fh)}
    assert report == {line.strip() for line in checked.output.splitlines()[1:]}
    assert len(list(out.glob("*.txt"))) == 5


def test_check_of_a_good_sheet_exits_0_and_leaves_the_folder_alone(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _sheet(tmp_path / "staff.csv", [_person(i) for i in range(3)])
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--check")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("staff.csv: 3 rows checked, no problem found; nothing "
                                     "was written.")
    assert not out.exists()
    assert run("batch", str(source), "-o", str(out), "--format", "txt").exit_code == 0
    before = _files(out)
    assert run("batch", str(source), "-o", str(out), "--check", "--quiet").output == ""
    assert _files(out) == before


def test_check_refuses_bad_input_in_one_line(run: Callable[..., Result],
                                             tmp_path: Path) -> None:
    source = _sheet(tmp_path / "staff.csv", [_person(1)])
    headerless = _sheet(tmp_path / "nameless.csv", [["a@example.org", "IE"]],
                        header=["email", "country"])
    (tmp_path / "a-file").write_text("x")
    for args, words in (([str(headerless), "--check"], "required column(s) missing"),
                        ([str(source), "--check", "-o", str(tmp_path / "a-file")],
                         "is a file; expected a folder"),
                        ([str(tmp_path), "--check", "--follow-up", "reminder"],
                         "--check is not used with --follow-up")):
        result = run("batch", *args)
        assert result.exit_code == 2, result.output
        assert words in result.output and len(result.output.strip().splitlines()) == 1


def test_check_of_many_rows_names_them_as_ranges(run: Callable[..., Result],
                                                 tmp_path: Path) -> None:
    """Thousands of rows are checked in the command's own process, without rendering
    (docs/performance.md has the time for 10 000 rows); a line names its first ten ranges."""
    rows = [_person(i, country="Deutschlnd" if i % 7 == 0 else "IE") for i in range(3000)]
    result = run("batch", str(_sheet(tmp_path / "staff.csv", rows)), "--check")
    assert result.exit_code == 3
    assert "\n  429 rows (2, 9, 16, 23, 30, 37, 44, 51, 58, 65, …): country 'Deutschlnd': " \
        in result.output


def test_check_flags_the_same_person_twice(run: Callable[..., Result], tmp_path: Path) -> None:
    """The same e-mail address (in another case) or the same id in two rows."""
    rows = [[*_person(1), "E-1"], [*_person(2, email="P1@Example.org"), "E-2"],
            [*_person(3), "e-1"]]
    source = _sheet(tmp_path / "staff.csv", rows, header=[*HEADER, "id"])
    result = run("batch", str(source), "--check")
    assert result.exit_code == 3, result.output
    assert result.output.splitlines()[1:] == [
        "  row 3: email: the same address as row 2: a LinkedIn account gets one letter, so "
        "this row gets none (correct or delete one of the two rows)",
        "  row 4: id 'e-1': is the id of row 2 as well; each row needs its own"]


def test_a_run_in_which_every_row_fails_makes_nothing_and_fixes_no_date(
        run: Callable[..., Result], tmp_path: Path) -> None:
    bad = [_person(i, country="Deutschlnd") for i in range(30)]
    bad[2][1] = "broken"
    source = _sheet(tmp_path / "staff.csv", bad)
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt",
                 "--date", "2026-11-23")
    assert result.exit_code == 3, result.output
    assert not out.exists()  # no empty folder left behind
    lines = result.output.splitlines()
    assert lines[0] == ("No letter was written, and nothing was made: every one of the 30 rows "
                        "has a problem:")
    assert lines[1].startswith("  30 rows (2-31): country 'Deutschlnd': ")
    assert lines[2] == ("  row 4: email 'broken': not a valid e-mail address; expected e.g. "
                        "jane.doe@example.org")
    # A folder made beforehand stays as it was, and the date of that run was not kept:
    out.mkdir()
    assert run("batch", str(source), "-o", str(out), "--format", "txt",
               "--date", "2026-11-23").exit_code == 3
    assert list(out.iterdir()) == []
    fixed = _sheet(tmp_path / "staff.csv", [_person(i) for i in range(30)])
    assert run("batch", str(fixed), "-o", str(out), "--format", "txt").exit_code == 0
    kept = json.loads((out / "objection-batch.json").read_text("utf-8"))["date"]
    assert kept == dt.date.today().isoformat()
    assert len(list(out.glob("*.txt"))) == 30


def test_a_later_run_in_which_every_row_fails_changes_nothing_in_its_folder(
        run: Callable[..., Result], tmp_path: Path) -> None:
    """A rerun whose every row fails (a wrong --map, another sheet) is a mistake, not a
    sheet of people who left: the folder's letters, manifest and date stay as they were."""
    out = tmp_path / "out"
    source = _sheet(tmp_path / "staff.csv", [_person(i) for i in range(2)])
    assert run("batch", str(source), "-o", str(out), "--format", "txt",
               "--date", "2026-11-23").exit_code == 0
    before = _files(out)
    _sheet(source, [_person(i, country="US") for i in range(2)])
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert result.exit_code == 3, result.output
    assert "every one of the 2 rows has a problem" in result.output
    assert _files(out) == before
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--map",
                 "name=email")
    assert _files(out) == before and result.exit_code in (2, 3), result.output
