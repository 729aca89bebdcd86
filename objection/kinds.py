"""Kinds of letter: what differs between an objection, a reminder or a complaint.

Every kind goes through the same pipeline (compose → body → layout → text or PDF →
signature). A kind names its wording template and supplies its subject, its addressee,
the rule its inputs must meet, the values its wording reads and the fields it adds to the
request data. Adding a kind means its wording under templates/kinds/, an entry here and
its catalog entries (and, for inputs an objection lacks, fields in the request: see
docs/design.md, "Kinds of letter").
"""

import dataclasses
import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from objection.catalogue import N_
from objection.deadline import deadline, next_working_day, post_route, received_on
from objection.i18n import formatting_locale, long_date
from objection.jurisdictions import Controller, Jurisdiction
from objection.laws import Law, law_as_of, withdraws_consent
from objection.model import EarlierLetter, Kind, Letter, LetterRequest, Translate
from objection.withdrawal import (
    withdrawal_dates,
    withdrawal_follow_up_subject,
    withdrawal_subject,
)

# A reminder gives LinkedIn this many days from its date (then the next working day), and at
# least this many after it arrives by post (across an ocean the post takes ten working days).
REMINDER_DAYS = 14
REMINDER_AFTER_POST = 7


def _objection_subject(_: Translate, law: Law, _request: LetterRequest, _reference: str) -> str:
    if withdraws_consent(law.key):
        return withdrawal_subject(_, law)
    return _("Objection under %(citation)s to the processing of my personal data for "
             "artificial intelligence purposes") % {"citation": law.cite("objection")}


def _objection_context(letter: Letter) -> dict[str, Hashable]:
    request = letter.request
    dates = withdrawal_dates(letter) if withdraws_consent(letter.law.key) else {}
    return {**dates,
        "toggle": request.toggle,
        "scope": request.scope,
        "grounds": request.grounds,
        "facts": request.facts,
        "situation_paragraphs": tuple(" ".join(p.split()) for p in request.situation.split("\n\n")
                                      if p.strip()),
    }


def _objection_request_data(letter: Letter) -> dict[str, Any]:
    request = letter.request
    return {"scope": list(request.scope), "grounds": list(request.grounds),
            "facts": dict(request.facts), "situation": request.situation}


def _controller(place: Jurisdiction, _request: LetterRequest) -> Controller:
    """LinkedIn's controller for the sender's country."""
    return place.controller


OBJECTION = Kind(
    key="objection",
    wording="kinds/objection.html.j2",
    reference_prefix="OBJ",
    request_format="objection-request/1",
    attachment_description="The objection request as structured data (objection-request/1)",
    signing_reason=N_("Objection under data protection law"),
    attention=N_("For the attention of the Data Protection Officer"),
    one_of=("ground", "situation"),
    one_of_reason=("an objection under Art. 21(1) GDPR must rest on grounds relating to your "
                   "particular situation; give at least one --ground (see 'objection grounds') "
                   "or describe your situation with --situation"),
    subject=_objection_subject,
    addressee=_controller,
    context=_objection_context,
    request_data=_objection_request_data,
    withdrawal_wording="kinds/withdrawal.html.j2",
)

@dataclass(frozen=True)
class Shown:
    """An earlier letter as a follow-up's wording shows it (dates written out)."""

    kind: str
    reference: str
    date: str
    sent: str
    via: str
    received: str  # "" when not known
    assumed: str   # when it is taken to have arrived, if not known (see deadline.received_on)


def _long(date: dt.date, request: LetterRequest) -> str:
    return long_date(date, formatting_locale(request.lang, request.country))


def route(request: LetterRequest, place: Jurisdiction) -> str:
    """The way a posted letter takes to LinkedIn (see deadline.POST_WORKING_DAYS)."""
    return post_route(request.country, place.controller.country)


def _shown(letter: EarlierLetter, request: LetterRequest, way: str, law: str) -> Shown:
    """`letter` as the wording shows it; a posted letter's arrival assumed by working days
    (Ireland's for the European letters; the sender's law's holidays for a letter withdrawing
    consent, as its time limit counts them)."""
    holidays_of = law if withdraws_consent(law) else "gdpr"
    return Shown(letter.kind, letter.reference, _long(letter.date, request),
                 _long(letter.sent, request), letter.via,
                 _long(letter.received, request) if letter.received else "",
                 _long(received_on(letter.sent, letter.via, holidays_of, way), request))


