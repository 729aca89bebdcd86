"""The request as structured data, embedded in every PDF letter (objection-request/1 for
an objection; each kind of letter names its format).

The sender's and the recipient's tools can read the request by machine, and
`objection verify` rebuilds the letter from it (the "inputs": every field of the request,
the signature image with its bytes) and renders it again to compare it with the file byte
for byte, which it can when the "generator" (objection's version and the renderer's
libraries) is its own. Letters made before "generator" existed name the signature
image by its SHA-256 only; letters made before "inputs" existed carry only the other keys.
"""

import base64
import binascii
import dataclasses
import datetime as dt
import json
import re
from functools import cache
from typing import Any

from objection.kinds import BY_REQUEST_FORMAT
from objection.model import EarlierLetter, Enclosure, Letter, LetterRequest, SignatureImage

REQUEST_DATA_NAME = "objection-request.json"  # the embedded file's name in every letter PDF
INPUTS = "inputs"  # the key holding the request's fields, as the reference is computed from
GENERATOR = "generator"  # the key naming what made the PDF's bytes (see `generator`)
# The inputs only follow-up letters have appear only when given, so that an objection's
# request data (and so its bytes) stays what earlier versions wrote.
FOLLOW_UP_INPUTS = ("earlier", "extended", "answer_date", "answer", "remarks", "proof")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class NotObjectionRequest(ValueError):
    """Request data that objection would not write (the message says why, in our words)."""


def request_data(letter: Letter, signed: bool) -> bytes:
    """Canonical JSON (sorted keys, UTF-8) of everything the letter was made from."""
    request = letter.request
    controller = letter.jurisdiction.controller  # LinkedIn, whoever the letter goes to
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
        GENERATOR: generator(),
    }
    own = letter.kind.request_data(letter)
    if clash := shared.keys() & own.keys():
        raise ValueError(f"kind {letter.kind.key} redefines shared request data: {sorted(clash)}")
    data = {**shared, **own}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def request_inputs(request: LetterRequest) -> dict[str, Any]:
    """Every field of the request as JSON, in its own order (facts keep the order the
    reference saw), the signature image as its type and bytes (base64): enough to make the
    letter again, byte for byte."""
    return {field.name: as_json(getattr(request, field.name))
            for field in dataclasses.fields(request)
            if field.name not in FOLLOW_UP_INPUTS or getattr(request, field.name) != field.default}


def as_json(value: object) -> object:
    if isinstance(value, tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, SignatureImage | Enclosure):
        return {**({"name": value.name} if isinstance(value, Enclosure) else {}),
                "mime": value.mime, "data": base64.b64encode(value.data).decode("ascii")}
    if isinstance(value, EarlierLetter):
        return {key: as_json(item) for key, item in dataclasses.asdict(value).items()}
    return value


@cache
def generator() -> dict[str, str | bool]:
    """What decides a letter's bytes besides its request: objection's version (its code,
    templates, catalogs, fonts and data), and the versions of the renderer and of the
    libraries it lays out, shapes, subsets and compresses with. The same request and the
    same generator give the same bytes (`objection verify` relies on it).

    objection's files are named by its version, not by a digest of them, so that a change
    of the code's shape leaves every letter's bytes as they were (scripts/compare-outputs);
    a development checkout changed without a new version number therefore makes letters it
    made before the change differ (invalid, never valid)."""
    import importlib
    import importlib.metadata
    import zlib

    import objection.pdf  # noqa: F401  sets fontconfig up before WeasyPrint loads it
    from objection import __version__

    libraries: Any = importlib.import_module("weasyprint.text.ffi")
    versions: dict[str, str | bool] = {"objection": __version__}
    for package in ("weasyprint", "pydyf", "fonttools", "pyphen", "pillow", "tinycss2",
                    "cssselect2", "tinyhtml5"):
        versions[package] = importlib.metadata.version(package)
    number = libraries.pango.pango_version()  # major * 10000 + minor * 100 + micro
    versions["pango"] = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    versions["harfbuzz"] = _harfbuzz_version(libraries.harfbuzz)
    # Without libharfbuzz-subset WeasyPrint subsets the fonts with fontTools: other bytes.
    versions["harfbuzz_subset"] = libraries.harfbuzz_subset is not None
    versions["zlib"] = zlib.ZLIB_RUNTIME_VERSION
    return versions


