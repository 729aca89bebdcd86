"""The commands after the letter (issue 14): `objection deadline`, `reminder` and `complaint`.
Each starts from a letter's PDF, whose request data holds everything typed for it; what is
new (when and how it was sent, LinkedIn's answer) comes from the options. objection/cli.py
adds them to the command group.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from objection.deadline import VIA
from objection.errors import InputError
from objection.usage import ObjectionCommand

LETTER_HELP = "A PDF letter objection wrote (its request data is read; nothing is retyped)."


def _date_option(name: str, help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(name, metavar="YYYY-MM-DD", help=help_text)


def _sending_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """When and how LETTER was sent, and when it was received if that is known."""
    for option in reversed((
        _date_option("--sent", "The day LETTER was sent (default: its date)."),
        click.option("--via", type=click.Choice(VIA),
                     help="How LETTER was sent (required for a reminder or complaint; for "
                     "deadline, post when not given): LinkedIn's online form (received the "
                     "same day) or post (taken as received, at the latest, 3 working days after "
                     "posting within a country, 5 across Europe, 10 to California)."),
        _date_option("--received", "The day LinkedIn received LETTER, if you know it (the "
                     "proof of delivery); it wins over --sent and --via."),
    )):
        function = option(function)
    return function


def _output_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Where the follow-up goes and how it is signed: as for `objection letter`."""
    for option in reversed((
        _date_option("--date", "This letter's date (default: today)."),
        click.option("-o", "--output", help="Output file (.pdf or .txt); '-' for standard "
                     "output. Default: <kind>-<reference>.pdf and .txt here."),
        click.option("--format", "fmt", type=click.Choice(("pdf", "txt")),
                     help="Output format (default: from the output's suffix, else both)."),
        click.option("--sign-p12", help="Sign the PDF (PAdES) with the certificate and key in "
                     "this PKCS#12 file."),
        click.option("--p12-password-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="File holding the PKCS#12 password (else $OBJECTION_P12_PASSWORD, "
                     "else a hidden prompt)."),
        click.option("--tsa", help="RFC 3161 timestamp server URL, for a PAdES B-T "
                     "signature."),
        click.option("--force", is_flag=True, help="Replace output files that exist."),
        click.option("--quiet", is_flag=True, help="Say nothing on success."),
    )):
        function = option(function)
    return function


def _date(raw: str | None, field: str) -> dt.date | None:
    from objection.request import parse_date

    return parse_date(raw, field) if raw else None


def _letter_date(raw: str | None) -> dt.date:
    from objection.request import parse_date

    return parse_date(raw)


def _require_via(via: str | None, letter: Path) -> None:
    """The letter says how the earlier one was sent: never a channel the sender did not name."""
    if via is None:
        raise InputError("via", "", f"say how {letter.name} was sent: --via form (LinkedIn's "
                         "online form) or --via post")


def _write_follow_up(kind_key: str, letter_path: Path, accepted: tuple[str, ...],
                     options: dict[str, Any], **extra: Any) -> None:
    """Read LETTER, make the follow-up, write it and say what to do next."""
    import sys

    from objection.follow_up import Sending, follow_up, read_letter
    from objection.kinds import KINDS
    from objection.letter_output import Signing, check_output, check_signing_options, write_letter
    from objection.next_steps import follow_up_steps

    check_signing_options(options["sign_p12"], options["tsa"])
    _require_via(options["via"], letter_path)
    check_output(options["output"] or "", options["fmt"] or "", options["force"])
    original = read_letter(letter_path, accepted)
    sending = Sending(_date(options["sent"], "sent"), options["via"],
                      _date(options["received"], "received"))
    letter = follow_up(original, KINDS[kind_key], sending, date=_letter_date(options["date"]),
                       **extra)
    written = write_letter(letter, output=options["output"] or "", fmt=options["fmt"] or "",
                           force=options["force"], quiet=options["quiet"],
                           signing=Signing(options["sign_p12"], options["p12_password_file"],
                                           options["tsa"], sys.stdin.isatty()))
    if not options["quiet"]:
        click.echo("\n" + follow_up_steps(letter, written.get("pdf"), written.get("txt")),
                   err=True)


@click.command(cls=ObjectionCommand)
@click.argument("letter", type=click.Path(dir_okay=False, path_type=Path))
@_sending_options
@click.option("--extended", is_flag=True, help="LinkedIn said it extends its time limit but "
              "gave no reasons that show why: the reminder says the month has still passed.")