# A UK reminder that is the sender's first complaint to LinkedIn (s. 164A DPA 2018) leaves the
# 30 days for acknowledging it to run before the complaint to the Commissioner: the statute
# allows an earlier one, but the ICO asks people to wait 30 days for a response.
COMPLAINT_ACK_DAYS = 30


def reminder_due(reminder_date: dt.date, law: str, objection_date: dt.date,
                 way: str = "europe") -> dt.date:
    """The time limit a reminder sets: REMINDER_DAYS after its date, and REMINDER_AFTER_POST
    after its (assumed, posted) receipt; for a reminder that is also the first complaint to
    LinkedIn under s. 164A DPA 2018, not before 30 days after that receipt. Then the next
    working day."""
    due = max(reminder_date + dt.timedelta(days=REMINDER_DAYS),
              received_on(reminder_date, "post", law, way) + dt.timedelta(days=REMINDER_AFTER_POST))
    if first_complaint_to_controller(law, reminder_date, objection_date):
        due = max(due, received_on(reminder_date, "post", law, way)
                  + dt.timedelta(days=COMPLAINT_ACK_DAYS))
    return next_working_day(due, law)


def first_complaint_to_controller(law: str, letter_date: dt.date,
                                  objection_date: dt.date) -> bool:
    """Whether a letter of `letter_date` is also a complaint to LinkedIn (s. 164A DPA 2018)
    that the objection of `objection_date` was not."""
    def has(day: dt.date) -> bool:
        return law_as_of(law, "en", "en", day).has("complaint_to_controller")
    return has(letter_date) and not has(objection_date)


def due_date(letter: EarlierLetter, objection_date: dt.date, law: str, way: str) -> dt.date:
    """By when LinkedIn must answer a letter sent as `letter` says: one month from receipt
    for the objection, the time limit it set for a reminder."""
    if letter.kind == "reminder":
        return reminder_due(letter.date, law, objection_date, way)
    return deadline(law, letter.sent, letter.via, letter.received, way).due


def _reminder_subject(_: Translate, law: Law, request: LetterRequest, _ref: str) -> str:
    first = request.earlier[0]
    if withdraws_consent(law.key):
        return withdrawal_follow_up_subject(_, law, "reminder", _long(first.date, request),
                                            first.reference)
    return _("Reminder: my objection dated %(date)s under %(citation)s (reference "
             "%(reference)s)") % {"citation": law.cite("objection"),
                                  "date": _long(first.date, request),
                                  "reference": first.reference}


def _complaint_subject(_: Translate, law: Law, request: LetterRequest, _ref: str) -> str:
    first = request.earlier[0]
    if withdraws_consent(law.key):
        return withdrawal_follow_up_subject(_, law, "complaint", _long(first.date, request),
                                            first.reference)
    values = {"citation": law.cite("complaint"), "date": _long(first.date, request),
              "reference": first.reference}
    if law.key == "fadp":  # a report to the FDPIC, not a complaint with a right to a decision
        values["citation"] = law.cite("complaint_handling")
        return _("Report under %(citation)s against LinkedIn: my objection dated %(date)s "
                 "(reference %(reference)s)") % values
    return _("Complaint under %(citation)s against LinkedIn: my objection dated %(date)s "
             "(reference %(reference)s)") % values


def _reminder_context(letter: Letter) -> dict[str, Hashable]:
    request, law = letter.request, letter.law
    first = request.earlier[0]
    way = route(request, letter.jurisdiction)
    at_objection = law_as_of(law.key, law.language, law.locale, first.date)
    access = deadline(law.key, first.sent, first.via, first.received, way).access_due
    return {
        "objection": _shown(first, request, way, law.key),
        "objection_due": _long(due_date(first, first.date, law.key, way), request),
        "access_due": _long(access, request) if access else "",
        "reminder_due": _long(reminder_due(request.date, law.key, first.date, way), request),
        "extended": request.extended,
        "objection_complained": at_objection.has("complaint_to_controller"),
        "enclosures": ((_first_kind(law), _long(first.date, request), first.reference),),
    }