def _harfbuzz_version(harfbuzz: Any) -> str:
    """HarfBuzz's version, found with the one version function WeasyPrint declares
    (hb_version_atleast): the highest major, then minor, then micro it is at least."""
    def highest(test: Any) -> int:
        low, high = 0, 1 << 12
        while low < high:  # the highest n with test(n), test(0) being true
            middle = (low + high + 1) // 2
            low, high = (middle, high) if test(middle) else (low, middle - 1)
        return low

    major = highest(lambda n: harfbuzz.hb_version_atleast(n, 0, 0))
    minor = highest(lambda n: harfbuzz.hb_version_atleast(major, n, 0))
    micro = highest(lambda n: harfbuzz.hb_version_atleast(major, minor, n))
    return f"{major}.{minor}.{micro}"


def parse_request_data(raw: bytes) -> dict[str, Any]:
    """Read embedded request data; ValueError if it is not objection's format."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") not in BY_REQUEST_FORMAT:
        raise ValueError("not objection request data")
    return data


def rebuild_letter(data: dict[str, Any]) -> tuple[Letter, list[str]]:
    """The letter that `data` (with "inputs") describes, made anew by objection's own rules,
    and the keys of `data` that differ from what objection writes for that letter (a
    reference not computed from the inputs among them). The "generator" is not compared:
    it names what made the file (see `generator_difference`).

    The inputs go through `make_request`, so a value `objection letter` would refuse raises
    InputError, and the signature image's bytes through objection's image checks (it must
    be one objection stores as it is; else NotObjectionRequest). An image named only by its
    SHA-256 (letters made before the request data carried its bytes) gives a letter without
    one, and the reference computed with that digest.
    """
    from objection.compose import compose, reference_for
    from objection.request import make_request

    kind = BY_REQUEST_FORMAT[data["format"]]
    inputs = data[INPUTS]
    request = make_request(raw_values(inputs), kind)
    given = inputs.get("signature_image")
    digest = given if isinstance(given, str) and _SHA256.fullmatch(given) else None
    if isinstance(given, dict):
        request = dataclasses.replace(request, signature_image=_signature_image(given))
    letter = compose(request, kind, reference_for(request, kind, image_digest=digest))
    expected = json.loads(request_data(letter, signed=data.get("signed") is True))
    if not isinstance(given, dict):
        expected[INPUTS]["signature_image"] = digest
    expected[GENERATOR] = data.get(GENERATOR)
    differing = sorted(key for key in expected.keys() | data.keys()
                       if expected.get(key) != data.get(key))
    return letter, differing


def _signature_image(given: dict[str, Any]) -> SignatureImage:
    """The signature image the request data carries, checked as objection checks an image
    file, and required to be what objection stores for it (NotObjectionRequest if not); it is
    never read from a path in the data."""
    from objection.errors import InputError
    from objection.signature_image import signature_image

    try:
        raw = base64.b64decode(given["data"], validate=True)
    except (KeyError, TypeError, binascii.Error):
        raise NotObjectionRequest("its signature image is not base64") from None
    try:
        image = signature_image(raw, "request data")
    except InputError:
        raise NotObjectionRequest("its signature image is not one objection accepts") from None
    if (image.mime, image.data) != (given.get("mime"), raw):
        raise NotObjectionRequest("its signature image is not as objection stores it")
    return image


def generator_difference(recorded: object) -> str:
    """How the generator `recorded` in a letter's request data differs from this one's
    ("" if it is the same: the letter's bytes can be made again here)."""
    current = generator()
    if not isinstance(recorded, dict):
        return ("made by a version of objection that did not record its generator; this is "
                + _describe(current, []))
    keys = sorted(key for key in current.keys() | recorded.keys()
                  if current.get(key) != recorded.get(key))
    if not keys:
        return ""
    named = [key for key in keys if key in recorded] or keys  # what it records, if anything
    return f"made by {_describe(recorded, named)}; this is {_describe(current, named)}"


def _describe(versions: dict[str, Any], keys: list[str]) -> str:
    """objection's version, and the versions of `keys` (but objection) as `versions` has them."""
    shown = [f"{key} {versions.get(key, '(none)')}" for key in keys if key != "objection"]
    return f"objection {versions.get('objection', '(none)')}" + (
        " with " + ", ".join(shown) if shown else "")


_PLAIN_INPUTS = ("name", "email", "country", "lang", "situation", "scope", "date",
                 "profile_url", "address", "place", "toggle", "bilingual", "region",
                 *FOLLOW_UP_INPUTS)


def raw_values(inputs: dict[str, Any]) -> dict[str, object]:
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
