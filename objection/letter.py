"""From a validated request to a resolved letter, and from that to text or HTML.

Everything the letter says is decided here and in the templates; the PDF module only
lays the HTML out.
"""

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date
from markupsafe import escape

from objection.i18n import SOURCE_LANGUAGE, formatting_locale, translations
from objection.jurisdictions import Jurisdiction, jurisdiction
from objection.laws import Law, list_markers
from objection.plaintext import fill_block, prewrapped
from objection.request import LetterRequest
from objection.templating import environment

if TYPE_CHECKING:
    from objection.pdf import RenderedPdf


@dataclass(frozen=True)
class Letter:
    request: LetterRequest
    jurisdiction: Jurisdiction
    law: Law
    reference: str
    subject: str
    date_line: str
    sender_lines: tuple[str, ...]
    return_address: str
    recipient_lines: tuple[str, ...]
    details: tuple[tuple[str, str], ...]  # (label, value): reference, account, profile
    authority: str
    authority_url: str
    translation: "Letter | None" = None  # the English courtesy translation (--bilingual)
    original_language: str = ""          # on a translation: the original's language, in English

    @property
    def lang(self) -> str:
        return self.request.lang

    @property
    def signature_image_url(self) -> str:
        image = self.request.signature_image
        return image.data_url if image else ""

    @property
    def list_markers(self) -> list[str]:
        return list_markers(self.lang)

    @property
    def scope(self) -> tuple[str, ...]:
        return self.request.scope

    @property
    def grounds(self) -> tuple[str, ...]:
        return self.request.grounds

    @property
    def situation_paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.request.situation.split("\n\n") if p.strip()]


def reference_for(request: LetterRequest) -> str:
    """A short reference that is the same for the same inputs (and reveals none of them)."""
    fields = {field.name: getattr(request, field.name) for field in dataclasses.fields(request)}
    fields["date"] = request.date.isoformat()
    image = request.signature_image
    fields["signature_image"] = hashlib.sha256(image.data).hexdigest() if image else None
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).digest()
    code = base64.b32encode(digest[:5]).decode()  # 8 characters from the first 40 bits
    return f"OBJ-{code[:4]}-{code[4:]}"


def compose(request: LetterRequest, reference: str | None = None) -> Letter:
    """Resolve law, controller, language, date and reference for one request."""
    letter = _compose(request, reference or reference_for(request))
    if request.bilingual:
        english = dataclasses.replace(request, lang=SOURCE_LANGUAGE, bilingual=False,
                                      signature_image=None)
        original = str(Locale.parse(request.lang).get_display_name(SOURCE_LANGUAGE))
        letter = dataclasses.replace(letter, translation=dataclasses.replace(
            _compose(english, letter.reference), original_language=original))
    return letter


def _compose(request: LetterRequest, reference: str) -> Letter:
    _ = translations(request.lang).gettext
    place = jurisdiction(request.country)
    locale = formatting_locale(request.lang)
    law = Law(place.law, request.lang, locale)
    controller = place.controller
    long_date = _long_date(request.date, locale)
    recipient = [controller.name, _("For the attention of the Data Protection Officer"),
                 *controller.address]
    if controller.country != request.country:
        recipient.append(_capitals(_country_name(controller.country, locale), request.lang))
    details = [(_("Reference"), reference), (_("LinkedIn account"), request.email)]
    if request.profile_url:
        details.append((_("Profile"), request.profile_url))
    return Letter(
        request=request,
        jurisdiction=place,
        law=law,
        reference=reference,
        subject=_("Objection under %(citation)s to the processing of my personal data for "
                  "artificial intelligence purposes") % {"citation": law.cite("objection")},
        date_line=(_("%(place)s, %(date)s") % {"place": request.place, "date": long_date}
                   if request.place else
                   # Translators: the date line without a place (Polish adds "r.").
                   _("%(date)s") % {"date": long_date}),
        sender_lines=(request.name, *request.address),
        return_address=" · ".join([request.name, *request.address]),
        recipient_lines=tuple(recipient),
        details=tuple(details),
        authority=place.authority(request.lang),
        authority_url=place.authority_url,
    )


