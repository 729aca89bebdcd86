"""After the letter (issue 14): the deadline, a reminder and a complaint, made from the
letter's PDF without retyping anything."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar

from objection.deadline import answer_due, deadline, received_on
from tests.certificates import ThrowawayPki
from tests.conftest import assert_contains, pdf_text

PERSON = ["--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
          "--ground", "old-content"]


def objection_pdf(run: Callable[..., Result], folder: Path, *extra: str,
                  date: str = "2026-10-01") -> Path:
    path = folder / f"objection-{len(list(folder.iterdir()))}.pdf"
    result = run("letter", *PERSON, "--date", date, *extra, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def follow(run: Callable[..., Result], command: str, letter: Path, *extra: str) -> str:
    """A follow-up's text (PDF text where -o names a PDF)."""
    out = letter.with_name(f"{command}-{letter.stem}-{len(extra)}.txt")
    via = [] if "--via" in extra else ["--via", "form"]
    result = run(command, str(letter), *via, *extra, "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    return out.read_text("utf-8")


# --- the calendar-month rule -------------------------------------------------------

@pytest.mark.parametrize(("received", "due"), [
    ("2026-01-31", "2026-03-02"),  # 28 Feb 2026 is a Saturday: Monday 2 March
    ("2028-01-31", "2028-02-29"),  # a leap year: the month's last day
    ("2027-01-29", "2027-03-01"),  # no 29 February in 2027: 28 Feb (Sunday) → 1 March
    ("2026-03-31", "2026-04-30"),
    ("2026-12-31", "2027-02-02"),  # 31 January 2027 a Sunday, 1 February St Brigid's Day
    ("2026-11-17", "2026-12-17"),
])
def test_one_month_is_the_same_date_next_month_or_its_last_day(received: str, due: str) -> None:
    assert answer_due(dt.date.fromisoformat(received)) == dt.date.fromisoformat(due)


def test_a_posted_letter_is_taken_as_received_some_working_days_later() -> None:
    friday = dt.date(2026, 12, 18)
    assert received_on(friday, "form") == friday
    # Within Ireland three working days: Mon 21, Tue 22, Wed 23 December
    assert received_on(friday, "post", route="domestic") == dt.date(2026, 12, 23)
    # Across Europe five; Irish holidays on Friday 25 and Saturday 26 December
    assert received_on(friday, "post") == dt.date(2026, 12, 28)
    # To California ten, counted by English bank holidays for a UK letter
    assert received_on(dt.date(2026, 11, 2), "post", "uk_gdpr", "transatlantic") == \
        dt.date(2026, 11, 16)


def test_a_known_receipt_wins_and_swiss_letters_have_thirty_days_for_access() -> None:
    dates = deadline("fadp", dt.date(2026, 10, 1), "post", received=dt.date(2026, 10, 9))
    assert (dates.received, dates.received_known) == (dt.date(2026, 10, 9), True)
    assert dates.due == dt.date(2026, 11, 9)
    assert dates.access_due == dt.date(2026, 11, 9)  # 8 November is a Sunday
    assert deadline("gdpr", dt.date(2026, 10, 1), "form").access_due is None


# --- objection deadline ------------------------------------------------------------

def test_deadline_prints_the_date_and_writes_a_calendar_entry(run: Callable[..., Result],
                                                              tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    ics = tmp_path / "due.ics"
    result = run("deadline", str(letter), "--via", "post", "--ics", str(ics))
    assert result.exit_code == 0, result.output
    assert "by 6 November 2026" in result.output  # posted Thu 1 Oct, received Tue 6 Oct
    assert "objection reminder" in result.output
    calendar = Calendar.from_ical(ics.read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2026, 11, 6)
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(days=-3)
    assert ics.stat().st_mode & 0o777 == 0o600
    again = run("deadline", str(letter), "--via", "post", "--ics", str(ics))
    assert again.exit_code == 2 and "exists" in again.output


def test_deadline_of_a_swiss_letter_names_the_thirty_days(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "CH", "--lang", "en")
    result = run("deadline", str(letter), "--received", "2026-10-02")
    assert result.exit_code == 0, result.output
    assert "2 November 2026" in result.output and "30 days" in result.output


# --- reminder and complaint --------------------------------------------------------

def test_a_reminder_names_the_objection_and_the_month_that_passed(
        run: Callable[..., Result], tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    text = follow(run, "reminder", letter, "--via", "post", "--sent", "2026-10-02")
    assert_contains(text, "LinkedIn Ireland Unlimited Company",
                    "Reminder: my objection dated 1 October 2026",
                    "On 2 October 2026 I sent you my objection", "by post",
                    "That time limit ended on 9 November 2026",  # received Wed 7 Oct
                    "Art. 12(3) GDPR", "Data Protection Commission",
                    "Copy of my objection dated 1 October 2026")


def test_a_reminder_too_early_is_refused_with_the_date_it_can_have(
        run: Callable[..., Result], tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE", date="2026-11-20")
    result = run("reminder", str(letter), "--via", "form", "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2
    assert "LinkedIn has until 2026-12-21" in result.output  # 20 Dec is a Sunday
    assert "dated from 2026-12-22" in result.output
    assert not (tmp_path / "r.txt").exists()


@pytest.mark.parametrize(("country", "extra", "authority", "law"), [
    ("IE", [], "Data Protection Commission", "Art. 77 of Regulation (EU) 2016/679"),
    ("DE", ["--region", "BY", "--lang", "en"], "Bayerisches Landesamt für Datenschutzaufsicht",
     "Art. 77"),
    ("GB", [], "Information Commission (ICO)", "s. 165"),
    ("CH", ["--lang", "en"], "Federal Data Protection and Information Commissioner",
     "Art. 49 para. 1"),
])
def test_a_complaint_goes_to_the_authority_of_the_country_under_its_law(
        run: Callable[..., Result], tmp_path: Path, country: str, extra: list[str],
        authority: str, law: str) -> None:
    letter = objection_pdf(run, tmp_path, "--country", country, *extra)
    text = follow(run, "complaint", letter, "--date", "2026-11-30")
    assert authority in text.split("Dear")[0]  # the addressee
    assert_contains(text, law, "On 1 October 2026 I sent LinkedIn my objection",
                    "I have received no answer from LinkedIn")
    assert "For the attention of the Data Protection Officer" not in text


def test_a_complaint_after_a_reminder_names_both(run: Callable[..., Result],
                                                 tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "FR", "--lang", "en")
    reminder = tmp_path / "reminder.pdf"
    made = run("reminder", str(letter), "--via", "form", "--date", "2026-11-10",
               "-o", str(reminder), "--quiet")
    assert made.exit_code == 0, made.output
    complaint = tmp_path / "c.pdf"
    made = run("complaint", str(reminder), "--date", "2026-11-30", "--via", "post",
               "-o", str(complaint), "--quiet")
    assert made.exit_code == 0, made.output
    text = pdf_text(complaint.read_bytes())
    assert_contains(text, "Commission nationale de l'informatique et des libertés",
                    "I sent LinkedIn a reminder", "by post", "Copy of my reminder dated "
                    "10 November 2026", "lead supervisory authority")


def test_a_complaint_from_a_signed_letter_attaches_the_answer_and_verifies(
        run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki,
        password_file: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE", "--sign-p12", str(pki.signer_p12),
                           "--p12-password-file", str(password_file))
    answer = tmp_path / "reply from linkedin.pdf"
    answer.write_bytes(letter.read_bytes())  # any PDF will do as LinkedIn's answer
    out = tmp_path / "complaint.pdf"
    result = run("complaint", str(letter), "--via", "form", "--answer", str(answer),
                 "--answer-date",
                 "2026-11-12", "--remarks", "It only pointed me to the setting.",
                 "--date", "2026-11-20", "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert_contains(text, "LinkedIn answered on 12 November 2026; its answer is enclosed.",
                    "It only pointed me to the setting.",
                    "LinkedIn's answer dated 12 November 2026 (linkedin-answer.pdf)")
    assert "reply from linkedin" not in text
    from pypdf import PdfReader

    assert set(PdfReader(out).attachments) == {"linkedin-answer.pdf", "objection-request.json"}
    checked = run("verify", str(out))
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(("content", "reason"), [
    (None, "not a PDF"),
    (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "request data"),
])
def test_a_letter_without_usable_request_data_is_refused(
        run: Callable[..., Result], tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content if content is not None else b"just some text")
    for command in ("reminder", "complaint", "deadline"):
        result = run(command, str(path), "--via", "form")
        assert result.exit_code == 2, (command, result.output)
        assert reason in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.pdf"]


def test_a_reminder_is_not_made_from_a_reminder(run: Callable[..., Result],
                                                tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    reminder = tmp_path / "r.pdf"
    made = run("reminder", str(letter), "--via", "form", "-o", str(reminder), "--quiet")
    assert made.exit_code == 0, made.output
    result = run("reminder", str(reminder), "--via", "form", "-o", str(tmp_path / "r2.pdf"))
    assert result.exit_code == 2 and "is a reminder; expected an objection" in result.output


@pytest.mark.parametrize(("country", "lang", "reminder_says", "complaint_says"), [
    ("DE", "de", ["Erinnerung: mein Widerspruch vom 1. Oktober 2026", "Art. 12 Abs. 3 DSGVO"],
     ["Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
      "Beschwerde nach Art. 77 DSGVO gegen LinkedIn", "Ich bitte Sie,"]),
    ("CH", "fr", ["Rappel : mon opposition du 1er octobre 2026",
                  "article 12, paragraphe 3, du RGPD"],
     ["Préposé fédéral à la protection des données et à la transparence (PFPDT)",
      "Dénonciation au sens de l'art. 49, al. 1, LPD contre LinkedIn"]),
    ("PL", "pl", ["Ponaglenie: mój sprzeciw z dnia 1 października 2026 r."],
     ["Skarga na LinkedIn na podstawie art. 77 RODO"]),
])
def test_follow_ups_are_in_the_letters_language_from_a_signed_letter(
        run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki, password_file: Path,
        country: str, lang: str, reminder_says: list[str], complaint_says: list[str]) -> None:
    extra = ["--region", "NW"] if country == "DE" else []
    letter = objection_pdf(run, tmp_path, "--country", country, "--lang", lang, *extra,
                           "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                           str(password_file))
    reminder = tmp_path / "reminder.pdf"
    made = run("reminder", str(letter), "--via", "form", "--date", "2026-11-20",
               "-o", str(reminder), "--quiet")
    assert made.exit_code == 0, made.output
    reminder_text = pdf_text(reminder.read_bytes())
    assert_contains(reminder_text, *reminder_says)
    assert "Dear Sir" not in reminder_text and "I therefore ask" not in reminder_text
    complaint = tmp_path / "complaint.txt"
    made = run("complaint", str(reminder), "--via", "form", "--date", "2026-12-15",
               "-o", str(complaint),
               "--quiet")
    assert made.exit_code == 0, made.output
    text = complaint.read_text("utf-8")
    assert_contains(text, *complaint_says)
    references = [line for line in reminder_text.split() if line.startswith(("OBJ-", "REM-"))]
    assert any(ref.rstrip(").,") in text for ref in references if ref.startswith("REM-"))


def test_the_channel_is_never_assumed(run: Callable[..., Result], tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    for command in ("reminder", "complaint"):
        result = run(command, str(letter), "-o", str(tmp_path / "x.txt"))
        assert result.exit_code == 2, result.output
        assert "--via form (LinkedIn's online form) or --via post" in result.output
    assert not (tmp_path / "x.txt").exists()
    # deadline takes the later date, by post, and says that it assumed it
    result = run("deadline", str(letter))
    assert result.exit_code == 0 and "assumed" in result.output


@pytest.mark.parametrize(("args", "reason"), [
    (["deadline", "--via", "post", "--sent", "9999-12-31"], "sent '9999-12-31': more than 31 days"),
    (["deadline", "--received", "2026-09-30"], "before the letter's date (2026-10-01)"),
    (["deadline", "--via", "form", "--sent", "2026-10-05", "--received", "2026-10-02"],
     "before the day it was sent"),
    (["deadline", "--via", "form", "--ics", "-"], "expected a file name for the calendar entry"),
    (["reminder", "--via", "form", "--date", "2026-09-01"], "before the letter it follows"),
    (["complaint", "--via", "form", "--region", "BY"], "applies only to residents of CA, DE"),
    (["complaint", "--via", "form", "--received", "2026-10-05", "--answer-date", "2026-10-03"],
     "before LinkedIn received the objection"),
])
def test_follow_ups_refuse_what_contradicts_the_letter(
        run: Callable[..., Result], tmp_path: Path, args: list[str], reason: str) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    command, *rest = args
    result = run(command, str(letter), *rest)
    assert result.exit_code == 2, result.output
    assert reason in result.output and len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [letter.name]


def test_a_complaint_keeps_the_land_the_letter_names_and_an_answer_follows_the_reminder(
        run: Callable[..., Result], tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "DE", "--region", "BY")
    result = run("complaint", str(letter), "--via", "form", "--region", "NW")
    assert result.exit_code == 2 and "the letter names the Land BY" in result.output
    reminder = tmp_path / "r.pdf"
    assert run("reminder", str(letter), "--via", "form", "-o", str(reminder),
               "--quiet").exit_code == 0
    result = run("complaint", str(reminder), "--via", "form", "--answer-date", "2026-11-02")
    assert result.exit_code == 2 and "before your reminder" in result.output


def test_a_letter_whose_page_was_changed_is_not_followed_up(run: Callable[..., Result],
                                                            tmp_path: Path) -> None:
    letter = objection_pdf(run, tmp_path, "--country", "IE")
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(letter.read_bytes() + b"% a line added after the letter\n")
    result = run("reminder", str(changed), "--via", "form", "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2, result.output
    assert "is not the letter objection made from its request data" in result.output
