"""A handwritten signature as an image: checked from its content, bounded, never fetched.

PNG and JPEG are checked with Pillow (WeasyPrint's own image library); an SVG is
accepted only if it is self-contained: no scripts, no external references, no DTD.
"""

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from objection.errors import InputError
from objection.model import SignatureImage

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
FIELD = "signature_image"


def load_signature_image(path: str) -> SignatureImage:
    """Read and check a signature image file; InputError says what is wrong with it."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise InputError(FIELD, path, f"is {size // 1024} KiB; at most {MAX_BYTES // 1024} KiB")
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(FIELD, path, "no such file") from None
    except IsADirectoryError:
        raise InputError(FIELD, path, "is a directory; expected a PNG, JPEG or SVG file") from None
    except OSError as error:
        raise InputError(FIELD, path, f"cannot be read ({error.strerror})") from None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _raster(path, data, "PNG", "image/png")
    if data.startswith(b"\xff\xd8\xff"):
        return _raster(path, data, "JPEG", "image/jpeg")
    if _looks_like_svg(data):
        return _svg(path, data)
    raise InputError(FIELD, path, "is not a PNG, JPEG or SVG image (checked from its content)")


def _raster(path: str, data: bytes, kind: str, mime: str) -> SignatureImage:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InputError(FIELD, path, f"is not a valid {kind} image") from None
    if found != kind:
        raise InputError(FIELD, path, f"is not a valid {kind} image")
    _check_size(path, width, height)
    return SignatureImage(mime, data)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and \
        b"<svg" in data[:4096].lower()


_URL_IN_CSS = re.compile(r"url\s*\(|@import", re.IGNORECASE)
_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video"}


def _svg(path: str, data: bytes) -> SignatureImage:
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise InputError(FIELD, path, "is an SVG with a DTD or entities; expected a plain SVG")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise InputError(FIELD, path, "is not a well-formed SVG file") from None
    if _local(root.tag) != "svg":
        raise InputError(FIELD, path, "is not an SVG image")
    for element in root.iter():
        if _local(element.tag).lower() in _FORBIDDEN_TAGS:
            raise InputError(FIELD, path, "is an SVG with scripts or embedded content; "
                             "expected a self-contained drawing")
        for name, value in element.attrib.items():
            attribute = _local(name).lower()
            if attribute.startswith("on"):
                raise InputError(FIELD, path, "is an SVG with event handlers (scripts)")
            if attribute == "href" and not value.startswith("#"):
                raise InputError(FIELD, path, "is an SVG with external references; "
                                 "expected a self-contained drawing")
            if _URL_IN_CSS.search(value) and "url(#" not in value.replace(" ", ""):
                raise InputError(FIELD, path, "is an SVG with external references in styles")
        if _local(element.tag) == "style" and element.text and _URL_IN_CSS.search(element.text):
            raise InputError(FIELD, path, "is an SVG with external references in styles")
    width, height = _svg_size(root)
    _check_size(path, width, height)
    return SignatureImage("image/svg+xml", data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _svg_size(root: ET.Element) -> tuple[float, float]:
    def number(text: str | None) -> float | None:
        match = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", text or "")
        return float(match.group(1)) if match else None

    width, height = number(root.get("width")), number(root.get("height"))
    if width is None or height is None:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) == 4:
            width, height = float(box[2]), float(box[3])
    return width or 0.0, height or 0.0


def _check_size(path: str, width: float, height: float) -> None:
    if max(width, height) > MAX_SIDE:
        raise InputError(FIELD, path, f"is {width:.0f} x {height:.0f} px; "
                         f"at most {MAX_SIDE} px a side")
