"""Hostile input values (issue 12, items 15 to 18). Every text value, from options, a profile
or a spreadsheet row, meets one rule (objection.request.check_text): valid text, no control
characters (a line break only where the field takes lines), only characters the letter's font
prints. A refusal is exit status 2, one line naming the field, and no file."""

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from objection.errors import InputError
from objection.fonts import FONT_FILES, FONTCONFIG_FILE, coverage
from objection.request import make_request
from tests.conftest import BASE_ARGS

LETTER = [*BASE_ARGS, "--country", "IE", "--ground", "old-content"]
BASE = {"name": "Jane Doe", "email": "jane@example.org", "country": "IE",
        "ground": "old-content", "date": "2026-11-23", "lang": "en"}
SCRIPTS = ("it covers the Latin, Greek and Cyrillic scripts and common Traditional Chinese "
           "characters")


def _refused(result: Result, folder: Path, *kept: str) -> str:
    """The one line of a refusal; nothing written but the files the test made."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert sorted(path.name for path in folder.iterdir()) == sorted(kept)
    return lines[0]


# Item 15: what acts on a terminal or on the layout instead of being read.
CONTROLS = {"escape": "\x1b[2J\x1b[31m", "rlo": "\u202e", "isolate": "\u2067",
            "zero-width": "\u200b", "tab": "\t", "next-line": "\x85", "line-sep": "\u2028"}
# One option per text field; {} is where the character goes.
TEXT_OPTIONS = {"name": ("--name", "Jane {}Doe"), "email": ("--email", "jane{}@example.org"),
                "profile_url": ("--profile-url", "linkedin.com/in/jane{}doe"),
                "address": ("--address", "12 Main {}Street"), "place": ("--place", "Cork{}"),
                "fact": ("--fact", "harassment: A client {}calls me"),
                "situation": ("--situation", "I object.{} My employer reads LinkedIn.")}


@pytest.mark.parametrize("char", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("field", TEXT_OPTIONS)
def test_control_and_bidi_characters_are_refused_in_every_text_field(
        run: Callable[..., Result], tmp_path: Path, field: str, char: str) -> None:
    option, template = TEXT_OPTIONS[field]
    result = run("letter", *LETTER, option, template.format(char), "-o", str(tmp_path / "x.txt"))
    if (field, char) == ("situation", "\t"):  # pasted paragraphs: a tab reads as a space
        assert result.exit_code == 0, result.output
        return
    line = _refused(result, tmp_path)
    assert line.startswith(f"Error: {field} '")
    assert line.endswith("without control characters")
    assert char not in line  # shown escaped: the terminal is not driven by it


def test_line_breaks_only_where_a_field_takes_lines(run: Callable[..., Result],
                                                   letter: Callable[..., str],
                                                   tmp_path: Path) -> None:
    text = letter("--country", "IE", "--address", "12 Main Street\nD02 X285 Dublin",
                  "--situation", "I am a GP.\r\n\r\nI write about my work.")
    assert "Jane Doe\n12 Main Street\nD02 X285 Dublin\n" in text
    assert "    I am a GP.\n\n    I write about my work.\n" in text  # two paragraphs
    result = run("letter", *LETTER, "--place", "Cork\nDublin", "-o", str(tmp_path / "x.txt"))
    assert _refused(result, tmp_path, "letter-0.txt") == (
        "Error: place 'Cork Dublin': must be one line of text without control characters")


def test_a_profile_and_a_library_caller_meet_the_same_rule(run: Callable[..., Result],
                                                           tmp_path: Path) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('name = "Jane Doe"\nemail = "jane@example.org"\ncountry = "IE"\n'
                       'situation = "I object.\\u202e My employer reads LinkedIn."\n',
                       encoding="utf-8")
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(tmp_path / "x.txt"))
    assert _refused(result, tmp_path, "me.toml").startswith(
        "Error: situation 'I object.\\u202e My employer")
    with pytest.raises(InputError, match="must be plain text without control characters"):
        make_request({**BASE, "situation": "Quiet\x1b]0;pwned\x07 text"})


@pytest.mark.parametrize("url", ['linkedin.com/in/jane<b>"doe', "linkedin.com/in/jane doe",
                                 "https://www.linkedin.com/in/jane'doe/"])
def test_a_profile_url_is_a_plain_linkedin_address(run: Callable[..., Result], tmp_path: Path,
                                                   url: str) -> None:
    result = run("letter", *LETTER, "--profile-url", url, "-o", str(tmp_path / "x.txt"))
    assert _refused(result, tmp_path).endswith("not a LinkedIn profile address; expected "
                                               "https://www.linkedin.com/in/your-name")
    request = make_request({**BASE, "profile_url": "linkedin.com/in/jane-doe-42/?trk=x"})
    assert request.profile_url == "https://www.linkedin.com/in/jane-doe-42"


# Item 16: scripts the shipped font lacks; a host font must not print them instead.
FOREIGN = {"emoji": ("Jane 😀", "U+1F600"), "hebrew": ("דוד כהן", "U+05D3 U+05D5 U+05DB U+05D4 "
                                                                 "U+05DF"),
           "arabic": ("ليلى", "U+0644 U+064A U+0649"), "georgian": ("ნინო", "U+10DC U+10D8 U+10DD"),
           "armenian": ("Արամ", "U+0531 U+0580 U+0561 U+0574"),
           "hangul": ("김민준", "U+AE40 U+BBFC U+C900"),
           "rare-han": ("陳堃", "U+5803")}  # Chinese outside the common characters shipped


@pytest.mark.parametrize("fmt", ["pdf", "txt"])
@pytest.mark.parametrize("script", FOREIGN)
def test_characters_the_font_lacks_are_refused_for_every_format(
        run: Callable[..., Result], tmp_path: Path, script: str, fmt: str) -> None:
    name, codes = FOREIGN[script]
    result = run("letter", *LETTER, "--name", name, "-o", str(tmp_path / f"x.{fmt}"))
    assert _refused(result, tmp_path) == (f"Error: name: contains {codes}, which the letter's "
                                          f"font cannot print; {SCRIPTS}")


def test_the_renderer_sees_no_font_of_the_host() -> None:
    """Past validation (the templates' own text), a generic family finds only our fonts."""
    from objection.pdf import html_to_pdf

    html = '<p style="font-family: sans-serif, monospace, emoji">Hebrew: שלום</p>'
    with pytest.raises(InputError, match=re.escape("contains U+05D5 U+05DC U+05DD U+05E9, ")):
        html_to_pdf(html, "data.json", b"{}", "data", dt.date(2026, 11, 23))


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig tools not installed")
def test_the_private_fontconfig_lists_only_the_shipped_fonts() -> None:
    listed = subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True, check=True,
                            env={**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}).stdout
    assert sorted(Path(line.rstrip(": ")).name for line in listed.splitlines()) == \
        sorted(FONT_FILES)


