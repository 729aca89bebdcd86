"""objection batch --follow-up: reminders and complaints for an earlier batch's letters, and
the tracking sheet an organisation keeps up to date by hand (issue 14)."""

import csv
import io
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from objection.cli import cli
from objection.follow_up import read_letter
from tests.conftest import pdf_text

STAFF = """name,email,country,ground,address
Jane Doe,jane@example.org,IE,old-content,12 Main Street|D02 X285 Dublin
Jürgen Müller,jm@example.org,DE,old-content,Hauptstraße 1|80331 München
Tom Smith,tom@example.org,GB,job-seeker,1 High Street|London SW1A 1AA
Anna Meier,anna@example.org,CH,old-content,Bahnhofstrasse 1|8001 Zürich
"""
LETTER_DATE = "2026-10-01"    # a month from it ends on 2 November 2026 (a Monday)
REMINDER_DATE = "2026-11-30"  # a reminder sets 14 days: until 14 December; to California
# (the UK letter's LinkedIn Corporation) a week after the post's ten working days: 21 December
COMPLAINT_DATE = "2026-12-22"
REMINDER_DUE = {2: "2026-12-14", 3: "2026-12-14", 4: "2026-12-21", 5: "2026-12-14"}
ROWS = {2: "000002-jane-doe", 3: "000003-jurgen-muller", 4: "000004-tom-smith",
        5: "000005-anna-meier"}


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch of four letters (IE, DE, GB, CH), PDF and text, made once for the module."""
    base = tmp_path_factory.mktemp("made")
    (base / "staff.csv").write_text(STAFF, "utf-8")
    result = _invoke("batch", str(base / "staff.csv"), "-o", str(base / "letters"), "--date",
                     LETTER_DATE, "--format", "pdf,txt", "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    return base / "letters"


@pytest.fixture
def letters(made: Path, tmp_path: Path) -> Path:
    """A copy of the batch's folder for one test to change."""
    return Path(shutil.copytree(made, tmp_path / "letters"))


def _follow_up(folder: Path, kind: str, date: str, *extra: str) -> Result:
    via = () if "--via" in extra else ("--via", "form")
    return _invoke("batch", "--follow-up", kind, str(folder), "--date", date, "--jobs", "2",
                   *via, *extra)


def _tracking(folder: Path) -> dict[int, dict[str, str]]:
    with (folder / "tracking.csv").open(newline="", encoding="utf-8-sig") as fh:
        return {int(row["row"]): row for row in csv.DictReader(fh)}


def _edit_tracking(folder: Path, edit: Callable[[dict[int, dict[str, str]]], None],
                   extra: tuple[str, ...] = ()) -> None:
    """Change the sheet as a spreadsheet program in Europe saves it: semicolons."""
    rows = _tracking(folder)
    edit(rows)
    buffer = io.StringIO()
    header = [*next(iter(rows.values())).keys(), *extra]
    writer = csv.DictWriter(buffer, header, delimiter=";", restval="")
    writer.writeheader()
    writer.writerows(rows.values())
    (folder / "tracking.csv").write_text(buffer.getvalue(), "utf-8-sig")


def _follow_ups(folder: Path, kind: str, suffix: str = "pdf") -> dict[int, Path]:
    """The follow-ups of each row, by row."""
    found = {}
    for row, stem in ROWS.items():
        paths = sorted((folder / f"{kind}s").glob(f"{stem}-*.{suffix}"))
        assert len(paths) <= 1, paths
        if paths:
            found[row] = paths[0]
    return found


def _manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _references(folder: Path) -> dict[int, str]:
    return {int(entry["row"]): entry["reference"] for entry in _manifest(folder)}


def test_the_batch_writes_a_tracking_sheet(made: Path) -> None:
    sheet = _tracking(made)
    assert sorted(sheet) == [2, 3, 4, 5]
    assert sheet[3]["name"] == "Jürgen Müller" and sheet[3]["email"] == "jm@example.org"
    assert sheet[2]["letter_file"] == "000002-jane-doe.pdf"
    assert {row["reference"] for row in sheet.values()} == set(_references(made).values())
    # Sent on the letters' date; how is not known yet, so no date is due.
    assert {(row["sent"], row["via"], row["due"]) for row in sheet.values()} == \
        {(LETTER_DATE, "", "")}
    assert all(row["status"] in ("sent", "reminder due") for row in sheet.values())
    assert stat.S_IMODE((made / "tracking.csv").stat().st_mode) == 0o600


