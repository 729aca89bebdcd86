"""The letter's fonts: the only fonts the PDF renderer may use, and what they can print.

A letter must look the same on every machine (issue 12, item 16): objection/pdf.py points
fontconfig at fonts.conf beside the font files, which lists only them, and a request whose
text the fonts cannot print is refused while it is validated, for a text letter as for a
PDF, so that a batch row gets one reason whatever its format.

Latin, Greek and Cyrillic are set in Noto Serif; Traditional Chinese in subsets of Noto Serif
CJK HK (Regular and Bold, built by scripts/subset-cjk-font), which templates/letter.css lists
after Noto Serif: the renderer takes each character from the first face that has it.
"""

from functools import cache

from objection.resources import ASSETS_DIR

FONTS_DIR = ASSETS_DIR / "fonts"
FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
LATIN_FACES = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf")
# Regular and bold; no italic: an ideograph in a quotation is set upright, in the regular face.
CJK_FACES = ("NotoSerifCJKhk-Regular.otf", "NotoSerifCJKhk-Bold.otf")
FONT_FILES = LATIN_FACES + CJK_FACES
SCRIPTS = "the Latin, Greek and Cyrillic scripts and common Traditional Chinese characters"


@cache
def _cmap(face: str) -> frozenset[int]:
    # A WeasyPrint dependency, without type hints; not loaded for --help.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(FONTS_DIR / face, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _latin_coverage() -> frozenset[int]:
    return frozenset.intersection(*(_cmap(face) for face in LATIN_FACES))


@cache
def coverage() -> frozenset[int]:
    """The code points printable in every style (a name is set in bold, a quotation in
    italic): each style's Latin face, and for what it lacks the CJK face of its weight."""
    latin_regular, latin_bold, latin_italic = (_cmap(face) for face in LATIN_FACES)
    cjk_regular, cjk_bold = (_cmap(face) for face in CJK_FACES)
    return (latin_regular | cjk_regular) & (latin_bold | cjk_bold) & (latin_italic | cjk_regular)


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
    anything is laid out. A character the Latin face lacks takes the CJK face's advance (an
    ideograph is 1 em), read only when there is one."""
    weight = 1 if bold else 0
    latin = _advances(LATIN_FACES[weight])
    width = 0.0
    for char in text:
        advance = latin.get(ord(char))
        if advance is None:
            advance = _advances(CJK_FACES[weight]).get(ord(char), 1.0)
        width += advance
    return size_pt * width


def unprintable(text: str) -> list[str]:
    """The characters of `text` the fonts lack, each once, in order; `text` holds no control
    characters (objection.request refuses them first)."""
    if text.isascii():  # printable ASCII is in every Latin face (a test checks): no need to load
        return []
    latin = _latin_coverage()  # loading the CJK faces takes ~0.15 s: only if Latin lacks one
    if all(ord(ch) in latin for ch in text):
        return []
    covered = coverage()
    return list(dict.fromkeys(ch for ch in text if ord(ch) not in covered))


def cannot_print(codes: list[str], shown: int = 5) -> str:
    """The one wording of this refusal, from validation and from the renderer alike."""
    listed = " ".join(codes[:shown]) + (" …" if len(codes) > shown else "")
    return f"contains {listed}, which the letter's font cannot print; it covers {SCRIPTS}"
