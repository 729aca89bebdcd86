"""The request as structured data, embedded in every PDF letter (objection-request/1 for
an objection; each kind of letter names its format).

The sender's and the recipient's tools can read the request by machine, and
`objection verify` compares it with the letter's visible text.
"""

import json
from typing import Any

from objection.kinds import BY_REQUEST_FORMAT
from objection.model import Letter

REQUEST_DATA_NAME = "objection-request.json"  # the embedded file's name in every letter PDF


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
    }
    own = letter.kind.request_data(letter)
    if clash := shared.keys() & own.keys():
        raise ValueError(f"kind {letter.kind.key} redefines shared request data: {sorted(clash)}")
    data = {**shared, **own}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def parse_request_data(raw: bytes) -> dict[str, Any]:
    """Read embedded request data; ValueError if it is not objection's format."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") not in BY_REQUEST_FORMAT:
        raise ValueError("not objection request data")
    return data


def visible_fields(data: dict[str, Any]) -> dict[str, str]:
    """The values the letter prints, which verify expects to find in the page text."""
    return {"reference": data["reference"], "sender name": data["sender"]["name"],
            "e-mail": data["sender"]["email"], "controller": data["controller"]["name"],
            "subject": data["subject"]}
