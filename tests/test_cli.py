"""Exit codes, one-line reasons, no partial output, profiles, lists, PDF properties.

That every help text has an example is tested in tests/test_docs.py.
"""

import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from objection.cli import cli
from tests.conftest import BASE_ARGS, pdf_text

ARGS = [*BASE_ARGS, "--country", "IE", "--ground", "old-content"]


def _replace(args: list[str], option: str, value: str) -> list[str]:
    args = list(args)
    args[args.index(option) + 1] = value
    return args


def _error_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (_replace(ARGS, "--country", "US"), "country 'US': not a supported country"),
    (_replace(ARGS, "--email", "jane.example.org"), "email 'jane.example.org': not a valid e-mail"),
    (_replace(ARGS, "--name", ""), "name: is required"),
    ([a for a in ARGS if a not in ("--name", "Jane Doe")], "name: is required"),
    (_replace(ARGS, "--ground", "bored"), "ground 'bored': unknown; expected one of"),
    (_replace(ARGS, "--date", "2026-02-30"),
     "date '2026-02-30': not a real date; expected YYYY-MM-DD"),
    ([*ARGS, "--profile-url", "https://example.org/in/jane"], "profile_url 'https://example.org/in/jane'"),
    ([*ARGS, "--scope", "microsoft"], "scope 'microsoft': applies only to residents of GB"),
    ([*ARGS, "--lang", "tlh"], "lang 'tlh': unsupported language"),
    ([*ARGS, "--name", "Jane\x07Doe"], "must be one line of text without control characters"),
    ([*ARGS, "--name", "../../etc/passwd"],
     "name '../../etc/passwd': contains '/' or '\\'; expected a person's name"),
])
def test_bad_input_exits_2_with_one_line_and_no_file(run: Callable[..., Result], tmp_path: Path,
                                                     args: list[str], expected: str) -> None:
    out = tmp_path / "x.pdf"
    result = run("letter", *args, "-o", str(out))
    assert result.exit_code == 2
    assert expected in _error_line(result)
    assert list(tmp_path.iterdir()) == []


