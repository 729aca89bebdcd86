"""Option values are checked by parameter types while the command line is read: a bad one
gets the same one-line reason as the library gives, exit status 2, and nothing written."""

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import BASE_ARGS

LETTER = [*BASE_ARGS, "--country", "IE", "--ground", "old-content"]


def _one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["--toggle", "maybe"], "Error: toggle 'maybe': expected one of off, pending"),
    (["--format", "docx"], "Error: format 'docx': expected one of pdf, txt"),
])
def test_bad_letter_option_is_one_line(run: Callable[..., Result], tmp_path: Path,
                                       args: list[str], expected: str) -> None:
    result = run("letter", *LETTER, *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert _one_line(result) == expected
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "expected"), [
    (["--format", "pdf,docx"], "Error: format 'pdf,docx': expected pdf, txt or pdf,txt"),
    (["--delimiter", "|"], "Error: delimiter '|': expected ',', ';' or 'tab'"),
    (["--encoding", "klingon"], "Error: encoding 'klingon': unknown encoding; expected e.g. "
                                "utf-8, cp1252"),
    (["--date", "2026-02-30"], "Error: date '2026-02-30': not a real date; expected "
                               "YYYY-MM-DD, e.g. 2026-11-23"),
    (["--map", "Full Name"], "Error: map 'Full Name': expected 'Header in the file=column'"),
    (["--map", "Full Name=nickname"], "Error: map 'Full Name=nickname': expected 'Header in "
                                      "the file=column'"),
])
def test_bad_batch_option_is_one_line_and_writes_nothing(run: Callable[..., Result],
                                                         tmp_path: Path, args: list[str],
                                                         expected: str) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground\nJane Doe,jane@example.org,IE,old-content\n",
                      encoding="utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert _one_line(result).startswith(expected)
    assert [path.name for path in tmp_path.iterdir()] == ["staff.csv"]


def test_good_batch_options_are_taken(run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("Full Name;email;country;ground\nJane Doe;jane@example.org;IE;journalist\n",
                      encoding="cp1252")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "TXT, pdf,txt",
                 "--delimiter", ";", "--encoding", "cp1252", "--date", " 2026-11-23 ",
                 "--map", "full name=name", "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.glob("0*")) == ["000002-jane-doe.pdf",
                                                          "000002-jane-doe.txt"]
    assert "23 November 2026" in (out / "000002-jane-doe.txt").read_text("utf-8")