def _capitals(text: str, lang: str) -> str:
    """The country line in capitals; Greek capitals drop the tonos (ΙΡΛΑΝΔΙΑ, not ΙΡΛΑΝΔΊΑ)."""
    if lang == "el":
        decomposed = unicodedata.normalize("NFD", text).replace("\u0301", "")
        text = unicodedata.normalize("NFC", decomposed)
    return text.upper()


@lru_cache(maxsize=1024)
def _long_date(date: dt.date, locale: str) -> str:
    return str(format_date(date, format="long", locale=locale))


@lru_cache(maxsize=1024)
def _country_name(code: str, locale: str) -> str:
    return str(Locale.parse(locale).territories[code])


# The body of a batch's letters differs only in the sender's name, e-mail and profile address;
# it is rendered once per kind of letter with stand-ins for them, which are then replaced.
# The body never mentions the postal address, the place or the date (the letterhead does),
# so they are left out of the kind: letters differing only in them share one body.
_PERSONAL = ("name", "email", "profile_url")
_STAND_IN = {field: f"\x00{field}\x00" for field in _PERSONAL}
_BODY_DATE = dt.date(2000, 1, 1)
_BODY_CACHE: dict[object, str] = {}
_BODY_CACHE_SIZE = 256


def render_body_html(letter: Letter) -> str:
    return _personalise(_body_with_stand_ins(letter), letter.request, escape)


def _body_with_stand_ins(letter: Letter) -> str:
    request = letter.request
    stand_in = dataclasses.replace(
        request, name=_STAND_IN["name"], email=_STAND_IN["email"],
        profile_url=_STAND_IN["profile_url"] if request.profile_url else "", address=(), place="",
        date=_BODY_DATE)
    key = (stand_in, letter.original_language, letter.translation is not None)
    if key not in _BODY_CACHE:
        if len(_BODY_CACHE) >= _BODY_CACHE_SIZE:
            _BODY_CACHE.clear()
        template = environment(letter.lang).get_template("body.html.j2")
        stand_in_letter = dataclasses.replace(letter, request=stand_in)
        _BODY_CACHE[key] = template.render(letter=stand_in_letter, law=letter.law)
    return _BODY_CACHE[key]


def _personalise(text: str, request: LetterRequest, quote: Callable[[str], str]) -> str:
    for field in _PERSONAL:
        text = text.replace(_STAND_IN[field], str(quote(getattr(request, field))))
    return text


def render_html(letter: Letter) -> str:
    """The full HTML page that the PDF is made from (with the translation on its own pages)."""
    template = environment(letter.lang).get_template("letter.html.j2")
    translation = letter.translation
    return template.render(
        letter=letter, body=render_body_html(letter), translation=translation,
        translation_body=render_body_html(translation) if translation else "")


def render_pdf(letter: Letter, signed: bool = False) -> "RenderedPdf":
    """The letter as PDF/A-3b carrying its request data (signed: made to be signed next)."""
    from objection.pdf import html_to_pdf
    from objection.request_data import request_data

    return html_to_pdf(render_html(letter), request_data(letter, signed=signed),
                       letter.request.date)


def render_text(letter: Letter) -> str:
    """The letter as UTF-8 text wrapped at 72 columns, ready to paste."""
    template = environment(letter.lang).get_template("letter.txt.j2")
    translation = letter.translation
    return template.render(
        letter=letter, body=_body_text(letter), translation=translation,
        translation_body=_body_text(translation) if translation else "")


def _body_text(letter: Letter) -> str:
    """Text blocks come from the cached stand-in body, wrapped once per kind of letter;
    only the blocks naming the sender are wrapped anew for each letter."""
    return "\n\n".join(
        piece if isinstance(piece, str)
        else fill_block(piece._replace(text=_personalise(piece.text, letter.request, str)))
        for piece in prewrapped(_body_with_stand_ins(letter), "\x00"))
