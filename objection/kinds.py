"""Kinds of letter: what differs between an objection, a reminder or a complaint.

Every kind goes through the same pipeline (compose → body → layout → text or PDF →
signature). A kind names its wording template and supplies its subject, its addressee,
the rule its inputs must meet, the values its wording reads and the fields it adds to the
request data. Adding a kind means its wording under templates/kinds/, an entry here and
its catalog entries (and, for inputs an objection lacks, fields in the request: see
docs/design.md, "Kinds of letter").
"""

from collections.abc import Hashable
from typing import Any

from objection.catalogue import N_
from objection.jurisdictions import Controller, Jurisdiction
from objection.laws import Law
from objection.model import Kind, Letter, LetterRequest, Translate


def _objection_subject(_: Translate, law: Law, _request: LetterRequest, _reference: str) -> str:
    return _("Objection under %(citation)s to the processing of my personal data for "
             "artificial intelligence purposes") % {"citation": law.cite("objection")}


def _objection_context(letter: Letter) -> dict[str, Hashable]:
    request = letter.request
    return {
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


def _controller(place: Jurisdiction) -> Controller:
    """LinkedIn's controller for the sender's country."""
    return place.controller


OBJECTION = Kind(
    key="objection",
    wording="kinds/objection.html.j2",
    reference_prefix="OBJ",
    request_format="objection-request/1",
    attachment_description="The objection request as structured data (objection-request/1)",
    signing_reason="Objection under data protection law",
    attention=N_("For the attention of the Data Protection Officer"),
    one_of=("ground", "situation"),
    one_of_reason=("an objection under Art. 21(1) GDPR must rest on grounds relating to your "
                   "particular situation; give at least one --ground (see 'objection grounds') "
                   "or describe your situation with --situation"),
    subject=_objection_subject,
    addressee=_controller,
    context=_objection_context,
    request_data=_objection_request_data,
)

KINDS: dict[str, Kind] = {kind.key: kind for kind in (OBJECTION,)}
BY_REQUEST_FORMAT: dict[str, Kind] = {kind.request_format: kind for kind in KINDS.values()}