@_output_options
def reminder(letter: Path, extended: bool, **options: Any) -> None:
    """Write a reminder to LinkedIn when it has not answered your objection in time.

    LETTER is the objection's PDF. The reminder names its reference and date, says that the
    month (Canada: 30 days; Hong Kong: 40 days) for LinkedIn's answer has passed, asks again
    for what is owed within 14 days (at least a week after a posted reminder arrives) and
    says that a complaint to the supervisory authority follows. It is in the letter's
    language, with the same signature image. It says that you have received no answer, so
    first check your e-mail (LinkedIn Help Centre case messages too) and your LinkedIn
    inbox. If LinkedIn asked you to confirm your identity, its time limit runs from your
    reply (Art. 12(6) GDPR; Art. 12A UK GDPR): wait for it.

    \b
    Examples:
      objection reminder objection-OBJ-ABCD-EFGH.pdf --via form
      objection reminder letter.pdf --via post --sent 2026-11-02 --received 2026-11-05
    """
    _write_follow_up("reminder", letter, ("objection",), options, extended=extended)


@click.command(cls=ObjectionCommand)
@click.argument("letter", type=click.Path(dir_okay=False, path_type=Path))
@_sending_options
@click.option("--extended", is_flag=True, help="LinkedIn said it extends its time limit but "
              "gave no reasons that show why.")
@click.option("--answer", "answer_file", type=click.Path(dir_okay=False, path_type=Path),
              help="LinkedIn's answer (PDF, PNG, JPEG, .txt or .eml, at most 10 MB): attached "
              "to the PDF and listed as an enclosure.")
@_date_option("--answer-date", "The date of LinkedIn's answer. Without --answer and "
              "--answer-date the complaint says that LinkedIn has not answered.")
@click.option("--proof", "proof_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Proof that LETTER was sent or received (a posting or delivery receipt, "
              "the form's confirmation; PDF, PNG, JPEG, .txt or .eml): attached and listed as "
              "an enclosure.")
@click.option("--region", help="German residents whose letter named no Land: your Land as a "
              "code (BW, BY, BE ...), so that the complaint goes to its authority.")
@click.option("--remarks", help="Your own words on LinkedIn's answer or the matter (up to "
              "2,000 characters; an empty line between paragraphs).")
@_output_options
def complaint(letter: Path, extended: bool, answer_file: Path | None, answer_date: str | None,
              proof_file: Path | None, region: str | None, remarks: str | None,
              **options: Any) -> None:
    """Write the complaint to the supervisory authority of your country.

    LETTER is the objection's PDF, or the reminder's if you sent one (then --sent, --via and
    --received describe the reminder). The complaint goes to the authority named for your
    country or German Land (Art. 77 GDPR; the ICO for the UK; for
    Switzerland a report to the FDPIC, Art. 49 FADP). It states the facts (the objection,
    when and how it was sent, the reminder, LinkedIn's answer or silence), what you ask the
    authority to do, and lists the enclosures.

    \b
    Examples:
      objection complaint objection-OBJ-ABCD-EFGH.pdf --via post
      objection complaint reminder-REM-ABCD-EFGH.pdf --via form \\
        --answer linkedin-answer.pdf --answer-date 2027-01-04
    """
    _write_follow_up("complaint", letter, ("objection", "reminder"), options,
                     extended=extended, answer_file=answer_file,
                     answer_date=_date(answer_date, "answer_date"), remarks=remarks or "",
                     region=region or "", proof_file=proof_file)


@click.command(cls=ObjectionCommand)
@click.argument("letter", type=click.Path(dir_okay=False, path_type=Path))
@_sending_options
@click.option("--ics", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the date as a calendar entry (iCalendar), with an alert three "
              "days before.")
@click.option("--force", is_flag=True, help="Replace the calendar file if it exists.")
def deadline(letter: Path, sent: str | None, via: str | None, received: str | None,
             ics: Path | None, force: bool) -> None:
    """Say by when LinkedIn must answer a letter, and write it to your calendar.

    LETTER is the objection's PDF (one month from receipt, as the law of your country
    counts it; Swiss letters also the 30 days for access) or a reminder's (the time
    limit it set).

    \b
    Examples:
      objection deadline objection-OBJ-ABCD-EFGH.pdf --ics deadline.ics
      objection deadline letter.pdf --via post --sent 2026-11-02
    """
    from objection.deadline_report import deadline_report
    from objection.follow_up import Sending, check_sending, read_letter
    from objection.letter_output import write_together
    from objection.output import check_writable

    if ics is not None:
        if str(ics) in ("", "-", "."):
            raise InputError("ics", str(ics), "expected a file name for the calendar entry, "
                             "e.g. deadline.ics")
        check_writable(ics, replace=force)
    original = read_letter(letter, ("objection", "reminder"))
    # Without --via, post: the later date, said to be assumed (a date never too early)
    sending = Sending(_date(sent, "sent"), via or "post", _date(received, "received"))
    check_sending(original, sending)
    report = deadline_report(original, sending.sent or original.request.date, sending.via,
                             sending.received, letter)
    if ics is not None:  # before anything is said: the calendar entry is written or none is
        write_together([(ics, report.calendar)])
    click.echo(report.text)
