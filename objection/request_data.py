"""The request as structured data, embedded in every PDF letter (objection-request/1 for
an objection; each kind of letter names its format).

The sender's and the recipient's tools can read the request by machine, and
`objection verify` rebuilds the letter from it (the "inputs": every field of the request,
the signature image as its SHA-256) to compare it with the page and to recompute the
reference. Letters made before "inputs" existed carry only the other keys.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import re
from typing import Any

from objection.kinds import BY_REQUEST_FORMAT
from objection.model import Letter, LetterRequest, SignatureImage

REQUEST_DATA_NAME = "objection-request.json"  # the embedded file's name in every letter PDF
INPUTS = "inputs"  # the key holding the request's fields, as the reference is computed from
_SHA256 = re.compile(r"[0-9a-f]{64}")


def request_data(letter: Letter, signed: bool) -> bytes:
    """Canonical JSON (sorted keys, UTF-8) of everything the letter was made from."""
    request = letter.request
    controller = letter.kind.addressee(letter.jurisdiction)
    shared: dict[str, Any] = {
        "format": letter.kind.request_format,
        "reference": letter.reference,
        "date": request.date.isoformat(),
        "language": request.lang,
        "bilingual": request.bilingual,
        "country": request.country,
        "law": letter.law.key,
        "subject": letter.subject,
        "sender": {"name": request.name, "email": request.email,
                   "profile_url": request.profile_url, "address": list(request.address)},
        "controller": {"name": controller.name, "address": list(controller.address),
                       "country": controller.country},
        "supervisory_authority": {"name": letter.authority, "url": letter.authority_url},
        "signed": signed,
        INPUTS: request_inputs(request),
    }
    own = letter.kind.request_data(letter)
    if clash := shared.keys() & own.keys():
        raise ValueError(f"kind {letter.kind.key} redefines shared request data: {sorted(clash)}")
    data = {**shared, **own}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def request_inputs(request: LetterRequest) -> dict[str, Any]:
    """Every field of the request as JSON, in its own order (facts keep the order the
    reference saw), the signature image as its SHA-256: enough to rebuild the letter."""
    return {field.name: _as_json(getattr(request, field.name))
            for field in dataclasses.fields(request)}


def _as_json(value: object) -> object:
    if isinstance(value, tuple):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, SignatureImage):
        return hashlib.sha256(value.data).hexdigest()
    return value


def parse_request_data(raw: bytes) -> dict[str, Any]:
    """Read embedded request data; ValueError if it is not objection's format."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") not in BY_REQUEST_FORMAT:
        raise ValueError("not objection request data")
    return data


def rebuild_letter(data: dict[str, Any]) -> tuple[Letter, list[str]]:
    """The letter that `data` (with "inputs") describes, made anew by objection's own rules,
    and the keys of `data` that differ from what objection writes for that letter (a
    reference not computed from the inputs among them).

    The inputs go through `make_request`, so a value `objection letter` would refuse raises
    InputError; a signature image is never read (only its digest is in the data).
    """
    from objection.compose import compose, reference_for
    from objection.request import make_request

    kind = BY_REQUEST_FORMAT[data["format"]]
    inputs = data[INPUTS]
    request = make_request(_raw_values(inputs), kind)
    digest = inputs.get("signature_image")
    digest = digest if isinstance(digest, str) and _SHA256.fullmatch(digest) else None
    letter = compose(request, kind, reference_for(request, kind, image_digest=digest))
    expected = json.loads(request_data(letter, signed=data.get("signed") is True))
    expected[INPUTS]["signature_image"] = digest
    differing = sorted(key for key in expected.keys() | data.keys()
                       if expected.get(key) != data.get(key))
    return letter, differing


_PLAIN_INPUTS = ("name", "email", "country", "lang", "situation", "scope", "date",
                 "profile_url", "address", "place", "toggle", "bilingual", "region")


def _raw_values(inputs: dict[str, Any]) -> dict[str, object]:
    """The inputs as `make_request` takes them from a front end (never a signature image
    path: a letter must not make verify read a file)."""
    values: dict[str, object] = {name: inputs.get(name) for name in _PLAIN_INPUTS}
    values["ground"] = inputs.get("grounds")
    values["fact"] = [f"{key}: {text}" for key, text in inputs.get("facts") or ()]
    return values


def visible_fields(data: dict[str, Any]) -> dict[str, str]:
    """The values a letter made before "inputs" prints, which verify expects on the page."""
    return {"reference": data["reference"], "sender name": data["sender"]["name"],
            "e-mail": data["sender"]["email"], "controller": data["controller"]["name"],
            "subject": data["subject"]}