def test_the_supported_scripts_are_printable() -> None:
    assert all(code in coverage() for code in range(0x20, 0x7F))  # unprintable()'s shortcut
    for name in ("Zoë Ødegård-Núñez", "Łukasz Żółć", "Ştefan Ţăran", "Þórdís Ðorđević",
                 "Γιώργος Παπαδόπουλος", "Иван Петров", "Nguyễn Thị Minh"):
        assert make_request({**BASE, "name": name}).name == name


def test_a_batch_row_gets_one_reason_whatever_the_format(run: Callable[..., Result],
                                                         tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([
            ["name", "email", "country", "ground", "lang", "situation"],
            ["Jane Doe", "jane@example.org", "IE", "old-content", "en", "I am a GP."],
            ["Ann 😀", "ann@example.org", "IE", "old-content", "en", ""],
            ["Bo Lee", "bo@example.org", "IE", "old-content", "en", "I object.\u202e evil"],
            ["Cy Roe", "cy@example.org", "IE", "old-content", "en", "From Tbilisi, ნ."]])
    reasons = {}
    for fmt in ("txt", "pdf"):
        out = tmp_path / fmt
        result = run("batch", str(source), "-o", str(out), "--format", fmt, "--quiet",
                     "--date", "2026-11-23")
        assert result.exit_code == 3, result.output
        with (out / "report.csv").open(newline="", encoding="utf-8") as fh:
            reasons[fmt] = {row["row"]: (row["column"], row["reason"])
                            for row in csv.DictReader(fh)}
    assert reasons["txt"] == reasons["pdf"]
    assert reasons["txt"] == {
        "3": ("name", f"name: contains U+1F600, which the letter's font cannot print; {SCRIPTS}"),
        "4": ("situation", "situation 'I object.\\u202e evil': must be plain text without "
                           "control characters"),
        "5": ("situation", "situation: contains U+10DC, which the letter's font cannot print; "
                           f"{SCRIPTS}")}


# Item 17: a profile value of the wrong TOML type, or a profile that is not a small file.
@pytest.mark.parametrize(("line", "expected"), [
    ('name = ["Jane Doe"]', "name': expected a string, not a list"),
    ("place = { city = 'Cork' }", "place': expected a string, not a table"),
    ("place = 5", "place': expected a string, not a number"),
    ("situation = 2026-11-23", "situation': expected a string, not a date"),
    ("date = 2026-11-23T10:00:00", "date': expected a date such as 2026-11-23, not a date-time"),
    ("bilingual = 1", "bilingual': expected true or false, not a number"),
    ('address = ["12 Main Street", 1]', "address': expected a string or a list of strings, not "
                                        "a list holding a number"),
    ("ground = [['old-content']]", "ground': expected a string or a list of strings, not a "
                                   "list holding a list"),
])
def test_a_profile_value_of_the_wrong_type_names_the_key_and_the_type(
        run: Callable[..., Result], tmp_path: Path, line: str, expected: str) -> None:
    profile = tmp_path / "me.toml"
    key = line.partition(" ")[0]
    base = {"name": 'name = "Jane Doe"', "email": 'email = "jane@example.org"',
            "country": 'country = "IE"', "ground": 'ground = "old-content"', key: line}
    profile.write_text("\n".join(base.values()) + "\n", encoding="utf-8")
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(tmp_path / "x.txt"))
    assert _refused(result, tmp_path, "me.toml") == f"Error: profile '{expected}"


