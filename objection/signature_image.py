"""A handwritten signature as an image: checked from its content, bounded, never fetched.

PNG and JPEG are checked with Pillow (WeasyPrint's own image library) from their headers,
before any pixel is decoded. A photo from a phone (12 to 50 megapixels, several MB) is
scaled down rather than refused, and its light paper made transparent and trimmed away, so
that it prints as ink on the signature line, not as a grey box. Such an image, and any
JPEG, is stored as a new PNG, so that nothing of the file but its pixels reaches the letter
(a JPEG's comment and EXIF segments would be copied into the PDF as they are); a small PNG
with transparency of its own is kept as it is. An SVG is accepted only if it is
self-contained (no scripts, no external references, no DTD), has a readable size, and draws
a bounded number of elements once its references (`<use>`, `url(#…)`) are followed.
"""

import io
import re
import warnings
import xml.etree.ElementTree as ET
from functools import cache
from itertools import accumulate
from typing import Any

from objection.errors import InputError
from objection.model import SignatureImage
from objection.reading import MIB, describe_size, read_user_file

MAX_BYTES = 20 * MIB  # a phone's photo is 3 to 8 MB
MAX_SVG_BYTES = 2 * MIB
MAX_SIDE = 4000  # an SVG's width and height
# A PNG or JPEG's size as its header claims it, checked before decoding: a phone's photo
# has 12 to 50 million pixels (8160 x 6120); decoding a PNG this large takes 200 MB.
MAX_PIXELS = 50_000_000
STORED_SIDE = 1600  # px: on the 70 mm signature line, about 580 dpi
WORKING_SIDE = 2 * STORED_SIDE  # the photo before it is trimmed to the ink
# Lightness relative to the paper's: lighter than CLEAR is transparent, darker than SOLID
# opaque, in between partly (a ramp, so that strokes keep smooth edges).
CLEAR, SOLID = 0.85, 0.55
# Elements an SVG may draw with its references followed: a signature has a few hundred;
# nested <use> elements can make a 1 KiB file draw billions (a rendering that never ends).
MAX_DRAWN_ELEMENTS = 20_000
FIELD = "signature_image"


def load_signature_image(path: str) -> SignatureImage:
    """Read and check a signature image file; InputError says what is wrong with it."""
    return signature_image(read_user_file(path, FIELD, MAX_BYTES), path)


def signature_image(data: bytes, path: str) -> SignatureImage:
    """Check an image's bytes (`path` names them in messages) and make what is stored of it:
    for a file, and for the image a letter's request data carries (objection/verify.py)."""
    if len(data) > MAX_BYTES:
        raise InputError(FIELD, path, f"is {describe_size(len(data))}; at most "
                         f"{describe_size(MAX_BYTES)}")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _raster(path, data, "PNG")
    if data.startswith(b"\xff\xd8\xff"):
        return _raster(path, data, "JPEG")
    if _looks_like_svg(data):
        if len(data) > MAX_SVG_BYTES:
            raise InputError(FIELD, path, f"is an SVG of {describe_size(len(data))}; at most "
                             f"{describe_size(MAX_SVG_BYTES)}")
        return _svg(path, data)
    raise InputError(FIELD, path, "is not a PNG, JPEG or SVG image (checked from its content)")