def test_reminders_name_their_letters_and_are_not_made_twice(letters: Path) -> None:
    result = _follow_up(letters, "reminder", REMINDER_DATE, "--format", "pdf,txt")
    assert result.exit_code == 0, result.output
    assert "4 reminders in" in result.output and "(4 written, 0 unchanged)" in result.output
    references = _references(letters)
    reminders = _follow_ups(letters, "reminder")
    assert sorted(reminders) == [2, 3, 4, 5]
    for row, path in reminders.items():
        reminder = read_letter(path, ("reminder",))
        assert path.name == f"{ROWS[row]}-{reminder.reference}.pdf"
        assert reminder.request.earlier[0].reference == references[row]
        assert references[row] in pdf_text(path.read_bytes())
        text = path.with_suffix(".txt").read_text("utf-8")
        assert references[row] in text
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((letters / "reminders").stat().st_mode) == 0o700
    sheet = _tracking(letters)
    for row, path in reminders.items():
        assert sheet[row]["status"] == "reminded"
        assert path.name.endswith(f"-{sheet[row]['reminder_reference']}.pdf")
        assert sheet[row]["reminder_due"] == REMINDER_DUE[row]
    before = {path: path.read_bytes() for path in (letters / "reminders").iterdir()}

    # The same command again (another day's, without --date): nothing is made again.
    again = _invoke("batch", "--follow-up", "reminder", str(letters), "--format", "pdf,txt")
    assert again.exit_code == 0, again.output
    assert "(0 written, 4 unchanged)" in again.output
    assert {path: path.read_bytes() for path in (letters / "reminders").iterdir()} == before


def test_what_the_tracking_sheet_says_wins(letters: Path) -> None:
    """Answered: no reminder. Received later: not yet due. A sent date typed in: the
    reminder says it. Columns of the organisation's own are kept, formula-safe."""
    def edit(rows: dict[int, dict[str, str]]) -> None:
        rows[3]["answered"] = "2026-11-20"
        rows[4]["received"] = "5.11.2026"  # as a spreadsheet program may write it
        rows[5]["sent"] = "2026-10-02"
        rows[5]["notes"] = "=called twice"

    _edit_tracking(letters, edit, extra=("notes",))
    result = _follow_up(letters, "reminder", REMINDER_DATE, "--sent", LETTER_DATE)
    assert result.exit_code == 0, result.output
    assert "1 row is not yet due" in result.output
    assert "row 4: LinkedIn has until 2026-12-07" in result.output
    assert "1 row is marked as answered" in result.output
    reminders = _follow_ups(letters, "reminder")
    assert sorted(reminders) == [2, 5]
    earlier = read_letter(reminders[5], ("reminder",)).request.earlier[0]
    assert earlier.sent.isoformat() == "2026-10-02"  # the sheet's, not --sent
    manifest = {int(entry["row"]): entry for entry in _manifest(letters / "reminders")}
    assert manifest[3]["status"] == "answered" and manifest[4]["status"] == "not-due"
    assert manifest[4]["answer_by"] == "2026-12-07"
    sheet = _tracking(letters)
    assert [sheet[row]["status"] for row in (2, 3, 4, 5)] == \
        ["reminded", "answered", "sent", "reminded"]
    assert sheet[3]["answered"] == "2026-11-20" and sheet[3]["reminder_reference"] == ""
    assert sheet[4]["received"] == "5.11.2026" and sheet[4]["due"] == "2026-12-07"
    assert sheet[5]["sent"] == "2026-10-02" and sheet[5]["due"] == "2026-11-02"
    raw = (letters / "tracking.csv").read_text("utf-8-sig")
    assert "'=called twice" in raw and "''=" not in raw
    assert sheet[5]["notes"] == "'=called twice"

    # --via post replaces the way objection filled in, not the values typed in.
    again = _follow_up(letters, "reminder", REMINDER_DATE, "--via", "post")
    assert again.exit_code == 0, again.output
    assert "Removed 2 reminders replaced by new ones" in again.output
    remade = _follow_ups(letters, "reminder")  # one per row: the old ones are gone
    assert sorted(remade) == [2, 5] and remade[2] != reminders[2]
    assert read_letter(remade[2], ("reminder",)).request.earlier[0].via == "post"
    sheet = _tracking(letters)
    assert sheet[2]["via"] == "post" and sheet[2]["due"] > "2026-11-02"
    assert sheet[2]["reminder_reference"] in remade[2].name
    assert sheet[5]["sent"] == "2026-10-02" and sheet[4]["received"] == "5.11.2026"
    assert sheet[3]["answered"] == "2026-11-20" and sheet[5]["notes"] == "'=called twice"