@pytest.mark.parametrize("kind", ["device", "fifo", "huge"])
def test_a_profile_must_be_a_small_regular_file(run: Callable[..., Result], tmp_path: Path,
                                                kind: str) -> None:
    profile = tmp_path / "me.toml"
    if kind == "device":
        profile = Path("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(profile)  # nobody writes: reading it would wait for ever
    else:
        profile.write_text('name = "Jane Doe"\n' + "# padding\n" * 7000, encoding="utf-8")
    result = run("letter", *LETTER, "--profile", str(profile), "-o", str(tmp_path / "x.txt"))
    line = _refused(result, tmp_path, *([] if kind == "device" else ["me.toml"]))
    assert line.startswith("Error: profile '")
    assert line.endswith("': " + (
        "is 68 KiB; at most 64 KiB" if kind == "huge"
        else "is not a regular file (a device or a pipe); expected a file"))


# Item 18: bytes that are not UTF-8 reach Python as lone surrogates (surrogateescape).
@pytest.mark.parametrize(("option", "value"), [("--name", b"Jane \xff"), ("--place", b"Co\xffrk"),
                                               ("--situation", b"I object \xe9.")])
def test_undecodable_bytes_in_an_option_are_bad_input(tmp_path: Path, option: str,
                                                      value: bytes) -> None:
    args = [arg.encode() for arg in LETTER] + [option.encode(), value, b"-o", b"x.txt"]
    result = subprocess.run([sys.executable, "-m", "objection", "letter", *args], cwd=tmp_path,
                            capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    field = option.removeprefix("--")
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().splitlines() == [
        f"Error: {field} {value.decode('utf-8', 'surrogateescape')!r}: is not valid text "
        "(undecodable bytes)"]
    assert list(tmp_path.iterdir()) == []


def test_undecodable_bytes_from_any_source_are_bad_input() -> None:
    for field in ("name", "situation", "address", "email"):
        with pytest.raises(InputError, match=f"^{field} .*is not valid text"):
            make_request({**BASE, field: "Jane \udcff"})