def test_a_letter_without_grounds_is_refused_with_the_reason(run: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    args = [a for a in ARGS if a not in ("--ground", "old-content")]
    result = run("letter", *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    line = _error_line(result)
    assert "particular situation" in line and "--ground" in line and "--situation" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing-dir/x.pdf", "."])
def test_unwritable_output_exits_2_before_any_work(run: Callable[..., Result], tmp_path: Path,
                                                    where: str) -> None:
    result = run("letter", *ARGS, "-o", str(tmp_path / where))
    assert result.exit_code == 2
    assert "output" in _error_line(result)
    assert list(tmp_path.iterdir()) == []


def test_characters_the_font_lacks_are_bad_input(run: Callable[..., Result],
                                                 tmp_path: Path) -> None:
    result = run("letter", *_replace(ARGS, "--name", "김민준"), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "U+AE40" in _error_line(result)
    assert list(tmp_path.iterdir()) == []


def test_pdf_is_made_without_harfbuzz_subset(run: Callable[..., Result], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Where libharfbuzz-subset0 is missing, WeasyPrint falls back to fontTools and warns.
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    out = tmp_path / "x.pdf"
    result = run("letter", *ARGS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Art. 21(1)" in pdf_text(out.read_bytes())


def test_unexpected_failure_exits_1_without_traceback_or_personal_data(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Jane Doe lives at 12 Main Street")

    monkeypatch.setattr("objection.compose.compose", broken)
    result = run("letter", *ARGS, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    line = _error_line(result)
    assert "RuntimeError" in line and "--debug" in line
    assert "Jane" not in result.output and "Traceback" not in result.output

    debug = run("--debug", "letter", *ARGS, "-o", str(tmp_path / "x.pdf"))
    assert isinstance(debug.exception, RuntimeError)
    assert list(tmp_path.iterdir()) == []


def test_output_is_private_to_its_owner(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    assert run("letter", *ARGS, "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]


def test_format_follows_suffix_and_dash_means_stdout_text(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    assert run("letter", *ARGS, "-o", str(tmp_path / "a.txt")).exit_code == 0
    assert (tmp_path / "a.txt").read_text().startswith("Jane Doe\n")
    assert run("letter", *ARGS, "--format", "pdf", "-o", str(tmp_path / "b.out")).exit_code == 0
    assert (tmp_path / "b.out").read_bytes().startswith(b"%PDF-")
    result = run("letter", *ARGS, "-o", "-")
    assert result.exit_code == 0
    assert "Yours faithfully," in result.stdout


def test_without_output_both_files_are_named_by_the_reference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF to post or upload and the text to paste into the form (issue 13)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["letter", *ARGS])
    assert result.exit_code == 0, result.output
    written = sorted(os.listdir(tmp_path))
    assert [Path(name).suffix for name in written] == [".pdf", ".txt"]
    assert Path(written[0]).stem == Path(written[1]).stem
    assert re.fullmatch(r"objection-OBJ-[A-Z0-9]{4}-[A-Z0-9]{4}", Path(written[0]).stem)
    assert (tmp_path / written[0]).read_bytes().startswith(b"%PDF-")
    assert (tmp_path / written[1]).read_text("utf-8").startswith("Jane Doe\n")
    only_text = CliRunner().invoke(cli, ["letter", *ARGS, "--format", "txt", "--force"])
    assert only_text.exit_code == 0 and sorted(os.listdir(tmp_path)) == written


@pytest.mark.parametrize(("output", "extra", "expected"), [
    ("letter.docx", (), "expected a file name ending in .pdf or .txt (or give --format"),
    ("letter", (), "expected a file name ending in .pdf or .txt"),
    ("letter.pdf", ("--format", "txt"), "ends in .pdf but --format is txt"),
])
def test_an_output_name_that_says_no_format_is_refused(
        run: Callable[..., Result], tmp_path: Path, output: str, extra: tuple[str, ...],
        expected: str) -> None:
    """A .docx used to get a PDF under that name (issue 13)."""
    result = run("letter", *ARGS, *extra, "-o", str(tmp_path / output))
    assert result.exit_code == 2 and expected in result.output
    assert len(result.output.strip().splitlines()) == 1 and list(tmp_path.iterdir()) == []


def test_the_sender_is_told_what_to_do_next_unless_quiet(run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    told = run("letter", *ARGS, "--date", "2026-01-31", "-o", str(out))
    assert told.exit_code == 0, told.output
    steps = " ".join(told.output.split())
    assert "What to do next:" in steps
    assert "https://www.linkedin.com/help/linkedin/ask/TS-DPRO" in steps
    assert f"Paste the whole text of {out} into the form's text box" in steps
    # one month from receipt: the month's last day where the next has no such date, then
    # past a Saturday (28 February 2026) to the next working day
    assert "If it receives the letter on 31 January 2026, that month ends on 2 March 2026" \
        in steps
    assert "Keep an exact copy of what you sent and proof of when it arrived" in steps
    quiet = run("letter", *ARGS, "-o", str(tmp_path / "y.txt"), "--quiet",
                "--scope", "generative")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_one_month_after_receipt() -> None:
    import datetime as dt

    from objection.deadline import answer_due

    assert answer_due(dt.date(2026, 11, 30)) == dt.date(2026, 12, 30)
    assert answer_due(dt.date(2026, 12, 15)) == dt.date(2027, 1, 15)
    assert answer_due(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert answer_due(dt.date(2026, 3, 31)) == dt.date(2026, 4, 30)
    assert answer_due(dt.date(2027, 1, 31)) == dt.date(2027, 3, 1)  # 28 February: a Sunday
    # Irish public holidays for EU and Swiss letters (St Brigid's Day), English ones for UK
    assert answer_due(dt.date(2026, 1, 2)) == dt.date(2026, 2, 3)
    assert answer_due(dt.date(2026, 3, 5), "uk_gdpr") == dt.date(2026, 4, 7)  # Easter


def test_profile_file_supplies_values_and_options_win(run: Callable[..., Result],
                                                      tmp_path: Path) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('name = "Erika Mustermann"\nemail = "erika@example.de"\ncountry = "DE"\n'
                       'address = ["Heidestraße 17", "51147 Köln"]\nground = ["job-seeker"]\n'
                       'date = "2026-11-23"\n', encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run("letter", "--no-input", "--profile", str(profile), "--place", "Köln",
                 "--country", "AT", "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "Erika Mustermann\nHeidestraße 17\n51147 Köln" in text
    assert "Köln, 23 November 2026" in text
    assert "Austrian Data Protection Authority" in " ".join(text.split())  # AT won over DE
    assert "I use LinkedIn to look for work." in text


@pytest.mark.parametrize(("content", "expected"), [
    ('nmae = "x"\n', "profile 'nmae': unknown key"),
    ('name = "x\n', "not a readable TOML file"),
])
def test_bad_profile_exits_2(run: Callable[..., Result], tmp_path: Path, content: str,
                             expected: str) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text(content, encoding="utf-8")
    result = run("letter", "--no-input", "--profile", str(profile), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert expected in _error_line(result)
    assert [p.name for p in tmp_path.iterdir()] == ["me.toml"]


def test_countries_and_grounds_lists(run: Callable[..., Result]) -> None:
    countries = run("countries").output.splitlines()
    assert len(countries) == 34
    assert any(line.startswith("GB  uk_gdpr  LinkedIn Corporation") for line in countries)
    assert any(line.startswith("CA  pipeda   LinkedIn Corporation") for line in countries)
    assert any(line.startswith("HK  pdpo     LinkedIn Corporation") for line in countries)
    assert any(line.startswith("CH  fadp") for line in countries)
    grounds = run("grounds").output
    assert "sensitive-data" in grounds and "journalist" in grounds


def test_help_does_not_import_weasyprint() -> None:
    code = ("import sys\nfrom objection.cli import main\nsys.argv=['objection','--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_pdf_metadata_and_embedded_fonts(run: Callable[..., Result], tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "x.pdf"
    assert run("letter", *ARGS, "-o", str(out)).exit_code == 0
    reader = PdfReader(out)
    info = reader.metadata
    assert info is not None
    assert info.title and info.title.startswith("Objection under Art. 21(1) GDPR")
    assert info.author == "Jane Doe"
    assert info.subject and "LinkedIn Ireland Unlimited Company" in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    fonts: list[tuple[str, bool]] = []  # (name, embedded) of every font of every page
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            # A composite (Type0) font keeps its descriptor in its descendant font.
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            files = set(descriptor.get_object()) if descriptor is not None else set()
            # A subset font is named "ABCDEF+Name".
            fonts.append((str(font["/BaseFont"]).split("+")[-1],
                          bool(files & {"/FontFile", "/FontFile2", "/FontFile3"})))
    names = {name for name, _ in fonts}
    # The body, and the bold sender name and subject, in the package's own fonts only.
    assert {"Letter-Serif", "Letter-Serif-Bold"} <= names, fonts
    assert names <= {"Letter-Serif", "Letter-Serif-Bold", "Letter-Serif-Italic"}, fonts
    assert all(embedded for _, embedded in fonts), f"a font is not embedded: {fonts}"
    assert 1 <= len(reader.pages) <= 3  # an objection with one ground: two pages and a bit
    assert "Jane Doe" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(("country", "salutation"), [
    ("AT", "Sehr geehrte Damen und Herren"), ("CH", "Sehr geehrte Damen und Herren"),
    ("BE", "Geachte"), ("PL", "Szanowni Państwo"), ("IE", "Dear Sir or Madam"),
])
def test_default_language_is_the_countrys_main_language(run: Callable[..., Result],
                                                        country: str, salutation: str) -> None:
    result = run("letter", "--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
                 "--country", country, "--ground", "old-content", "-o", "-")
    assert result.exit_code == 0, result.output
    assert salutation in result.stdout


def test_the_sender_is_told_once_what_objecting_to_ai_features_may_cost(
        run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    result = run("letter", *ARGS, "-o", str(out))
    assert result.exit_code == 0
    assert result.output.count("Hiring Assistant may see your profile less often") == 1
    assert "--scope generative --scope other-ai" in result.output
    narrowed = run("letter", *ARGS, "--scope", "generative", "-o", str(out), "--force")
    assert narrowed.exit_code == 0 and "Hiring Assistant" not in narrowed.output


def test_the_dialogue_lets_the_sender_leave_out_ai_features() -> None:
    from click.testing import CliRunner

    from objection.dialogue import Dialogue, ask_scope

    values: dict[str, object] = {"country": "gb", "lang": "en"}
    with CliRunner().isolation(input="n\n") as (_out, err, *_rest):
        ask_scope(told := Dialogue(values))
    assert told.told
    assert values["scope"] == ["generative", "other-ai", "microsoft"]
    assert b"Hiring Assistant" in err.getvalue()
    kept: dict[str, object] = {"country": "DE", "lang": "en"}
    with CliRunner().isolation(input="\n"):
        ask_scope(Dialogue(kept))
    assert "scope" not in kept


def test_what_is_said_after_writing_is_in_the_letters_language(run: Callable[..., Result],
                                                              tmp_path: Path) -> None:
    out = tmp_path / "brief.txt"
    result = run("letter", *BASE_ARGS, "--lang", "de", "--country", "DE", "--ground",
                 "old-content", "-o", str(out))
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"{out} geschrieben (OBJ-" in said
    assert "Hinweis: Ihr Widerspruch umfasst auch LinkedIns KI-Funktionen" in said
    assert "So gehen Sie weiter vor: 1. Online: Verwenden Sie LinkedIns" in said
