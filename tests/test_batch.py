"""objection batch: many rows in, one letter per good row out, bad rows reported, resumable."""

import csv
import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import Result
from pypdf import PdfReader

from objection.manifest import FIELDS, read_entries, safe_cell

HEADER = ["name", "email", "country", "ground", "lang", "address"]


class Cp1252(str):
    """A cell whose row is written in Windows-1252 into an otherwise UTF-8 file."""


BAD_ROWS = {  # kind: (values, column the report must name)
    "formula name": (["=HYPERLINK(\"http://x\")", "f@example.org", "DE", "old-content"], "name"),
    "plus name": (["+49 123", "p@example.org", "DE", "old-content"], "name"),
    "at name": (["@SUM(A1)", "a@example.org", "DE", "old-content"], "name"),
    "path name": (["../../etc/passwd", "x@example.org", "DE", "old-content"], "name"),
    "windows path name": (["..\\..\\boot.ini", "w@example.org", "IE", "old-content"], "name"),
    "BOM in name": (["\ufeffBen Bom", "b@example.org", "FR", "old-content"], "name"),
    "Windows-1252 name": ([Cp1252("Zoë Legacy"), "z@example.org", "AT", "old-content"], "name"),
    "unquoted delimiter": (["Doe", "Jane", "jane@example.org", "DE", "old-content"], "input"),
    "empty name": (["", "e@example.org", "DE", "old-content"], "name"),
    "empty email": (["Eve Empty", "", "DE", "old-content"], "email"),
    "empty country": (["Carl Nocountry", "c@example.org", "", "old-content"], "country"),
    "unknown country": (["Uma Unknown", "u@example.org", "US", "old-content"], "country"),
    "bad email": (["Bea Bad", "bea.example.org", "FR", "old-content"], "email"),
    "unknown ground": (["Gus Ground", "g@example.org", "NL", "boredom"], "ground"),
    "no ground": (["Nora None", "n@example.org", "NL", ""], "ground"),
}


def _people(total: int, bad_every: int) -> tuple[list[list[str]], dict[int, str]]:
    """Rows (without header) and, for each bad row number, the column its report names."""
    kinds = list(BAD_ROWS.values())
    rows, bad = [], {}
    for index in range(total):
        number = index + 2  # row 1 is the header
        if bad_every and index % bad_every == bad_every - 1:
            values, column = kinds[len(bad) % len(kinds)]
            rows.append([*values, "en", "Street 1|12345 Town"])
            bad[number] = column
            continue
        name = ["Jürgen Müller", "José Núñez", "Dana O'Neil", "Zoë Ødegård",
                "CON", "Ana María"][index % 6] + f" {index}"
        rows.append([name, f"p{index}@example.org", ["DE", "FR", "IE", "AT", "ES"][index % 5],
                     "old-content,job-seeker", "en", f"Street {index}|12345 Town"])
    return rows, bad


