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


PROFILE = 'name = "Jane Doe"\nemail = "jane@example.org"\ncountry = "IE"\n'


@pytest.mark.parametrize(("extra", "expected"), [
    ('bilingual = "maybe"\nlang = "de"\n', "Error: bilingual 'maybe': expected yes or no"),
    ('ground = 5\n', "Error: profile 'ground': expected a string or a list of strings, not a "
                     "number"),
    ('ground = "old-content"\ntoggle = "maybe"\n',
     "Error: toggle 'maybe': expected one of off, pending"),
    ('ground = "old-content"\nplace = {city = "Cork"}\n',
     "Error: profile 'place': expected a string, not a table"),
    ('ground = "old-content"\nplace = ["Cork", "Dublin"]\n',
     "Error: profile 'place': expected a string, not a list"),
    ('ground = "old-content"\nprofile_url = "linkedin.com/in/jane\\u0007doe"\n',
     "Error: profile_url 'linkedin.com/in/jane\\x07doe': must be one line of text without "
     "control characters"),
])
def test_a_bad_profile_value_is_one_line(run: Callable[..., Result], tmp_path: Path,
                                         extra: str, expected: str) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text(PROFILE + extra, encoding="utf-8")
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert _one_line(result).startswith(expected)
    assert [path.name for path in tmp_path.iterdir()] == ["me.toml"]


def test_profile_values_take_the_shapes_a_spreadsheet_cell_takes(run: Callable[..., Result],
                                                                 tmp_path: Path) -> None:
    """Blank means nothing said; x means yes; a TOML date; a comma list."""
    profile = tmp_path / "me.toml"
    profile.write_text(PROFILE + 'lang = "de"\nbilingual = "x"\ntoggle = ""\nformat = ""\n'
                       'date = 2026-11-23\nground = "old-content, journalist"\n'
                       'scope = "generative"\n', encoding="utf-8")
    out = tmp_path / "x.txt"
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "23. November 2026" in text  # German date, from the TOML date
    assert "Courtesy translation into English" in text  # bilingual = "x"
    assert "I have switched off" not in text and "I am switching off" not in text  # no claim
    assert "I am a journalist" in " ".join(text.split())
    assert "To train our content-generating" in text  # scope: generative, and only that
    assert "To improve LinkedIn" not in text and "Our AI features generally" not in text


@pytest.mark.parametrize(("args", "expected"), [
    (["--region", "XX"], "Error: region 'XX': unknown; expected one of BB, BE, BW, BY"),
    (["--region", "BY", "--country", "FR"], "Error: region 'BY': applies only to residents of "
                                            "CA, DE"),
])
def test_a_bad_region_is_one_line(run: Callable[..., Result], tmp_path: Path,
                                  args: list[str], expected: str) -> None:
    base = [*BASE_ARGS, "--country", "DE", "--ground", "old-content"]
    result = run("letter", *base, *args, "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert _one_line(result).startswith(expected)
    assert list(tmp_path.iterdir()) == []


def test_a_batch_takes_the_region_column(run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,region,ground,lang\n"
                      "Anna Huber,anna@example.org,DE,BY,old-content,en\n"
                      "Ben Roth,ben@example.org,DE,,old-content,en\n"
                      "Cem Kaya,cem@example.org,DE,XX,old-content,en\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--quiet")
    assert result.exit_code == 3
    bavarian = " ".join((out / "000002-anna-huber.txt").read_text("utf-8").split())
    assert "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), https://www.lda.bayern.de" \
        in bavarian
    general = " ".join((out / "000003-ben-roth.txt").read_text("utf-8").split())
    assert "data protection supervisory authority of my federal state (Land)" in general
    assert "row 4: region 'XX': unknown" in result.output