def _raster(path: str, data: bytes, kind: str) -> SignatureImage:
    """Check the size its header claims before decoding anything (a 20000 x 20000 header on
    a small file is a decompression bomb), then decode it whole once to find damage."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow warns (on stderr) of large or damaged images; each is a refusal here.
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                _check_pixels(path, *image.size)
                if kind == "PNG" and _has_alpha(image) and max(image.size) <= STORED_SIDE:
                    image.load()
                    return SignatureImage("image/png", data)
                # A JPEG is decoded at 1/2, 1/4 or 1/8 of its size where that is enough.
                image.draft("RGB", (STORED_SIDE, STORED_SIDE))
                image.load()
                factor = max(image.size) // WORKING_SIDE  # then a quick box filter
                return SignatureImage("image/png",
                                      _as_png(image.reduce(factor) if factor > 1 else image))
    except InputError:
        raise
    except Exception:  # Pillow's many ways of saying "not a valid image", warnings included
        raise InputError(FIELD, path, f"is not a valid {kind} image (or is larger than "
                         f"{MAX_PIXELS // 1_000_000} megapixels)") from None


def _has_alpha(image: Any) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _as_png(image: Any) -> bytes:
    """The image as PNG with no metadata: turned as its EXIF orientation says (as viewers
    show it), on transparent paper unless it has transparency of its own, at most
    STORED_SIDE px a side."""
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(image)
    if upright.mode.startswith("I"):  # 16-bit grey: Pillow would clip it to white, not scale
        upright = upright.convert("I").point(lambda level: level / 257).convert("L")
    picture = (upright.convert("RGBA") if _has_alpha(upright)
               else _on_transparent_paper(upright.convert("RGB")))
    picture.thumbnail((STORED_SIDE, STORED_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def _on_transparent_paper(rgb: Any) -> Any:
    """Alpha from lightness, relative to the paper's (the median: paper is most of a photo
    of a signature), trimmed to the ink. An image without light paper is kept opaque."""
    from PIL import Image

    lightness = rgb.convert("L")
    half = rgb.width * rgb.height / 2
    paper = next(level for level, count in enumerate(accumulate(lightness.histogram()))
                 if count >= half)
    if paper < 128:
        return rgb.convert("RGBA")
    clear, solid = CLEAR * paper, SOLID * paper
    alpha = lightness.point([round(255 * min(1.0, max(0.0, (clear - level) / (clear - solid))))
                             for level in range(256)])
    # Transparent pixels made white, so that the photo's noise in them compresses away.
    picture = Image.composite(rgb, Image.new("RGB", rgb.size, "white"),
                              alpha.point([255 if level else 0 for level in range(256)]))
    picture.putalpha(alpha)
    ink = alpha.point([255 if level >= 128 else 0 for level in range(256)]).getbbox()
    if ink is None:
        return picture
    margin = max(4, max(ink[2] - ink[0], ink[3] - ink[1]) // 50)
    return picture.crop((max(0, ink[0] - margin), max(0, ink[1] - margin),
                         min(rgb.width, ink[2] + margin), min(rgb.height, ink[3] + margin)))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and \
        b"<svg" in data[:4096].lower()


_URL_IN_CSS = re.compile(r"url\s*\(|@import", re.IGNORECASE)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)['\"]?\s*\)", re.IGNORECASE)
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
        _check_self_contained(path, element)
    width, height = _svg_size(path, root)
    _check_size(path, width, height)
    _check_drawn_elements(path, root)
    return SignatureImage("image/svg+xml", data)


def _check_self_contained(path: str, element: ET.Element) -> None:
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(px)?\s*")


def _svg_size(path: str, root: ET.Element) -> tuple[float, float]:
    """Its width and height in px, from width/height or else viewBox: plain numbers only
    (a percentage, a unit or a negative size is not a signature's size)."""
    def number(text: str) -> float:
        match = _LENGTH.fullmatch(text)
        if not match:
            raise InputError(FIELD, path, f"is an SVG whose size {text!r} is not a number of "
                             "pixels; expected e.g. width=\"600\" height=\"200\"")
        return float(match.group(1))

    width, height = root.get("width"), root.get("height")
    if width is not None and height is not None:
        return number(width), number(height)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) != 4:
        raise InputError(FIELD, path, "is an SVG without a size; expected width and height "
                         "or a viewBox of four numbers")
    return number(box[2]), number(box[3])


def _check_drawn_elements(path: str, root: ET.Element) -> None:
    """Count the elements the SVG draws with every reference followed, each referenced
    element counted once per use: a reference cycle or too many is refused."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}

    @cache
    def drawn(element_id: str, seen: frozenset[str]) -> int:
        if element_id in seen:
            raise InputError(FIELD, path, "is an SVG whose references form a cycle")
        element = by_id.get(element_id)
        return count(element, seen | {element_id}) if element is not None else 0

    def count(element: ET.Element, seen: frozenset[str]) -> int:
        total = 1
        for name, value in element.attrib.items():
            targets = [value[1:]] if _local(name) == "href" else _LOCAL_URL.findall(value)
            total += sum(drawn(target, seen) for target in targets)
        total += sum(count(child, seen) for child in element)
        if total > MAX_DRAWN_ELEMENTS:
            raise InputError(FIELD, path, f"is an SVG that draws more than "
                             f"{MAX_DRAWN_ELEMENTS} elements (its references followed); "
                             "expected a simple drawing")
        return total

    try:
        count(root, frozenset())
    except RecursionError:
        raise InputError(FIELD, path, "is an SVG nested too deeply; expected a simple "
                         "drawing") from None


def _check_pixels(path: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise InputError(FIELD, path, f"is {width} x {height} px; at most "
                         f"{MAX_PIXELS // 1_000_000} megapixels (scale it down)")


def _check_size(path: str, width: float, height: float) -> None:
    if not max(width, height) <= MAX_SIDE:  # also refuses nan
        raise InputError(FIELD, path, f"is {width:.0f} x {height:.0f} px; "
                         f"at most {MAX_SIDE} px a side")
