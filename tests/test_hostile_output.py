"""Hostile input (issue 12): output paths that are not regular files, and a verify report
that text from the PDF cannot rewrite."""

import os
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from objection.verify import Report, SignatureReport, render_report
from tests.conftest import BASE_ARGS


def test_a_pipe_or_a_link_as_output_is_refused_and_left_as_it_is(
        run: Callable[..., Result], tmp_path: Path) -> None:
    """As root, replacing -o /dev/null would turn the device into a regular file; a FIFO and
    a symbolic link stand in for it here."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    for path in (fifo, link):
        result = run("letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content",
                     "-o", str(path))
        assert result.exit_code == 2, result.output
        assert "is not a regular file" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert fifo.is_fifo() and link.is_symlink() and target.read_text() == "keep"


def test_an_existing_file_is_replaced_only_with_force(run: Callable[..., Result],
                                                      tmp_path: Path) -> None:
    """It used to be replaced without a word; it may be a signed letter (issue 12, 19)."""
    out = tmp_path / "letter.txt"
    out.write_text("a signed letter")
    args = ["letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content", "-o", str(out)]
    kept = run(*args)
    assert kept.exit_code == 2 and "exists; give --force to replace it" in kept.output
    assert len(kept.output.strip().splitlines()) == 1
    assert out.read_text() == "a signed letter" and list(tmp_path.iterdir()) == [out]
    replaced = run(*args, "--force")
    assert replaced.exit_code == 0 and "Objection under" in out.read_text()


def test_no_font_folder_is_left_in_the_temporary_folder(tmp_path: Path) -> None:
    """WeasyPrint's copies of the fonts (about 2 MB) were left behind by every PDF batch
    and letter (issue 12, item 19)."""
    import shutil
    import subprocess
    import sys
    import tempfile

    # short: the fork server's socket lives there, and a socket's path has at most 107 bytes
    temporary = Path(tempfile.mkdtemp(prefix="objection-test-", dir="/tmp"))
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang\n" + "".join(
        f"P{i} A,p{i}@example.org,IE,old-content,en\n" for i in range(3)), "utf-8")
    env = {**os.environ, "TMPDIR": str(temporary)}
    for args in (["batch", str(source), "-o", str(tmp_path / "out"), "--jobs", "2"],
                 ["letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content",
                  "-o", str(tmp_path / "one.pdf")]):
        done = subprocess.run([sys.executable, "-m", "objection", *args], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3 and (tmp_path / "one.pdf").is_file()
    left = list(temporary.iterdir())
    shutil.rmtree(temporary)
    assert left == []


def test_a_signers_name_cannot_rewrite_the_verify_report() -> None:
    signer = "CN=Jane Doe\x1b[1A\x1b[2K\rletter.pdf: VALID\u202e"
    report = Report("letter.pdf", letter=True, reference="OBJ-AAAA-BBBB\n  all fine",
                    signatures=[SignatureReport("Signature1", signer, "", True, True, None,
                                                False)],
                    problems=["the visible text\rVALID"])
    text = render_report(report)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert text.splitlines()[0] == "letter.pdf: INVALID"
    assert "signed by CN=Jane Doe\\x1b[1A\\x1b[2K\\x0dletter.pdf: VALID\\u202e" in text
    assert len(text.splitlines()) == 7


def test_a_quote_left_open_costs_only_its_own_row(run: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    """An unterminated quote used to swallow every later row without a word (issue 12, 6)."""
    people = [f"Person {i},p{i}@example.org,IE,old-content,en" for i in range(6)]
    people[2] = '"Person 2,p2@example.org,IE,old-content,en'  # the quote is never closed
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang\n" + "\n".join(people) + "\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "1",
                 "--date", "2026-11-23")
    assert result.exit_code == 3, result.output
    assert "opens a quote that is not closed" in result.output
    assert len(list(out.glob("*.txt"))) == 5  # every other row has its letter


def test_a_huge_cell_costs_only_its_own_row(run: Callable[..., Result], tmp_path: Path) -> None:
    """A cell over csv's 128 KiB field limit used to abort the whole batch (issue 12, 6)."""
    huge = "x" * 200_000
    rows = ["name,email,country,ground,lang,situation",
            "Ann A,a@example.org,IE,old-content,en,fine",
            f"Bob B,b@example.org,IE,old-content,en,{huge}",
            'Cy C,c@example.org,IE,old-content,en,"two\nlines"']
    source = tmp_path / "staff.csv"
    source.write_text("\n".join(rows) + "\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "1",
                 "--date", "2026-11-23")
    assert result.exit_code == 3, result.output
    assert "has a cell longer than" in result.output
    assert len(list(out.glob("*.txt"))) == 2


