"""Follow-up letters from the letter they follow (issue 14): the objection (or the reminder)
is read back from the request data its PDF carries, so that nothing is typed again; what
is new (when and how it was sent, LinkedIn's answer) comes from the command's options.
"""

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from objection.errors import InputError
from objection.jurisdictions import regions
from objection.kinds import due_date, route
from objection.model import Kind, Letter
from objection.reading import read_user_file


@dataclasses.dataclass(frozen=True)
class Sending:
    """How the letter a follow-up is made from was sent (options --sent, --via, --received)."""

    sent: dt.date | None = None  # default: the letter's own date
    via: str = "form"
    received: dt.date | None = None


def read_letter(path: Path, accepted: tuple[str, ...], check_page: bool = True) -> Letter:
    """The letter at `path` (a PDF objection wrote), made again from its request data; it must
    be of one of the `accepted` kinds, and (`check_page`) not a file `objection verify` finds
    INVALID: a follow-up repeats what the letter said. InputError (exit 2) when it cannot
    be used."""
    from objection.kinds import BY_REQUEST_FORMAT
    from objection.request_data import INPUTS, NotObjectionRequest, rebuild_letter
    from objection.verify import read_request_data

    data = read_request_data(path)
    kind = BY_REQUEST_FORMAT[data["format"]]
    if kind.key not in accepted:
        raise InputError("letter", str(path), f"is a {kind.key}; expected "
                         + " or ".join(f"an {key}" if key[0] in "aeiou" else f"a {key}"
                                       for key in accepted))
    try:
        letter, differing = rebuild_letter(data)
    except InputError as error:
        raise InputError("letter", str(path), f"its request data is not valid ({error})"
                         ) from None
    except (NotObjectionRequest, KeyError, TypeError, ValueError) as error:
        raise InputError("letter", str(path), f"its request data is damaged ({error})"
                         ) from None
    if {"reference", INPUTS} & set(differing):
        raise InputError("letter", str(path), "its request data does not match its reference: "
                         "it was changed after objection wrote it")
    if check_page:
        from objection.verify import INVALID, verify

        if verify(path, []).outcome == INVALID:
            raise InputError("letter", str(path), "is not the letter objection made from its "
                             "request data (it was changed); 'objection verify' says how")
    return letter


def follow_up(original: Letter, kind: Kind, sending: Sending, date: dt.date | None = None,
              extended: bool = False, answer_date: dt.date | None = None,
              answer_file: Path | None = None, remarks: str = "", region: str = "",
              proof_file: Path | None = None) -> Letter:
    """The follow-up of `kind` to `original`, dated `date` (default: today), with everything
    the original's request holds; the timing rules are checked here (see `check_timing`)."""
    from objection.compose import compose
    from objection.follow_up_fields import enclosure_from_file
    from objection.request import make_request
    from objection.request_data import as_json, raw_values, request_inputs

    check_follow_up(original, sending, date, answer_date, region)
    earlier = [*original.request.earlier, _sent_letter(original, sending)]
    values = raw_values(request_inputs(original.request))  # never a signature image path
    values.update(earlier=[as_json(letter) for letter in earlier], date=date,
                  extended=extended, answer_date=answer_date, remarks=remarks or None)
    if region:
        values["region"] = region
    for field, path in (("answer", answer_file), ("proof", proof_file)):
        if path is not None:
            from objection.follow_up_fields import MAX_ANSWER_BYTES

            values[field] = enclosure_from_file(
                field, path.name, read_user_file(path, field, MAX_ANSWER_BYTES))
    request = dataclasses.replace(make_request(values, kind),
                                  signature_image=original.request.signature_image)
    letter = compose(request, kind)
    if kind.addressee(letter.jurisdiction, request).address == ():
        raise InputError("region", "", "a complaint from Germany goes to the supervisory "
                         "authority of your Land; give it with --region (one of "
                         + ", ".join(regions(request.country)) + ")")
    check_timing(letter)
    return letter


def check_sending(letter: Letter, sending: Sending) -> None:
    """When the letter was sent and received: not before its date, received not before sent,
    and within the dates a letter may have (request.parse_date)."""
    from objection.request import parse_date

    for field, day in (("sent", sending.sent), ("received", sending.received)):
        if day is not None:
            parse_date(day, field)
            if day < letter.request.date:
                raise InputError(field, day.isoformat(), "before the letter's date "
                                 f"({letter.request.date.isoformat()})")
    if sending.sent and sending.received and sending.received < sending.sent:
        raise InputError("received", sending.received.isoformat(), "before the day it was "
                         f"sent ({sending.sent.isoformat()})")


def check_follow_up(original: Letter, sending: Sending, date: dt.date | None,
                    answer_date: dt.date | None, region: str) -> None:
    """What a follow-up may not contradict: the letter it follows (its date, its Land) and,
    for an answer, that the letter had been received and a reminder said there was none."""
    check_sending(original, sending)
    if date is not None and date < original.request.date:
        raise InputError("date", date.isoformat(), "before the letter it follows "
                         f"({original.request.date.isoformat()})")
    if region and original.request.region and region.upper().removeprefix("DE-") != \
            original.request.region:
        raise InputError("region", region, f"the letter names the Land {original.request.region}"
                         "; its complaint goes to that Land's authority (leave --region out)")
    if answer_date is not None:
        received = sending.received if original.kind.key == "objection" else (
            original.request.earlier[0].received)
        if received and answer_date < received:
            raise InputError("answer_date", answer_date.isoformat(), "before LinkedIn received "
                             f"the objection ({received.isoformat()})")
        if original.kind.key == "reminder" and answer_date < original.request.date:
            raise InputError("answer_date", answer_date.isoformat(), "before your reminder "
                             f"({original.request.date.isoformat()}), which said LinkedIn had "
                             "not answered; make the complaint from the objection instead")


def _sent_letter(letter: Letter, sending: Sending) -> Any:
    from objection.model import EarlierLetter

    return EarlierLetter(letter.kind.key, letter.reference, letter.request.date,
                         sending.sent or letter.request.date, sending.via, sending.received)


def due_of(letter: Letter, sending: Sending | None = None) -> dt.date:
    """By when LinkedIn must answer `letter` (an objection or a reminder) sent as `sending`
    says (default: through the form on its date)."""
    request = letter.request
    return due_date(_sent_letter(letter, sending or Sending()),
                    request.earlier[0].date if request.earlier else request.date,
                    letter.law.key, route(request, letter.jurisdiction))


def check_timing(letter: Letter) -> None:
    """A reminder only once the month for the answer has ended; a complaint without an answer
    only once the time limit of the last letter has ended (else InputError saying when)."""
    request, law = letter.request, letter.law.key
    last = request.earlier[-1]
    ends = due_date(last, request.earlier[0].date, law, route(request, letter.jurisdiction))
    if letter.kind.key == "complaint" and (request.answer_date or request.answer):
        return
    if request.date <= ends:
        after = (ends + dt.timedelta(days=1)).isoformat()
        raise InputError("date", request.date.isoformat(), f"LinkedIn has until "
                         f"{ends.isoformat()} to answer your {last.kind} {last.reference}; "
                         f"a {letter.kind.key} can be dated from {after}"
                         + (" (if LinkedIn has answered, give --answer-date or --answer)"
                            if letter.kind.key == "complaint" else ""))
