"""Getting each letter of a batch to its person (issue 15): an e-mail draft addressed to them
with a note on how to send it and the letter attached; a print file for both sides of the
paper, with a cover sheet per person; file names that keep every letter of a name."""

import csv
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email import policy
from email.message import EmailMessage
from email.parser import Parser
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader, PdfWriter

from objection.batch import OK, Job, file_stem, produce
from tests.conftest import pdf_text

HEADER = "name,email,country,lang,ground,address\n"
DATE = "2026-11-23"


def _sheet(tmp_path: Path, *rows: str) -> Path:
    source = tmp_path / "staff.csv"
    source.write_text(HEADER + "".join(f"{row}\n" for row in rows), "utf-8")
    return source


def _draft(raw: bytes) -> EmailMessage:
    """A draft read back as a mail program does: its headers may be UTF-8 (RFC 6532), which
    Python's parser of bytes leaves undecoded, so the text is parsed."""
    message = Parser(policy=policy.default).parsestr(raw.decode("utf-8"))
    assert isinstance(message, EmailMessage)
    return message


def _manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _job(email: str, name: str = "Jörg Ä") -> Job:
    return Job(2, {"name": name, "email": email, "country": "DE", "lang": "de",
                   "ground": ["old-content"]}, ("pdf", "txt"), True, DATE, ".")


# ---------------------------------------------------------------------------------------
# The e-mail draft


def test_the_draft_goes_to_the_employee_with_the_letter_and_how_to_send_it(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane.doe@example.org,IE,en,old-content,")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "pdf,txt", "--eml",
                 "--eml-from", "works.council@example.org", "--date", DATE, "--quiet")
    assert result.exit_code == 0, result.output
    message = _draft((out / "000002-jane-doe.eml").read_bytes())
    assert message["To"].addresses[0].addr_spec == "jane.doe@example.org"
    assert message["To"].addresses[0].display_name == "Jane Doe"
    assert message["From"].addresses[0].addr_spec == "works.council@example.org"
    assert message["Subject"] == "Your objection to LinkedIn's use of your data for AI"
    assert message["X-Unsent"] == "1"  # opens as a draft to send
    body = message.get_body(("plain",))
    assert body is not None
    note = " ".join(body.get_content().split())
    assert "Your organisation has prepared this letter for you." in note
    assert "Data Processing Objection form" in note          # how to send it online ...
    assert "print 000002-jane-doe.pdf, sign it" in note      # ... or by post
    assert "not on the date on the letter" in note           # the month counts from sending
    assert "the answer is due by 23 December 2026" in note
    assert "supervisory authority" in note                   # where to turn then
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert sorted(attachments) == ["000002-jane-doe.pdf", "000002-jane-doe.txt"]
    assert attachments["000002-jane-doe.pdf"].get_content() == \
        (out / "000002-jane-doe.pdf").read_bytes()
    assert attachments["000002-jane-doe.txt"].get_content().replace("\r\n", "\n") == \
        (out / "000002-jane-doe.txt").read_text("utf-8")


def test_without_a_sender_the_draft_has_no_from() -> None:
    outcome = produce(_job("jane@example.org", "Jane Doe"))
    assert outcome.status == OK, outcome.reason
    message = _draft(outcome.files["eml"])
    assert message["From"] is None and message["To"] is not None


@pytest.mark.parametrize(("email", "shown"), [
    ("jörg@example.org", "jörg@example.org"),            # RFC 6532: UTF-8 in the header
    ("jörg@bücher.de", "jörg@xn--bcher-kva.de"),         # and the domain in IDNA
    ("ann@bücher.de", "ann@xn--bcher-kva.de")])
def test_an_international_address_is_written(email: str, shown: str) -> None:
    outcome = produce(_job(email))
    assert outcome.status == OK, outcome.reason
    raw = outcome.files["eml"]
    message = _draft(raw)
    assert message["To"].addresses[0].addr_spec == shown
    assert message["To"].addresses[0].display_name == "Jörg Ä"
    to_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"To:"))
    assert b"=?" not in to_line.split(b"<", 1)[1]  # no encoded word inside the address