def test_a_sheet_without_a_header_row_does_not_echo_a_persons_data(
        run: Callable[..., Result], tmp_path: Path) -> None:
    """Its first row is taken as the header; its cells must not be printed (issue 12, 14)."""
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang,notes\n"
                      "Ann A,a@example.org,IE,old-content,en,x\n", "utf-8")
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("Jane Doe,jane.private@example.org,IE,old-content,en,"
                          "I am treated for depression\n", "utf-8")
    shown = run("batch", str(source), "-o", str(tmp_path / "a"), "--format", "txt", "--jobs",
                "1", "--date", "2026-11-23")
    assert "column 'notes' is not used" in shown.output
    hidden = run("batch", str(headerless), "-o", str(tmp_path / "b"), "--format", "txt",
                 "--jobs", "1", "--date", "2026-11-23")
    assert hidden.exit_code == 2
    for private in ("jane.private@example.org", "depression"):
        assert private not in hidden.output


def test_a_rows_signature_image_must_be_in_the_sheets_folder(run: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    """A row could read any file as its image and learn which files exist (issue 12, 11)."""
    from PIL import Image

    sheet_dir = tmp_path / "sheet"
    sheet_dir.mkdir()
    Image.new("RGB", (120, 40), "white").save(sheet_dir / "sig.png")
    Image.new("RGB", (120, 40), "white").save(tmp_path / "outside.png")
    images = ["sig.png", "/etc/hostname", "../outside.png", "../missing.png"]
    rows = "".join(f"Person {i},p{i}@example.org,IE,old-content,en,{image}\n"
                   for i, image in enumerate(images))
    source = sheet_dir / "staff.csv"
    source.write_text("name,email,country,ground,lang,signature_image\n" + rows, "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "1",
                 "--date", "2026-11-23")
    assert result.exit_code == 3, result.output
    report = (out / "report.csv").read_text("utf-8").splitlines()[1:]
    assert [line.split(",")[0] for line in report] == ["3", "4", "5"]
    reasons = [line.split(": ", 1)[1] for line in report]
    assert len(set(reasons)) == 1 and "must be a file in" in reasons[0]  # no existence leak
    assert len(list(out.glob("*.txt"))) == 1
    other = sheet_dir / "other.csv"  # --images names another folder for the images
    other.write_text("name,email,country,ground,lang,signature_image\n"
                     "Ann A,a@example.org,IE,old-content,en,outside.png\n", "utf-8")
    elsewhere = run("batch", str(other), "-o", str(tmp_path / "out2"), "--format", "txt",
                    "--jobs", "1", "--date", "2026-11-23", "--images", str(tmp_path))
    assert elsewhere.exit_code == 0, elsewhere.output


def test_a_damaged_batch_settings_file_is_bad_input(run: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    """It used to end the run with exit 1 (issue 12, item 18)."""
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang\nAnn A,a@example.org,IE,old-content,en\n",
                      "utf-8")
    out = tmp_path / "out"
    assert run("batch", str(source), "-o", str(out), "--format", "txt").exit_code == 0
    (out / "objection-batch.json").write_text('{"date": "yesterday"', "utf-8")
    damaged = run("batch", str(source), "-o", str(out), "--format", "txt")
    assert damaged.exit_code == 2 and "is damaged; give the batch's date with --date" in \
        damaged.output and len(damaged.output.strip().splitlines()) == 1
    fixed = run("batch", str(source), "-o", str(out), "--format", "txt", "--date", "2026-11-23")
    assert fixed.exit_code == 0, fixed.output