def _write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str) -> Path:
    """The file in `encoding` (a BOM only at the start), Cp1252 rows in Windows-1252."""
    def line(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerow(cells)
        return buffer.getvalue()

    data = line(HEADER).encode(encoding)
    for row in rows:
        legacy = any(isinstance(cell, Cp1252) for cell in row)
        data += line(row).encode("cp1252" if legacy else encoding.removesuffix("-sig"))
    path.write_bytes(data)
    return path


def _manifest(out: Path) -> list[dict[str, str]]:
    """The manifest's files, one entry per file (status ok) and one per row without a letter
    (rejected), as objection reads them back (its lines are one per person)."""
    return [{name: str(value) for name, value in entry._asdict().items()}
            for _row, entries in sorted(read_entries(out).items()) for entry in entries]


def _letters(out: Path, suffix: str) -> list[Path]:
    return sorted(out.glob(f"[0-9]*.{suffix}"))  # the letters, not print.pdf


def test_thousand_rows_fifty_bad_give_950_letters_and_a_report(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows, bad = _people(1000, 20)
    assert len(bad) == 50
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8-sig", ";")  # BOM and semicolons
    out = tmp_path / "letters"
    before = set(tmp_path.iterdir())
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "2")
    assert result.exit_code == 3, result.output
    assert set(tmp_path.iterdir()) == before | {out}, "nothing is written outside the folder"
    letters = _letters(out, "txt")
    assert len(letters) == 950
    assert all(path.name[:6].isdigit() and path.name.isascii() for path in letters)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in out.iterdir())
    first = (out / "000002-jurgen-muller-0.txt").read_text("utf-8")
    assert first.startswith("Jürgen Müller 0\nStreet 0\n12345 Town\n")
    assert "Art. 21(1)" in first
    manifest = _manifest(out)
    assert len(manifest) == 1000
    assert {int(e["row"]) for e in manifest if e["status"] == "rejected"} == set(bad)
    for entry in manifest:
        if entry["status"] == "ok":
            data = (out / entry["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    with (out / "report.csv").open(newline="", encoding="utf-8") as fh:
        report = list(csv.DictReader(fh))
    assert {int(r["row"]): r["column"] for r in report} == bad
    assert all(not cell.startswith(("=", "+", "@", "-")) for r in report for cell in r.values())
    # The UTF-8 rows stay UTF-8 (no mojibake); the Windows-1252 rows are named and explained.
    assert "is UTF-8 but some rows are not" in result.output
    reasons = {r["reason"] for r in report}
    assert ("name 'Zo\\\\xeb Legacy': has bytes that are not UTF-8; save the file as UTF-8"
            in reasons)
    assert any(reason.startswith("input 'Street 1|12345 Town': is in cell 7, beyond the 6 "
                                 "columns") for reason in reasons)
    # The summary lists the first 20 bad rows by number, each with its reason, and counts the rest.
    assert "50 rows could not be used" in result.output
    listed = [(int(match[1]), match[2])
              for match in re.finditer(r"(?m)^  row (\d+): (.*)$", result.output)]
    by_row = {int(r["row"]): r["reason"] for r in report}
    assert listed == [(row, by_row[row]) for row in sorted(bad)[:20]]
    assert "\n  ... and 30 more\n" in result.output


def test_windows_1252_and_tab_delimiters_are_read(run: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    rows, _ = _people(6, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "cp1252", "\t")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "txt")
    assert result.exit_code == 0, result.output
    assert "not UTF-8; reading it as Windows-1252" in result.output
    texts = [p.read_text("utf-8") for p in _letters(tmp_path / "out", "txt")]
    assert any(text.startswith("José Núñez 1\n") for text in texts)


def test_xlsx_with_mapped_headers(run: Callable[..., Result], tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Full Name", "E-Mail", "Country", "Ground", "Lang"])
    sheet.append(["Ana Costa", "ana@example.pt", "PT", "old-content", "en"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Bo Berg", "bo@example.se", "SE", "journalist", "en"])
    book.save(tmp_path / "staff.xlsx")
    out = tmp_path / "out"
    result = run("batch", str(tmp_path / "staff.xlsx"), "-o", str(out), "--format", "txt",
                 "--map", "Full Name=name")
    assert result.exit_code == 0, result.output
    assert [p.name for p in _letters(out, "txt")] == ["000002-ana-costa.txt",
                                                      "000004-bo-berg.txt"]


def test_missing_column_or_bad_option_exits_2_before_writing(run: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("name,country\nJane,DE\n", encoding="utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "email" in result.output and "required column" in result.output
    assert not (tmp_path / "out").exists()
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "docx")
    assert result.exit_code == 2 and "format 'docx'" in result.output


def test_strict_stops_before_writing_anything(run: Callable[..., Result], tmp_path: Path) -> None:
    rows, bad = _people(10, 5)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 2
    assert f"row {min(bad)}" in result.output
    assert not (tmp_path / "out").exists()


def test_rerun_skips_unchanged_rows_and_redoes_changed_or_missing_ones(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows, _ = _people(8, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"
    assert run("batch", str(source), "-o", str(out), "--format", "txt").exit_code == 0
    before = {p.name: p.read_bytes() for p in _letters(out, "txt")}
    (out / sorted(before)[0]).unlink()                       # a lost file
    rows[3][0] = "Renamed Person"                            # a changed row
    _write_csv(source, rows, "utf-8", ",")
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert result.exit_code == 0, result.output
    assert "(2 written, 6 unchanged)" in result.output
    after = {p.name: p.read_bytes() for p in _letters(out, "txt")}
    assert len(after) == 8
    assert "000005-renamed-person.txt" in after
    assert not any(name.startswith("000005-") and "renamed" not in name for name in after)
    assert {k: v for k, v in after.items() if k in before} == \
        {k: v for k, v in before.items() if k in after}, "same inputs, same bytes"
    assert {e["file"] for e in _manifest(out)} == set(after)


def test_eml_zip_and_print_file(run: Callable[..., Result], tmp_path: Path) -> None:
    rows, _ = _people(3, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "pdf,txt", "--eml",
                 "--zip", "--print-file")
    assert result.exit_code == 0, result.output
    [draft] = [p for p in out.glob("000002-*.eml")]
    message = message_from_bytes(draft.read_bytes(), policy=policy.default)
    # addressed to the person, with a note on how to send it (tests/test_delivery.py)
    assert message["To"].addresses[0].addr_spec == "p0@example.org"
    body, attachment, text = list(message.iter_parts())
    assert "Data Processing Objection form" in " ".join(body.get_content().split())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    assert "Yours faithfully," in text.get_content()
    with zipfile.ZipFile(out / "letters.zip") as archive:
        names = set(archive.namelist())
    assert {"manifest.csv", "report.csv"} <= names and len(names) == 2 + 9
    # each letter starts on a right-hand page: a blank page after an odd page count
    counts = [len(PdfReader(p).pages) for p in _letters(out, "pdf")]
    pages = sum(count + count % 2 for count in counts)
    assert len(PdfReader(out / "print.pdf").pages) == pages


def _signalled_batch(tmp_path: Path, total: int, letters: int, signum: int
                     ) -> tuple[list[list[str]], Path, list[str], subprocess.CompletedProcess[str]]:
    """A PDF batch of `total` rows in its own process group, sent `signum` once `letters`
    letters exist: the rows, the folder, the command (ending in --quiet) and how it ended."""
    rows, _ = _people(total, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "objection", "batch", str(source), "-o", str(out),
               "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < letters:
        time.sleep(0.05)
    os.killpg(process.pid, signum)  # the whole job, as a terminal or a kill -9 would
    stdout, stderr = process.communicate(timeout=120)
    return rows, out, command, subprocess.CompletedProcess(command, process.returncode,
                                                           stdout, stderr)


def test_killed_batch_resumes_to_a_complete_consistent_folder(tmp_path: Path) -> None:
    total = 60
    rows, out, command, _killed = _signalled_batch(tmp_path, total, 8, signal.SIGKILL)
    assert 8 <= len(list(out.glob("*.pdf"))) < total, "killed half way"
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pdfs = _letters(out, "pdf")
    assert len(pdfs) == total
    assert not list(out.glob(".*.part")) and not (out / ".manifest.journal.csv").exists()
    manifest = {e["file"]: e for e in _manifest(out)}
    assert set(manifest) == {p.name for p in pdfs}
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert hashlib.sha256(data).hexdigest() == manifest[pdf.name]["sha256"]
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        number = int(pdf.name[:6]) - 2
        assert rows[number][0].split()[-1] in text


def test_ctrl_c_stops_cleanly_with_a_summary_and_the_next_run_resumes(tmp_path: Path) -> None:
    total = 40
    _rows, out, command, stopped = _signalled_batch(tmp_path, total, 4, signal.SIGINT)  # Ctrl-C
    stderr = stopped.stderr
    assert stopped.returncode == 130, stderr
    assert "Interrupted: " in stderr and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    done_before = _letters(out, "pdf")
    assert 4 <= len(done_before) < total
    assert {e["file"] for e in _manifest(out)} == {p.name for p in done_before}
    assert not list(out.glob(".*.part"))
    done = subprocess.run(command[:-1], capture_output=True, text=True, timeout=300)  # no --quiet
    assert done.returncode == 0, done.stderr
    assert len(_letters(out, "pdf")) == total
    assert f"({total - len(done_before)} written, {len(done_before)} unchanged)" in done.stderr


def test_manifest_cells_cannot_become_formulas() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Jane") == "Jane"


def test_batch_date_is_kept_for_resumed_runs(run: Callable[..., Result], tmp_path: Path) -> None:
    rows, _ = _people(2, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"
    assert run("batch", str(source), "-o", str(out), "--format", "txt",
               "--date", "2026-01-15").exit_code == 0
    assert json.loads((out / "objection-batch.json").read_text())["date"] == "2026-01-15"
    result = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert "(0 written, 2 unchanged)" in result.output
    assert "15 January 2026" in _letters(out, "txt")[0].read_text("utf-8")


def test_a_batch_letter_is_the_letter_that_objection_letter_writes(
        run: Callable[..., Result], tmp_path: Path) -> None:
    # Rows of one kind share the rendered body; each keeps its own name, address, place, date.
    people = [("Ana Silva", "ana@example.pt", "Rua A 1", "Lisboa", "2026-11-20"),
              ("Rui Costa", "rui@example.pt", "Rua B 2", "Porto", "2026-11-21")]
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,lang,ground,address,place,date\n" + "".join(
        f"{n},{e},PT,pt,old-content,{a},{p},{d}\n" for n, e, a, p, d in people), "utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "txt")
    assert result.exit_code == 0, result.output
    for (name, email, address, place, date), batch_letter in zip(
            people, _letters(tmp_path / "out", "txt"), strict=True):
        single = tmp_path / f"{email}.txt"
        result = run("letter", "--no-input", "--name", name, "--email", email, "--country",
                     "PT", "--lang", "pt", "--ground", "old-content", "--address", address,
                     "--place", place, "--date", date, "-o", str(single))
        assert result.exit_code == 0, result.output
        assert batch_letter.read_text("utf-8") == single.read_text("utf-8")
        assert f"{name}\n{address}\n" in single.read_text("utf-8")


def test_a_batch_on_an_executor_passed_in_writes_what_the_default_pool_writes(
        run: Callable[..., Result], tmp_path: Path) -> None:
    # Where the rows run (the batch's own process pool, or any concurrent.futures executor,
    # e.g. a cluster's) changes no letter and no line of the manifest, and a rerun resumes.
    from concurrent.futures import ThreadPoolExecutor

    from objection.batch_run import BatchOptions, run_batch
    from objection.batch_state import STATE

    rows, bad = _people(7, 4)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    default = tmp_path / "default"
    for _run in range(2):  # twice, as below: the manifest says the letters are unchanged
        result = run("batch", str(source), "-o", str(default), "--format", "pdf,txt",
                     "--date", "2026-11-23", "--jobs", "2")
        assert result.exit_code == 3, result.output
    passed_in = tmp_path / "passed-in"
    options = BatchOptions(source, passed_in, ("pdf", "txt"), jobs=2, date="2026-11-23")
    with ThreadPoolExecutor(1) as pool:  # one thread: WeasyPrint is not shared between threads
        first = run_batch(options, warn=print, executor=pool)
        again = run_batch(options, warn=print, executor=pool)
        assert pool.submit(int, "7").result() == 7, "the caller's executor is left running"
    assert (first.written, first.unchanged, [row for row, *_ in first.problems]) == \
        (6, 0, sorted(bad))
    assert (again.written, again.unchanged, again.interrupted) == (0, 6, False)
    assert len(_letters(passed_in, "pdf")) == len(_letters(passed_in, "txt")) == 6
    assert {int(e["row"]) for e in _manifest(passed_in) if e["status"] == "rejected"} == set(bad)

    def contents(out: Path) -> dict[str, bytes]:  # the letters and what lists them (the
        # command, not run_batch, writes the tracking sheet after the run)
        return {path.name: path.read_bytes() for path in out.iterdir()
                if not path.name.startswith(STATE)
                and path.name not in ("tracking.csv", ".objection-tracking.json")}

    assert contents(passed_in) == contents(default)


def test_rows_journalled_by_two_stopped_runs_are_listed_once(run: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    """Two runs stopped with Ctrl-C each journal the rows they saw; the run that finishes
    must list each row's letters once (manifest, zip, print file), not once per journal."""
    rows, _ = _people(4, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "letters"
    args = ["batch", str(source), "-o", str(out), "--format", "pdf,txt", "--zip",
            "--print-file", "--quiet"]
    assert run(*args).exit_code == 0
    manifest = _manifest(out)
    # What two stopped runs of an earlier version leave (its manifest and journal had a line
    # a file): each journalled every row, then the next run began.
    lines = [",".join(entry[name] for name in FIELDS) for entry in manifest]
    (out / ".manifest.journal.csv").write_text("\r\n".join(lines * 2) + "\r\n", "utf-8")
    (out / "manifest.csv").write_text("\r\n".join([",".join(FIELDS), *lines]) + "\r\n",
                                      "utf-8")
    for path in out.glob(".objection-state.sqlite3*"):
        path.unlink()
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert _manifest(out) == manifest
    assert len(manifest) == 4 * 2  # a pdf and a txt per row
    with zipfile.ZipFile(out / "letters.zip") as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 4 * 2 + 2
    assert len(PdfReader(out / "print.pdf").pages) == sum(  # with a blank after odd counts
        len(PdfReader(path).pages) + len(PdfReader(path).pages) % 2
        for path in _letters(out, "pdf"))
