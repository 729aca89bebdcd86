"""Every error is one line naming the value and what is expected, and says what to do:
click's own usage errors too (an unknown option, a missing value, an unknown command), a
date in another format, a date before LinkedIn's processing began or far ahead, a web
address given to --profile. Exit status 2, nothing written."""

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import BASE_ARGS

LETTER = [*BASE_ARGS, "--country", "IE", "--ground", "old-content"]
TODAY = dt.date.today()


def _without(args: list[str], option: str) -> list[str]:
    at = args.index(option)
    return args[:at] + args[at + 2:]


def _one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    # an unknown option, with the closest one
    (["letter", "--nmae", "x"],
     "no such option --nmae (did you mean --name?); see objection letter --help"),
    (["letter", *LETTER, "-x"], "no such option -x; see objection letter --help"),
    (["--debg", "letter"], "no such option --debg (did you mean --debug?); see objection --help"),
    (["--nope", "letter"], "no such option --nope; see objection --help"),
    # a missing option value, also where the next option was taken for it
    (["letter", *LETTER, "--name"], "option --name needs a value; see objection letter --help"),
    (["letter", *LETTER, "--toggle"],
     "option --toggle needs a value, one of off, pending; see objection letter --help"),
    (["letter", *_without(LETTER, "--name"), "--name", "--email", "jane@example.org"],
     "option --name needs a value, not the option --email; see objection letter --help"),
    (["letter", *LETTER, "--no-input=yes"],
     "option --no-input takes no value; give --no-input alone; see objection letter --help"),
    # a value click's own types refuse
    (["batch", "staff.csv", "-o", "out", "--jobs", "abc"],
     "--jobs 'abc': expected a whole number from 1 to 256; see objection batch --help"),
    (["batch", "staff.csv", "-o", "out", "--jobs", "0"],
     "--jobs '0': expected a whole number from 1 to 256; see objection batch --help"),
    (["letter", *LETTER, "--p12-password-file", "."],
     "--p12-password-file '.': is a folder; expected a file; see objection letter --help"),
    (["batch", "staff.csv", "-o", "out", "--images", "missing"],
     "--images 'missing': no such folder; see objection batch --help"),
    # arguments: unexpected, missing
    (["letter", *_without(LETTER, "--name"), "--name", "Jane", "Doe"],
     "unexpected argument 'Doe'; objection letter takes only options (quote a value with "
     "spaces: --name \"Jane Doe\"); see objection letter --help"),
    (["countries", "DE"],
     "unexpected argument 'DE'; objection countries takes no arguments; see objection "
     "countries --help"),
    (["batch", "staff.csv", "more.csv", "-o", "out"],
     "unexpected argument 'more.csv'; expected objection batch [OPTIONS] TABLE; see objection "
     "batch --help"),
    (["batch"], "missing argument TABLE; expected objection batch [OPTIONS] TABLE; see "
                "objection batch --help"),
    (["verify"], "missing argument PDF; expected objection verify [OPTIONS] PDF; see objection "
                 "verify --help"),
    (["batch", "staff.csv"], "missing option -o/--output: folder for the letters, manifest.csv "
                             "and report.csv; see objection batch --help"),
    # an unknown command, with the closest one, else the list
    (["lettr", *LETTER], "no such command 'lettr' (did you mean letter?); see objection --help"),
    (["write"], "no such command 'write'; expected one of batch, complaint, countries, deadline, "
                "grounds, languages, letter, reminder, verify; see objection --help"),
    (["--debug"], "missing command; expected one of batch, complaint, countries, deadline, "
                  "grounds, languages, letter, reminder, verify; see objection --help"),
])
def test_usage_errors_are_one_line_saying_what_to_do(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        args: list[str], expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert _one_line(result) == "Error: " + expected
    assert list(tmp_path.iterdir()) == []


def test_a_usage_error_is_one_line_on_stderr_from_the_installed_command(tmp_path: Path) -> None:
    objection = Path(sys.executable).parent / "objection"
    for args in (["letter", "--nmae", "x"], ["--nope"], ["lettr"]):
        done = subprocess.run([str(objection), *args], capture_output=True, text=True,
                              cwd=tmp_path, check=False, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("date", "expected"), [
    ("30.11.2026", "date '30.11.2026': expected YYYY-MM-DD, e.g. 2026-11-30"),
    ("3/11/2026", "date '3/11/2026': expected YYYY-MM-DD, e.g. 2026-11-03"),
    ("2026/11/30", "date '2026/11/30': expected YYYY-MM-DD, e.g. 2026-11-30"),
    ("2026-11-3", "date '2026-11-3': expected YYYY-MM-DD, e.g. 2026-11-03"),
    ("2026-11-30T10:00", "date '2026-11-30T10:00': expected YYYY-MM-DD, e.g. 2026-11-30"),
    ("yesterday", "date 'yesterday': expected YYYY-MM-DD, e.g. 2026-11-23"),
    ("2025-11-02", "date '2025-11-02': before 3 November 2025, when LinkedIn began to use "
                   "members' data for AI; expected the day you sign the letter"),
    ((TODAY + dt.timedelta(days=32)).isoformat(),
     f"date '{TODAY + dt.timedelta(days=32)}': more than 31 days after today ({TODAY}); "
     "expected the day you sign the letter"),
])
def test_a_date_says_what_is_wrong_with_it(run: Callable[..., Result], tmp_path: Path,
                                           date: str, expected: str) -> None:
    result = run("letter", *_without(LETTER, "--date"), "--date", date,
                 "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert _one_line(result) == "Error: " + expected
    assert list(tmp_path.iterdir()) == []
    # the same rule for a batch's --date
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground\nJane Doe,jane@example.org,IE,old-content\n",
                      encoding="utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--date", date)
    assert result.exit_code == 2
    assert _one_line(result) == "Error: " + expected
    assert [path.name for path in tmp_path.iterdir()] == ["staff.csv"]


@pytest.mark.parametrize(("first_or_last", "beyond"), [
    ("2025-11-03", "2025-11-02"),
    ((TODAY + dt.timedelta(days=31)).isoformat(), (TODAY + dt.timedelta(days=32)).isoformat()),
])
def test_the_first_and_last_dates_allowed_make_a_letter(run: Callable[..., Result],
                                                        tmp_path: Path, first_or_last: str,
                                                        beyond: str) -> None:
    args = _without(LETTER, "--date")
    out = tmp_path / "x.txt"
    assert run("letter", *args, "--date", beyond, "-o", str(out)).exit_code == 2
    result = run("letter", *args, "--date", first_or_last, "-o", str(out))
    assert result.exit_code == 0, result.output
    day = dt.date.fromisoformat(first_or_last)
    assert f"{day.day} {day:%B %Y}" in out.read_text("utf-8")


def test_a_batch_row_dated_before_linkedins_processing_is_rejected_alone(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,date\n"
                      "Jane Doe,jane@example.org,IE,old-content,2026-11-23\n"
                      "Ann Lee,ann@example.org,IE,old-content,2025-10-01\n"
                      "Bo Kim,bo@example.org,IE,old-content,30.11.2026\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--quiet")
    assert result.exit_code == 3
    assert (out / "000002-jane-doe.txt").exists()
    assert "row 3: date '2025-10-01': before 3 November 2025" in result.output
    assert "row 4: date '30.11.2026': expected YYYY-MM-DD, e.g. 2026-11-30" in result.output


@pytest.mark.parametrize("given", ["https://www.linkedin.com/in/jane", "linkedin.com/in/jane",
                                   "www.linkedin.com/in/jane-doe"])
def test_a_web_address_given_to_profile_points_to_profile_url(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        given: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("letter", *LETTER, "--profile", given, "-o", "x.txt")
    assert result.exit_code == 2
    assert _one_line(result) == (f"Error: profile '{given}': a web address, not a profile file; "
                                 "for your LinkedIn profile's address use --profile-url")
    assert list(tmp_path.iterdir()) == []


def test_a_date_in_a_profile_gets_the_same_reason(run: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('name = "Jane Doe"\nemail = "jane@example.org"\ncountry = "IE"\n'
                       'ground = "old-content"\ndate = "30.11.2026"\n', encoding="utf-8")
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert _one_line(result) == "Error: date '30.11.2026': expected YYYY-MM-DD, e.g. 2026-11-30"
    assert [path.name for path in tmp_path.iterdir()] == ["me.toml"]
