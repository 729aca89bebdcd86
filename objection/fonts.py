"""The letter's fonts: the only fonts the PDF renderer may use, and what they can print.

A letter must look the same on every machine (issue 12, item 16): objection/pdf.py points
fontconfig at fonts.conf beside the font files, which lists only them, and a request whose
text the fonts cannot print is refused while it is validated, for a text letter as for a
PDF, so that a batch row gets one reason whatever its format.
"""

from functools import cache

from objection.resources import ASSETS_DIR

FONTS_DIR = ASSETS_DIR / "fonts"
FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
FONT_FILES = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf")
SCRIPTS = "Latin, Greek and Cyrillic"


@cache
def coverage() -> frozenset[int]:
    """The code points every face can print (a name is set in bold, a quotation in italic)."""
    # A WeasyPrint dependency, without type hints; not loaded for --help.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    faces = []
    for name in FONT_FILES:
        with TTFont(FONTS_DIR / name, lazy=True) as font:
            faces.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*faces))


@cache
def _advances(face: str) -> dict[int, float]:
    """Each code point's advance width in ems, from the font file's own metrics."""
    from fontTools.ttLib import TTFont

    with TTFont(FONTS_DIR / face, lazy=True) as font:
        metrics, em = font["hmtx"].metrics, font["head"].unitsPerEm
        return {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """How wide `text` is set on one line, in points, from the advances alone (the renderer's
    kerning makes most text a little narrower): what objection/fit.py needs to know before
    anything is laid out."""
    advances = _advances(FONT_FILES[1] if bold else FONT_FILES[0])
    return size_pt * sum(advances.get(ord(char), 1.0) for char in text)


def unprintable(text: str) -> list[str]:
    """The characters of `text` the fonts lack, each once, in order; `text` holds no control
    characters (objection.request refuses them first)."""
    if text.isascii():  # printable ASCII is in every face (a test checks): no need to load
        return []
    covered = coverage()
    return list(dict.fromkeys(ch for ch in text if ord(ch) not in covered))


def cannot_print(codes: list[str], shown: int = 5) -> str:
    """The one wording of this refusal, from validation and from the renderer alike."""
    listed = " ".join(codes[:shown]) + (" …" if len(codes) > shown else "")
    return (f"contains {listed}, which the letter's font cannot print; it covers {SCRIPTS} "
            "scripts")
