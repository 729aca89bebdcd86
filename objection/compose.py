"""From a validated request to a resolved letter: law, addressee, language, date, reference.

The same for every kind of letter; what differs comes from the kind (objection/kinds.py).
"""

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from functools import lru_cache

from babel import Locale

from objection.i18n import (
    SOURCE_LANGUAGE,
    catalog_name,
    formatting_locale,
    long_date,
    translations,
)
from objection.jurisdictions import jurisdiction
from objection.kinds import OBJECTION
from objection.laws import law_as_of
from objection.model import EarlierLetter, Enclosure, Kind, Letter, LetterRequest

# The request fields of the first release. Their values always go into the reference; a
# field added later goes in only when it is not at its default, so that adding one does not
# change the reference (and so the files) of every existing letter.
_FIRST_FIELDS = ("name", "email", "country", "lang", "grounds", "situation", "scope", "date",
                 "profile_url", "address", "place", "toggle", "bilingual", "signature_image")


def reference_for(request: LetterRequest, kind: Kind = OBJECTION,
                  image_digest: str | None = None) -> str:
    """A short reference that is the same for the same inputs (and reveals none of them).

    `image_digest` stands for the signature image's SHA-256 where only that is known:
    `objection verify` recomputes the reference from the request data in a letter.
    """
    fields = {field.name: _plain(getattr(request, field.name))
              for field in dataclasses.fields(request)
              if field.name in _FIRST_FIELDS or getattr(request, field.name) != field.default}
    image = request.signature_image
    fields["signature_image"] = (hashlib.sha256(image.data).hexdigest() if image
                                 else image_digest)
    if kind is not OBJECTION:  # a reminder and a complaint made alike differ by more than a prefix
        fields["kind"] = kind.key
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).digest()
    code = base64.b32encode(digest[:5]).decode()  # 8 characters from the first 40 bits
    return f"{kind.reference_prefix}-{code[:4]}-{code[4:]}"


def _plain(value: object) -> object:
    """A request value as JSON takes it: dates as YYYY-MM-DD, an earlier letter as its
    fields, an enclosure as its name, type and SHA-256."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enclosure):
        return {"name": value.name, "mime": value.mime,
                "sha256": hashlib.sha256(value.data).hexdigest()}
    if isinstance(value, EarlierLetter):
        return {key: _plain(item) for key, item in dataclasses.asdict(value).items()}
    return value


def compose(request: LetterRequest, kind: Kind = OBJECTION, reference: str | None = None) -> Letter:
    """Resolve one request into a letter of the given kind (with its English translation
    when the request is bilingual)."""
    letter = _compose(kind, request, reference or reference_for(request, kind))
    if request.bilingual:
        english = dataclasses.replace(request, lang=SOURCE_LANGUAGE, bilingual=False,
                                      signature_image=None)
        original = str(Locale.parse(request.lang).get_display_name(SOURCE_LANGUAGE))
        letter = dataclasses.replace(letter, translation=dataclasses.replace(
            _compose(kind, english, letter.reference), original_language=original))
    return letter


def _compose(kind: Kind, request: LetterRequest, reference: str) -> Letter:
    catalog = catalog_name(request.lang, request.country)
    _ = translations(catalog).gettext
    place = jurisdiction(request.country, request.region)
    locale = formatting_locale(request.lang, request.country)
    law = law_as_of(place.law, request.lang, locale, request.date)
    addressee = kind.addressee(place, request)
    written_date = long_date(request.date, locale)
    recipient = [addressee.name, *([_(kind.attention)] if kind.attention else []),
                 *addressee.address]
    if addressee.country != request.country:
        recipient.append(_capitals(_country_name(addressee.country, locale), request.lang))
    details = [(_("Reference"), reference), (_("LinkedIn account"), request.email)]
    if request.profile_url:
        details.append((_("Profile"), request.profile_url))
    return Letter(
        kind=kind,
        request=request,
        jurisdiction=place,
        law=law,
        reference=reference,
        subject=kind.subject(_, law, request, reference),
        date_line=(_("%(place)s, %(date)s") % {"place": request.place, "date": written_date}
                   if request.place else
                   # Translators: the date line without a place (Polish adds "r.").
                   _("%(date)s") % {"date": written_date}),
        sender_lines=(request.name, *request.address),
        recipient_lines=tuple(recipient),
        details=tuple(details),
        authority=place.authority(request.lang, request.date),
        authority_url=place.authority_url,
        catalog=catalog,
    )


def _capitals(text: str, lang: str) -> str:
    """The country line in capitals; Greek capitals drop the tonos (ΙΡΛΑΝΔΙΑ, not ΙΡΛΑΝΔΊΑ)."""
    if lang == "el":
        decomposed = unicodedata.normalize("NFD", text).replace("\u0301", "")
        text = unicodedata.normalize("NFC", decomposed)
    return text.upper()


@lru_cache(maxsize=1024)
def _country_name(code: str, locale: str) -> str:
    return str(Locale.parse(locale).territories[code])
