"""manifest.csv for the person who hands the letters out (issue 15): a line per person, the
sheet's own columns passed through (--keep), duplicate people flagged, a failed row's traceback
with --debug only, and folders of the earlier layout (a line per file) still resume."""

import csv
import multiprocessing
import sqlite3
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import Result

from objection import batch_run, render
from objection.manifest import FIELDS, read_entries

HEADER = "name,email,country,ground,lang,Personalnr.,Abteilung\n"


def _sheet(tmp_path: Path, *rows: str) -> Path:
    source = tmp_path / "staff.csv"
    source.write_text(HEADER + "".join(row + "\n" for row in rows), "utf-8")
    return source


def _people(count: int) -> list[str]:
    return [f"Person {i},p{i}@example.org,IE,old-content,en,P-{i},Dept {i}"
            for i in range(count)]


def _batch(run: Callable[..., Result], source: Path, out: Path, *extra: str) -> Result:
    return run("batch", str(source), "-o", str(out), "--format", "txt", "--date", "2026-11-23",
               "--jobs", "1", *extra)


def _lines(out: Path) -> list[list[str]]:
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _people_in(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_line_per_person_in_the_order_a_person_reads_it(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    source, out = _sheet(tmp_path, *_people(2)), tmp_path / "out"
    result = _batch(run, source, out, "--format", "pdf,txt", "--keep", "personalnr.",
                    "--keep", "Abteilung")
    assert result.exit_code == 0, result.output
    assert "'Personalnr.' is not used" not in result.output  # it is: by the manifest
    header, *lines = _lines(out)
    assert header == ["row", "name", "email", "Personalnr.", "Abteilung", "pdf", "txt",
                      "status", "reason", "pdf_sha256", "txt_sha256", "country", "language",
                      "reference"]  # the header as the sheet spells it
    assert [line[:9] for line in lines] == [
        ["2", "Person 0", "p0@example.org", "P-0", "Dept 0", "000002-person-0.pdf",
         "000002-person-0.txt", "written", ""],
        ["3", "Person 1", "p1@example.org", "P-1", "Dept 1", "000003-person-1.pdf",
         "000003-person-1.txt", "written", ""]]
    again = _batch(run, source, out, "--format", "pdf,txt", "--keep", "Personalnr.",
                   "--keep", "Abteilung")
    assert again.exit_code == 0, again.output
    assert [person["status"] for person in _people_in(out)] == ["unchanged", "unchanged"]
    bad = _sheet(tmp_path, *_people(1), "Bea Bad,bea.example.org,IE,old-content,en,P-9,X")
    assert _batch(run, bad, tmp_path / "bad").exit_code == 3
    _good, person = _people_in(tmp_path / "bad")
    assert (person["status"], person["txt"]) == ("not written", "")
    assert person["reason"].startswith("email 'bea.example.org': not a valid e-mail address")


def test_kept_values_cannot_become_formulas(run: Callable[..., Result],
                                            tmp_path: Path) -> None:
    source = _sheet(tmp_path, 'Jane Doe,jane@example.org,IE,old-content,en,"=HYPERLINK(""x"")",'
                              "@SUM(A1)")
    out = tmp_path / "out"
    assert _batch(run, source, out, "--keep", "Personalnr.", "--keep", "Abteilung"
                  ).exit_code == 0
    [person] = _people_in(out)
    assert person["Personalnr."] == "'=HYPERLINK(\"x\")" and person["Abteilung"] == "'@SUM(A1)"


@pytest.mark.parametrize(("keep", "words"), [
    ("Telefon", "keep 'Telefon': is not a header of the sheet; its headers: 'name', 'email', "
                "'country', 'ground', 'lang', 'Personalnr.', 'Abteilung'"),
    ("Status", "keep 'Status': is a column of manifest.csv anyway"),
])
def test_a_keep_the_manifest_cannot_have_is_refused_before_anything_is_written(
        run: Callable[..., Result], tmp_path: Path, keep: str, words: str) -> None:
    source, out = _sheet(tmp_path, *_people(1)), tmp_path / "out"
    result = _batch(run, source, out, "--keep", keep)
    assert result.exit_code == 2, result.output
    assert words in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and not out.exists()


def test_the_same_address_again_is_flagged_and_gets_no_second_letter(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,old-content,en,1,A",
                    "Jane D.,\" JANE@Example.ORG \",DE,old-content,en,2,B",
                    "John Roe,john@example.org,FR,old-content,en,3,C",
                    "Jane Again,Jane@EXAMPLE.org,AT,old-content,en,4,D")
    out = tmp_path / "out"
    result = _batch(run, source, out)
    assert result.exit_code == 3, result.output
    assert sorted(path.name for path in out.glob("*.txt")) == [
        "000002-jane-doe.txt", "000004-john-roe.txt"]
    people = _people_in(out)
    assert [(p["row"], p["email"], p["status"]) for p in people] == [
        ("2", "jane@example.org", "written"), ("3", "JANE@Example.ORG", "duplicate of row 2"),
        ("4", "john@example.org", "written"), ("5", "Jane@EXAMPLE.org", "duplicate of row 2")]
    assert people[1]["reason"] == ("email: the same address as row 2: a LinkedIn account gets "
                                   "one letter, so this row gets none (correct or delete one "
                                   "of the two rows)")
    assert "row 3: email: the same address as row 2" in result.output
    report = (out / "report.csv").read_text("utf-8")
    assert '3,email,"email: the same address as row 2' in report
    again = _batch(run, source, out)
    assert "(0 written, 2 unchanged)" in again.output
    assert [p["status"] for p in _people_in(out)] == [
        "unchanged", "duplicate of row 2", "unchanged", "duplicate of row 2"]


@pytest.fixture
def broken_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """John Roe's letter fails while it is made (not for his input): a bug's stand-in."""
    real = render.render_files

    def render_files(letter: object, *args: object, **kwargs: object) -> object:
        if "John Roe" in repr(letter):
            raise RuntimeError("rendering broke for John Roe")
        return real(letter, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_files", render_files)  # forked workers see it
    monkeypatch.setattr(batch_run, "default_executor", lambda options: ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork")))


@pytest.mark.usefixtures("broken_row")
@pytest.mark.parametrize("debug", [True, False])
def test_debug_shows_the_traceback_of_a_failed_row(run: Callable[..., Result], tmp_path: Path,
                                                   debug: bool) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,old-content,en,1,A",
                    "John Roe,john@example.org,FR,old-content,en,2,B")
    out = tmp_path / "out"
    result = run(*(["--debug"] if debug else []), "batch", str(source), "-o", str(out),
                 "--format", "txt", "--jobs", "1")
    assert result.exit_code == 3, result.output
    assert "row 3: unexpected failure (RuntimeError)" in result.output
    assert ("Traceback (most recent call last)" in result.output) is debug
    assert ("RuntimeError: rendering broke for John Roe" in result.output) is debug
    people = _people_in(out)
    assert [(p["status"], p["reason"]) for p in people] == [
        ("written", ""), ("not written", "unexpected failure (RuntimeError)")]
    assert "rendering broke" not in (out / "report.csv").read_text("utf-8")


def test_a_folder_of_the_earlier_layout_resumes(run: Callable[..., Result],
                                                tmp_path: Path) -> None:
    """As the version before wrote it: a manifest line per file, and a state whose rows name
    no one (schema version 1). Its letters are kept, and the manifest is written anew."""
    source = _sheet(tmp_path, *_people(3), "Bea Bad,bea.example.org,IE,old-content,en,9,X")
    out = tmp_path / "out"
    assert _batch(run, source, out, "--format", "pdf,txt").exit_code == 3
    letters = {path.name: path.read_bytes() for path in out.glob("0*")}
    entries = [entry for _row, found in sorted(read_entries(out).items()) for entry in found]
    assert len(entries) == 3 * 2 + 1
    old = [",".join(FIELDS), *(",".join(str(cell) for cell in entry) for entry in entries)]
    (out / "manifest.csv").write_text("\r\n".join(old) + "\r\n", "utf-8")
    with sqlite3.connect(out / ".objection-state.sqlite3") as db:
        for table in ("done", "current"):
            for column in ("name", "email", "kept", "outcome"):
                db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute("PRAGMA user_version = 1")
    again = _batch(run, source, out, "--format", "pdf,txt", "--keep", "Personalnr.")
    assert again.exit_code == 3, again.output
    assert "(0 written, 3 unchanged)" in again.output
    assert {path.name: path.read_bytes() for path in out.glob("0*")} == letters
    people = _people_in(out)
    assert [(p["name"], p["Personalnr."], p["status"]) for p in people] == [
        ("Person 0", "P-0", "unchanged"), ("Person 1", "P-1", "unchanged"),
        ("Person 2", "P-2", "unchanged"), ("Bea Bad", "9", "not written")]
    # A folder with only the earlier manifest (no state at all) is carried over too.
    (out / "manifest.csv").write_text("\r\n".join(old) + "\r\n", "utf-8")
    for path in out.glob(".objection-state.sqlite3*"):
        path.unlink()
    third = _batch(run, source, out, "--format", "pdf,txt")
    assert "(0 written, 3 unchanged)" in third.output, third.output
    assert [p["pdf"] for p in _people_in(out)] == [
        "000002-person-0.pdf", "000003-person-1.pdf", "000004-person-2.pdf", ""]
