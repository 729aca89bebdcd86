"""Kinds of letter: what differs between an objection, a reminder or a complaint.

Every kind goes through the same pipeline (compose → body → layout → text or PDF →
signature). A kind names its wording template and supplies its subject, its addressee,
the rule its inputs must meet, the values its wording reads and the fields it adds to the
request data. Adding a kind means a template under templates/kinds/, an entry here and
its catalog entries.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from objection.laws import list_markers

if TYPE_CHECKING:
    from objection.jurisdictions import Controller, Jurisdiction
    from objection.laws import Law
    from objection.model import Letter

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a message for extraction; the pipeline translates it into the letter's language."""
    return message


@dataclass(frozen=True)
class Kind:
    key: str
    wording: str                      # template with the body's wording, under templates/
    reference_prefix: str             # "OBJ" in OBJ-ABCD-EFGH
    request_format: str               # the embedded request data's "format"
    attachment_description: str       # of the embedded request data, in the PDF
    signing_reason: str               # the PDF signature's /Reason
    attention: str                    # message: the addressee's line below its name
    # At least one of these inputs must be given (with `one_of_reason` if none is).
    one_of: tuple[str, ...]
    one_of_reason: str
    subject: Callable[[Translate, "Law"], str]
    addressee: Callable[["Jurisdiction"], "Controller"]
    # The values the wording reads besides the shared ones (see objection/body.py); they
    # are part of the body cache's key, so they must be hashable.
    context: Callable[["Letter"], dict[str, Hashable]]
    request_data: Callable[["Letter"], dict[str, Any]]  # the kind's own request data


def _objection_subject(_: Translate, law: "Law") -> str:
    return _("Objection under %(citation)s to the processing of my personal data for "
             "artificial intelligence purposes") % {"citation": law.cite("objection")}


def _objection_context(letter: "Letter") -> dict[str, Hashable]:
    request = letter.request
    return {
        "law": letter.law,
        "toggle": request.toggle,
        "scope": request.scope,
        "grounds": request.grounds,
        "situation_paragraphs": tuple(" ".join(p.split()) for p in request.situation.split("\n\n")
                                      if p.strip()),
        "markers": tuple(list_markers(letter.lang)),
        "authority": letter.authority,
        "authority_url": letter.authority_url,
    }


def _objection_request_data(letter: "Letter") -> dict[str, Any]:
    request = letter.request
    return {"scope": list(request.scope), "grounds": list(request.grounds),
            "situation": request.situation}


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
    addressee=lambda place: place.controller,
    context=_objection_context,
    request_data=_objection_request_data,
)

KINDS: dict[str, Kind] = {kind.key: kind for kind in (OBJECTION,)}
BY_REQUEST_FORMAT: dict[str, Kind] = {kind.request_format: kind for kind in KINDS.values()}
