"""The request as structured data, embedded in every PDF letter (objection-request/1).

The sender's and the recipient's tools can read the request by machine, and
`objection verify` compares it with the letter's visible text.
"""

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from objection.letter import Letter

FORMAT = "objection-request/1"


def request_data(letter: "Letter", signed: bool) -> bytes:
    """Canonical JSON (sorted keys, UTF-8) of everything the letter was made from."""
    request = letter.request
    controller = letter.jurisdiction.controller
    data: dict[str, Any] = {
        "format": FORMAT,
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
        "scope": list(request.scope),
        "grounds": list(request.grounds),
        "situation": request.situation,
        "signed": signed,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def parse_request_data(raw: bytes) -> dict[str, Any]:
    """Read embedded request data; ValueError if it is not objection's format."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not objection request data")
    return data


def visible_fields(data: dict[str, Any]) -> dict[str, str]:
    """The values the letter prints, which verify expects to find in the page text."""
    return {"reference": data["reference"], "sender name": data["sender"]["name"],
            "e-mail": data["sender"]["email"], "controller": data["controller"]["name"],
            "subject": data["subject"]}
