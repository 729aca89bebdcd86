"""The values that flow through the pipeline: request → letter → rendered PDF.

Plain frozen dataclasses with no behaviour beyond their own fields, importing nothing of
the package at run time, so that every module (verify and signing included) can use them
without loading the renderers.
"""

import base64
import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from objection.jurisdictions import Controller, Jurisdiction
    from objection.laws import Law

Translate = Callable[[str], str]


@dataclass(frozen=True)
class SignatureImage:
    """A checked handwritten signature (see signature_image.load_signature_image)."""

    mime: str
    data: bytes

    @property
    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class EarlierLetter:
    """A letter that a follow-up (a reminder, a complaint) refers to: what it was, its
    reference and date, and when and how it was sent (and received, where known)."""

    kind: str                      # "objection", "reminder"
    reference: str
    date: dt.date                  # the letter's own date
    sent: dt.date
    via: str                       # "form" or "post"
    received: dt.date | None = None


@dataclass(frozen=True)
class Enclosure:
    """A file sent with a letter (LinkedIn's answer with a complaint), attached to the PDF."""

    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class LetterRequest:
    """The sender's inputs, validated (request.make_request)."""

    name: str
    email: str
    country: str
    lang: str
    grounds: tuple[str, ...]
    situation: str
    scope: tuple[str, ...]
    date: dt.date
    profile_url: str = ""
    address: tuple[str, ...] = ()
    place: str = ""
    toggle: str = ""  # "off", "pending", or "" when the sender did not say
    bilingual: bool = False
    signature_image: SignatureImage | None = None
    region: str = ""  # a German Land (BY, NW ...): names its supervisory authority
    # (ground, one line of the sender's own words) for grounds that take a fact
    facts: tuple[tuple[str, str], ...] = ()
    # Follow-ups only (objection/follow_up.py): the letters this one follows, oldest first;
    # that LinkedIn claimed an extension without reasons; the date of its answer and the
    # answer itself; the sender's words on it; the proof of sending.
    earlier: tuple[EarlierLetter, ...] = ()
    extended: bool = False
    answer_date: dt.date | None = None
    answer: Enclosure | None = None
    remarks: str = ""
    proof: Enclosure | None = None  # proof of sending or delivery, attached to a complaint


@dataclass(frozen=True)
class Kind:
    """What differs between kinds of letter (the registry: objection/kinds.py)."""

    key: str
    wording: str                      # template with the body's wording, under templates/
    reference_prefix: str             # "OBJ" in OBJ-ABCD-EFGH
    request_format: str               # the embedded request data's "format"
    attachment_description: str       # of the embedded request data, in the PDF
    signing_reason: str               # message: the PDF signature's /Reason
    attention: str                    # message: the addressee's line below its name, or ""
    # At least one of these inputs must be given (with `one_of_reason` if none is).
    one_of: tuple[str, ...]
    one_of_reason: str
    subject: Callable[[Translate, "Law", "LetterRequest", str], str]  # ..., reference
    addressee: Callable[["Jurisdiction", "LetterRequest"], "Controller"]
    # The values the wording reads besides the shared ones (see objection/body.py); they
    # are part of the body cache's key, so they must be hashable.
    context: Callable[["Letter"], dict[str, Hashable]]
    request_data: Callable[["Letter"], dict[str, Any]]  # the kind's own request data
    # The kinds of letter this one follows, in order (a complaint: an objection, then
    # perhaps a reminder); empty for a letter that starts a matter.
    follows: tuple[str, ...] = ()
    to_authority: bool = False  # addressed to a supervisory authority (its own salutation)
    # The wording under a law built on consent (PIPEDA, the PDPO: laws.withdraws_consent);
    # "" for a kind not yet written for those laws.
    withdrawal_wording: str = ""

    def wording_for(self, law: str) -> str:
        """The template with this kind's wording under `law`."""
        from objection.laws import withdraws_consent

        return self.withdrawal_wording if withdraws_consent(law) else self.wording


@dataclass(frozen=True)
class Letter:
    """A request resolved into everything the letter shows: law, controller, language,
    date line, reference. The layout prints it; the body reads only its kind's context."""

    kind: Kind
    request: LetterRequest
    jurisdiction: "Jurisdiction"
    law: "Law"
    reference: str
    subject: str
    date_line: str
    sender_lines: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    details: tuple[tuple[str, str], ...]  # (label, value): reference, account, profile
    authority: str
    authority_url: str
    catalog: str = ""                    # the messages' catalog: the language, or de_CH ...
    translation: "Letter | None" = None  # the English courtesy translation (--bilingual)
    original_language: str = ""          # on a translation: the original's language, in English

    @property
    def lang(self) -> str:
        return self.request.lang

    @property
    def language_tag(self) -> str:
        """The letter's language as HTML and PDF name it (BCP 47): zh-Hant-HK for the
        catalog zh_Hant, else the catalog's code (de)."""
        from objection.i18n import language_tag

        return language_tag(self.request.lang)


@dataclass(frozen=True)
class SignatureBox:
    """Where the signature line is: page index, rectangle in PDF points (origin bottom left)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    signature_box: SignatureBox | None