def test_complaints_are_made_from_the_reminders(letters: Path) -> None:
    assert _follow_up(letters, "reminder", REMINDER_DATE).exit_code == 0
    early = _follow_up(letters, "complaint", "2026-12-10")
    assert early.exit_code == 0, early.output
    assert "4 rows are not yet due" in early.output
    assert "LinkedIn has until 2026-12-14" in early.output
    assert _follow_ups(letters, "complaint") == {}

    result = _follow_up(letters, "complaint", COMPLAINT_DATE)
    assert result.exit_code == 0, result.output
    reminders = _follow_ups(letters, "reminder")
    complaints = _follow_ups(letters, "complaint")
    references = _references(letters)
    assert sorted(complaints) == [2, 3, 4, 5]
    sheet = _tracking(letters)
    for row, path in complaints.items():
        complaint = read_letter(path, ("complaint",))
        reminder = read_letter(reminders[row], ("reminder",))
        assert [letter.reference for letter in complaint.request.earlier] == \
            [references[row], reminder.reference]
        text = pdf_text(path.read_bytes())
        assert reminder.reference in text and references[row] in text
        assert sheet[row]["status"] == "complained"
        assert sheet[row]["complaint_reference"] == complaint.reference
        assert sheet[row]["reminder_reference"] == reminder.reference


def test_a_damaged_letter_costs_only_its_row(letters: Path) -> None:
    damaged = letters / f"{ROWS[3]}.pdf"
    damaged.write_bytes(damaged.read_bytes()[:5000])
    (letters / f"{ROWS[4]}.pdf").unlink()
    # Another person's letter in its place: read in full (it is not the file the batch
    # listed), and refused for its reference.
    shutil.copy(letters / f"{ROWS[2]}.pdf", letters / f"{ROWS[5]}.pdf")
    result = _follow_up(letters, "reminder", REMINDER_DATE)
    assert result.exit_code == 3, result.output
    assert "3 rows could not be used" in result.output
    assert f"row 3: letter '{ROWS[3]}.pdf': is damaged" in result.output
    assert f"row 4: letter '{ROWS[4]}.pdf': no such file" in result.output
    references = _references(letters)
    assert (f"row 5: letter '{ROWS[5]}.pdf': is the letter {references[2]}, not "
            f"{references[5]} as manifest.csv lists") in result.output
    assert sorted(_follow_ups(letters, "reminder")) == [2]
    manifest = {int(entry["row"]): entry for entry in _manifest(letters / "reminders")}
    assert manifest[3]["status"] == "rejected" and "damaged" in manifest[3]["error"]
    sheet = _tracking(letters)
    assert sheet[3]["status"] == "reminder due" and sheet[3]["name"] == "Jürgen Müller"
    assert sheet[2]["status"] == "reminded"


def test_a_text_only_batch_or_another_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "staff.csv").write_text(STAFF, "utf-8")
    out = tmp_path / "letters"
    made = _invoke("batch", str(tmp_path / "staff.csv"), "-o", str(out), "--date", LETTER_DATE,
                   "--format", "txt", "--quiet")
    assert made.exit_code == 0, made.output
    for args, expected in (
            ([str(out)], "text only"),
            ([str(tmp_path)], "holds no manifest.csv"),
            ([str(tmp_path / "staff.csv")], "is not a folder"),
            ([str(out), "--zip"], "--zip is not used with --follow-up")):
        result = _invoke("batch", "--follow-up", "reminder", *args)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and expected in result.output
    assert not (out / "reminders").exists()
    refused = _invoke("batch", str(tmp_path / "staff.csv"), "-o", str(out), "--via", "post")
    assert refused.exit_code == 2 and "only with --follow-up" in refused.output


def test_a_follow_up_never_assumes_how_a_letter_was_sent(letters: Path) -> None:
    """Without --via and without a via column in the sheet, no reminder says a channel."""
    result = _invoke("batch", "--follow-up", "reminder", str(letters), "--date", REMINDER_DATE)
    assert result.exit_code == 3, result.output
    assert "say how this row's letter was sent" in result.output
    assert _follow_ups(letters, "reminder") == {}

    def edit(rows: dict[int, dict[str, str]]) -> None:
        rows[2]["via"] = "post"

    _edit_tracking(letters, edit)
    result = _invoke("batch", "--follow-up", "reminder", str(letters), "--date", REMINDER_DATE)
    assert sorted(_follow_ups(letters, "reminder")) == [2]
    assert read_letter(_follow_ups(letters, "reminder")[2], ("reminder",)) \
        .request.earlier[0].via == "post"