def _complaint_context(letter: Letter) -> dict[str, Hashable]:
    request, law = letter.request, letter.law
    first = request.earlier[0]
    way = route(request, letter.jurisdiction)
    reminder = request.earlier[1] if len(request.earlier) > 1 else None
    answer_date = _long(request.answer_date, request) if request.answer_date else ""
    answer_file = request.answer.name if request.answer else ""
    enclosures: list[tuple[str, ...]] = [(_first_kind(law), _long(first.date, request),
                                          first.reference)]
    if reminder:
        enclosures.append(("reminder", _long(reminder.date, request), reminder.reference))
    if request.proof:
        enclosures.append(("proof", request.proof.name))
    if answer_file:
        enclosures.append(("answer", answer_date, answer_file) if answer_date
                          else ("answer_undated", "", answer_file))
    return {
        "controller": letter.jurisdiction.controller.name,
        "objection": _shown(first, request, way, law.key),
        "objection_due": _long(due_date(first, first.date, law.key, way), request),
        "objection_due_passed": due_date(first, first.date, law.key, way) < request.date,
        "reminder": _shown(reminder, request, way, law.key) if reminder else None,
        "reminder_due": (_long(due_date(reminder, first.date, law.key, way), request)
                         if reminder else ""),
        "extended": request.extended,
        "answer_date": answer_date,
        "answer_file": answer_file,
        "answered": bool(answer_date or answer_file),
        "remarks_paragraphs": tuple(" ".join(p.split()) for p in request.remarks.split("\n\n")
                                    if p.strip()),
        "lead_elsewhere": letter.jurisdiction.controller.country != request.country,
        "complained_to_controller": _complained_to_controller(letter),
        "enclosures": tuple(enclosures),
    }


def _first_kind(law: Law) -> str:
    """What the letter a follow-up follows is called among its enclosures: an objection, or
    a letter withdrawing consent (templates/shared.html.j2, enclosure)."""
    return "letter" if withdraws_consent(law.key) else "objection"


def _complained_to_controller(letter: Letter) -> str:
    """The reference of the first earlier letter that was also a complaint to LinkedIn
    (s. 164A DPA 2018, from 19 June 2026: an objection says so, and a reminder does when
    its objection did not), or "" if none was; only when the complaint's law has the step."""
    law = letter.law
    if not law.has("complaint_to_controller"):
        return ""
    for earlier in letter.request.earlier:
        if law_as_of(law.key, law.language, law.locale, earlier.date).has(
                "complaint_to_controller"):
            return earlier.reference
    return ""


def _follow_up_data(letter: Letter) -> dict[str, Any]:
    request = letter.request
    data: dict[str, Any] = {"follows": [
        {key: value.isoformat() if isinstance(value, dt.date) else value
         for key, value in dataclasses.asdict(earlier).items()} for earlier in request.earlier]}
    if request.extended:
        data["extension_claimed_without_reasons"] = True
    if request.answer_date:
        data["answer_date"] = request.answer_date.isoformat()
    if request.answer:
        data["answer_file"] = request.answer.name
    return data


def _authority(place: Jurisdiction, request: LetterRequest) -> Controller:
    """The supervisory authority for the sender's country (or German Land), as the addressee."""
    return Controller(place.authority(request.lang, request.date), place.authority_address,
                      place.authority_country)


REMINDER = Kind(
    key="reminder",
    wording="kinds/reminder.html.j2",
    reference_prefix="REM",
    request_format="objection-reminder/1",
    attachment_description="The reminder as structured data (objection-reminder/1)",
    signing_reason=N_("Reminder under data protection law"),
    attention=N_("For the attention of the Data Protection Officer"),
    one_of=("earlier",),
    one_of_reason="a reminder follows an objection; make it from the letter: "
                  "objection reminder LETTER.pdf",
    subject=_reminder_subject,
    addressee=_controller,
    context=_reminder_context,
    request_data=_follow_up_data,
    follows=("objection",),
    withdrawal_wording="kinds/withdrawal_reminder.html.j2",
)

COMPLAINT = Kind(
    key="complaint",
    wording="kinds/complaint.html.j2",
    reference_prefix="CPL",
    request_format="objection-complaint/1",
    attachment_description="The complaint as structured data (objection-complaint/1)",
    signing_reason=N_("Complaint under data protection law"),
    attention="",
    one_of=("earlier",),
    one_of_reason="a complaint follows an objection; make it from the letter: "
                  "objection complaint LETTER.pdf",
    subject=_complaint_subject,
    addressee=_authority,
    context=_complaint_context,
    request_data=_follow_up_data,
    follows=("objection", "reminder"),
    withdrawal_wording="kinds/withdrawal_complaint.html.j2",
    to_authority=True,
)

KINDS: dict[str, Kind] = {kind.key: kind for kind in (OBJECTION, REMINDER, COMPLAINT)}
BY_REQUEST_FORMAT: dict[str, Kind] = {kind.request_format: kind for kind in KINDS.values()}