def test_a_non_ascii_name_with_an_ascii_address_is_an_encoded_word() -> None:
    raw = produce(_job("joerg@example.org")).files["eml"]
    assert b"To: =?utf-8?" in raw  # RFC 2047: the address itself stays as it is
    message = _draft(raw)
    assert str(message["To"]) == "Jörg Ä <joerg@example.org>"


def test_a_failed_draft_keeps_the_letter_and_the_manifest_says_why(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from objection import batch_run, email_draft

    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise email_draft.DraftError("its address cannot be written in an e-mail header")

    monkeypatch.setattr(email_draft, "email_draft", refuse)
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,en,old-content,")
    out = tmp_path / "out"
    warnings: list[str] = []
    with ThreadPoolExecutor(1) as executor:  # in this process: the refusal above applies
        summary = batch_run.run_batch(batch_run.BatchOptions(
            source, out, formats=("pdf", "txt"), eml=True, date=DATE), warnings.append,
            executor=executor)
    assert summary.written == 1
    assert sorted(path.name for path in out.glob("000002-*")) == \
        ["000002-jane-doe.pdf", "000002-jane-doe.txt"]
    [person] = _manifest(out)
    assert any("no e-mail draft: its address cannot be written" in cell
               and "the letter was made" in cell for cell in person.values()), person
    assert warnings == ["row 2: no e-mail draft: its address cannot be written in an e-mail "
                        "header; the letter was made"]


def test_an_unexpected_failure_of_the_draft_keeps_the_letter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from objection import email_draft

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(email_draft, "email_draft", broken)
    outcome = produce(_job("jane@example.org", "Jane Doe"))
    assert outcome.status == OK
    assert sorted(outcome.files) == ["pdf", "txt"]
    assert outcome.reason == ("no e-mail draft (unexpected failure, RuntimeError); the "
                              "letter was made")


@pytest.mark.parametrize(("args", "expected"), [
    (["--eml", "--eml-from", "not an address"],
     "--eml-from 'not an address': not a valid e-mail address; expected e.g. "
     "works.council@example.org"),
    (["--eml-from", "wc@example.org"], "option --eml-from is used only with --eml")])
def test_a_bad_sender_is_refused_in_one_line(run: Callable[..., Result], tmp_path: Path,
                                             args: list[str], expected: str) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,en,old-content,")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------
# print.pdf and the cover sheets


def _pdf(path: Path, widths: list[int]) -> str:
    """A PDF whose pages have these widths (the print file's order is read from them)."""
    writer = PdfWriter()
    for width in widths:
        writer.add_blank_page(width, 500)
    with path.open("wb") as fh:
        writer.write(fh)
    return path.name


def test_print_file_starts_every_cover_and_letter_on_a_right_hand_page(tmp_path: Path) -> None:
    from objection.batch_run import _print_files

    names = [_pdf(tmp_path / "000002-a.pdf", [100]),                   # one page
             _pdf(tmp_path / "000003-b.pdf", [200, 200]),              # two pages
             _pdf(tmp_path / "000004-c.pdf", [400, 400, 400]),         # three pages
             _pdf(tmp_path / "000004-c_cover.pdf", [300])]             # its cover sheet
    assert _print_files(tmp_path, names) == ["print.pdf"]
    widths = [int(page.mediabox.width) for page in PdfReader(tmp_path / "print.pdf").pages]
    # a blank page (the size of the one before it) after each odd count; the cover first
    assert widths == [100, 100, 200, 200, 300, 300, 400, 400, 400, 400]


def test_cover_sheets_beside_the_letters_and_in_the_print_file(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,en,old-content,1 Main Street|Dublin",
                    "Jürgen Straße,jurgen@example.de,DE,de,old-content,")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--cover", "--print-file", "--date",
                 DATE, "--quiet")
    assert result.exit_code == 0, result.output
    covers = sorted(out.glob("*_cover.pdf"))
    assert [path.name for path in covers] == ["000002-jane-doe_cover.pdf",
                                              "000003-jurgen-strasse_cover.pdf"]
    english = pdf_text(covers[0].read_bytes())
    assert "Jane Doe" in english and "1 Main Street" in english
    assert "Your letter, 000002-jane-doe.pdf, follows this sheet." in " ".join(english.split())
    german = pdf_text(covers[1].read_bytes())
    assert "Jürgen Straße" in german and "So gehen Sie weiter vor:" in german  # its language
    assert all(len(PdfReader(path).pages) == 1 for path in covers)
    # print.pdf: each person's cover, then their letter, each on a right-hand page
    pages = PdfReader(out / "print.pdf").pages
    expected = []
    for stem in ("000002-jane-doe", "000003-jurgen-strasse"):
        for document in (out / f"{stem}_cover.pdf", out / f"{stem}.pdf"):
            count = len(PdfReader(document).pages)
            expected += [document.name] * count + ["blank"] * (count % 2)
    assert len(pages) == len(expected)
    for page, source_name in zip(pages, expected, strict=True):
        text = page.extract_text() or ""
        if source_name == "blank":
            assert not text.strip()
        elif source_name.endswith("_cover.pdf"):
            assert "What to do next:" in text or "So gehen Sie weiter vor:" in text
    # the tracking sheet names the letter, not its cover sheet
    with (out / "tracking.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [row["letter_file"] for row in csv.DictReader(fh)] == \
            ["000002-jane-doe.pdf", "000003-jurgen-strasse.pdf"]
    # a later run that does not ask for print.pdf removes it: it would print a stale letter
    source.write_text(source.read_text("utf-8").splitlines()[0] + "\n"
                      + source.read_text("utf-8").splitlines()[1] + "\n", "utf-8")
    result = run("batch", str(source), "-o", str(out), "--cover", "--date", DATE)
    assert result.exit_code == 0, result.output
    assert not (out / "print.pdf").exists()
    assert "removed print.pdf, made by an earlier run" in result.output


def test_cover_sheets_asked_for_later_are_added(run: Callable[..., Result],
                                                tmp_path: Path) -> None:
    source = _sheet(tmp_path, "Jane Doe,jane@example.org,IE,en,old-content,")
    out = tmp_path / "out"
    common = ["batch", str(source), "-o", str(out), "--format", "txt", "--date", DATE,
              "--quiet"]
    assert run(*common).exit_code == 0
    assert not list(out.glob("*_cover.pdf"))
    assert run(*common, "--cover").exit_code == 0
    assert [path.name for path in out.glob("*_cover.pdf")] == ["000002-jane-doe_cover.pdf"]
    assert run(*common).exit_code == 0  # and removed when no longer asked for
    assert not list(out.glob("*_cover.pdf")) and (out / "000002-jane-doe.txt").is_file()


# ---------------------------------------------------------------------------------------
# File names


@pytest.mark.parametrize(("name", "stem"), [
    ("Jürgen Straße", "000007-jurgen-strasse"),
    ("Søren Kierkegaard", "000007-soren-kierkegaard"),
    ("Łukasz Żółć", "000007-lukasz-zolc"),
    ("Élodie Lefèvre", "000007-elodie-lefevre"),
    ("Дмитрий Иванов", "000007-dmitriy-ivanov"),
    ("Νίκος Δήμας", "000007-nikos-dimas"),
    ("Seán Ó Murchú", "000007-sean-o-murchu"),
    ("../../etc/passwd", "000007-etc-passwd"),
    ("***", "000007-letter"),
])
def test_file_names_are_transliterated(name: str, stem: str) -> None:
    assert file_stem(7, name) == stem


def test_file_names_stay_bounded_unique_and_keyed() -> None:
    long = file_stem(3, "Ævar Þór " * 20)
    assert long.startswith("000003-aevar-thor-") and len(long) <= 47
    assert file_stem(3, "Anna") != file_stem(4, "Anna")
    assert file_stem(3, "Ørsted", key="e-1042") == "e-1042-orsted"
    assert not any(ch in file_stem(3, "A/B\\C:D") for ch in "/\\:")


def test_every_file_of_a_batch_has_a_transliterated_name(run: Callable[..., Result],
                                                         tmp_path: Path) -> None:
    source = _sheet(tmp_path, "Дмитрий Иванов,dmitriy@example.org,IE,en,old-content,")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--date", DATE,
                 "--quiet")
    assert result.exit_code == 0, result.output
    assert (out / "000002-dmitriy-ivanov.txt").is_file()
    assert [person["txt"] for person in _manifest(out)] == ["000002-dmitriy-ivanov.txt"]
