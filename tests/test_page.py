"""The page (issue 13): the closing never alone, long values in their places, a phone's
photo as the signature, the signature stamp in the letter's language.

What is checked is what a reader sees: where the PDF draws each piece of text (pypdf's
positions, widths from the font), which page holds the closing, the stored image's pixels.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from PIL import Image, ImageDraw, ImageFile
from pypdf import PdfReader

from objection.body import body_text
from objection.compose import compose
from objection.errors import InputError
from objection.fit import return_lines
from objection.fonts import text_width
from objection.i18n import letter_languages, translations
from objection.model import Letter
from objection.render import render_pdf
from objection.request import make_request
from objection.signature_image import load_signature_image
from objection.verify import squeeze
from tests.certificates import PASSWORD, ThrowawayPki
from tests.conftest import BASE_ARGS
from tests.test_hostile_images import _png_claiming
from tests.test_languages import ALL_LANGUAGES, _country_for

MM = 72 / 25.4
WINDOW = (20.0, 45.0, 110.0, 90.0)  # mm from the page's top left: DIN 5008 form B
# The page less its margins (the window starts 5 mm left of the text; the page number is
# in the bottom margin): where text may be.
TEXT_AREA = (20.0, 18.0, 190.0, 292.0)
BASE = {"name": "Jane Doe", "email": "jane@example.org", "date": "2026-11-23"}


def _letter(**values: object) -> Letter:
    return compose(make_request({**BASE, **values}))


def _pages(letter: Letter) -> list[Any]:
    return list(PdfReader(io.BytesIO(render_pdf(letter).data)).pages)


# --- The closing never stands alone -------------------------------------------------------

LINE = "I am a physician and I write about my patients on this network, "  # < 1 line
MOST_LINES = 60  # a situation of at most 4000 characters


def _closing_page(letter: Letter, pages: list[Any]) -> int:
    closing = squeeze(translations(letter.catalog).gettext("Yours faithfully,"))
    return next(number for number, page in enumerate(pages)
                if closing in squeeze(page.extract_text()))


def _closing_just_pushed_over(values: dict[str, object]) -> tuple[Letter, list[Any]]:
    """The shortest situation (in steps of less than a line) that moves the closing to a
    later page: the end of the letter has just been pushed over, where the closing would
    stand alone if anything let it."""
    def made(lines: int) -> tuple[Letter, list[Any]]:
        letter = _letter(**values, situation=(LINE * lines).strip())
        return letter, _pages(letter)

    first, found = _closing_page(*made(0)), made(MOST_LINES)
    assert _closing_page(*found) > first, "no situation moves the closing: choose other grounds"
    low, high = 0, MOST_LINES  # low leaves the closing on its page, high moves it
    while high - low > 1:
        middle = (low + high) // 2
        letter, pages = made(middle)
        if _closing_page(letter, pages) > first:
            high, found = middle, (letter, pages)
        else:
            low = middle
    return found


@pytest.mark.parametrize("values", [
    # German residents: the last paragraph names the authorities' list, a long address, so
    # it has lines enough to be split (a paragraph of three lines never is: widows, orphans).
    {"lang": "en", "country": "DE", "ground": ["old-content", "sensitive-data"]},
    {"lang": "de", "country": "DE", "ground": ["old-content"]},
    {"lang": "fi", "country": "DE", "ground": ["old-content"]},  # not justified
    {"lang": "fr", "country": "DE", "ground": ["old-content"], "bilingual": "true"},
], ids=["en", "de", "fi", "fr-bilingual"])
def test_the_closing_is_on_the_page_of_the_whole_last_paragraph(
        values: dict[str, object]) -> None:
    letter, pages = _closing_just_pushed_over(values)
    texts = [squeeze(page.extract_text()) for page in pages]
    # The original ends with its last paragraph (and, bilingual, the note that a
    # translation follows); the translation with its last paragraph.
    parts = [(letter, 2 if letter.translation else 1)]
    if letter.translation:
        parts.append((letter.translation, 1))
    for part, kept in parts:
        closing = squeeze(translations(part.catalog).gettext("Yours faithfully,"))
        blocks = [squeeze(block) for block in body_text(part).split("\n\n") if block.strip()]
        at = next(i for i, block in enumerate(blocks) if block.startswith(closing))
        [page] = [number for number, text in enumerate(texts) if closing in text]
        for block in blocks[at - kept:at]:
            assert block[:40] in texts[page], (
                f"{part.lang}: the paragraph before the closing starts on page {page}, "
                f"not on the closing's page {page + 1}: {block[:40]}")


# --- Long values in their places --------------------------------------------------------

LONG_NAME = "Maximiliane Alexandra Konstantinopoulou-Papadopoulou de Berg"  # 60 characters
LONG_EMAIL = "maximiliane.alexandra.konstantinopoulou@research-department.example-university.eu.org"
LONG_SLUG = ("maximiliane-alexandra-konstantinopoulou-papadopoulou-de-berg-researcher-in-"
             "data-protection-law-20266")
LONG_PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch, Isle of Anglesey"
LONG_ADDRESS = ["c/o Institute for Comparative Data Protection Law and Information Technology",
                "Department of Legal Informatics, Building C, Third Floor, Room 3.141",
                "Sankt-Johannis-Kirchhof-Straße 123a, Hinterhaus, Aufgang B",
                "80331 München-Ludwigsvorstadt-Isarvorstadt",
                "GERMANY"]


def test_the_long_values_are_as_long_as_the_issue_says() -> None:
    assert (len(LONG_NAME), len(LONG_EMAIL), len(LONG_SLUG)) == (60, 85, 100)
    assert len(LONG_ADDRESS) == 5  # the most request.py takes


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its box in mm from the page's top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Run | tuple[float, float, float, float]") -> bool:
        left, top, right, bottom = (other if isinstance(other, tuple) else
                                    (other.left, other.top, other.right, other.bottom))
        return (min(self.right, right) - max(self.left, left) > 0.2
                and min(self.bottom, bottom) - max(self.top, top) > 0.2)

    def inside(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        return (self.left >= left - 0.2 and self.top >= top - 0.2
                and self.right <= right + 0.2 and self.bottom <= bottom + 0.2)


def _runs(page: Any) -> list[Run]:
    """Every piece of text on the page with the box its glyphs take: from the baseline,
    0.75 of the size up and 0.25 down; as wide as the font's advances (without kerning,
    and with one space where pypdf reports a justified line's wider gaps as several)."""
    height = float(page.mediabox.height)
    runs = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = re.sub(" +", " ", text.rstrip())
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        baseline = height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        points = size * abs(tm[3] * cm[3])
        width = text_width(text, points, bold="Bold" in str((font or {}).get("/BaseFont")))
        runs.append(Run(text, x / MM, (baseline - 0.75 * points) / MM, (x + width) / MM,
                        (baseline + 0.25 * points) / MM))

    page.extract_text(visitor_text=visit)
    return runs


def _outside(run: Run, box: tuple[float, float, float, float]) -> bool:
    """Beyond the box by more than the font's kerning could account for (3 %)."""
    slack = 0.03 * (run.right - run.left)
    return not run.inside((box[0], box[1], box[2] + slack, box[3]))


def _long_letter(lang: str) -> Letter:
    return _letter(name=LONG_NAME, email=LONG_EMAIL, lang=lang, country=_country_for(lang),
                   profile_url="linkedin.com/in/" + LONG_SLUG, place=LONG_PLACE,
                   address=LONG_ADDRESS, ground=["old-content"])


@pytest.mark.parametrize("lang", ["en", "de", "el", "fr", "it", "bg", "hu"])
def test_long_values_neither_overlap_nor_leave_their_places(lang: str) -> None:
    letter = _long_letter(lang)
    pages = _pages(letter)
    for number, page in enumerate(pages, 1):
        runs = _runs(page)
        outside = [run.text for run in runs if _outside(run, TEXT_AREA)]
        assert not outside, f"page {number}: outside the text area: {outside}"
        # Pieces of one line (the same baseline) are one flow of text and cannot overlap.
        overlapping = [(a.text, b.text) for i, a in enumerate(runs) for b in runs[i + 1:]
                       if abs(a.bottom - b.bottom) > 0.1 and a.overlaps(b)]
        assert not overlapping, f"page {number}: overlapping text: {overlapping[:3]}"
    # The window shows the return address and the recipient, whole, and nothing else.
    first = _runs(pages[0])
    shown = [run for run in first if run.overlaps(WINDOW)]
    assert all(run.inside(WINDOW) for run in shown), [r.text for r in shown if not r.inside(WINDOW)]
    assert squeeze("".join(run.text for run in shown)) == squeeze("".join([
        "M. Alexandra Konstantinopoulou-Papadopoulou de Berg",
        "80331 München-Ludwigsvorstadt-Isarvorstadt · GERMANY", *letter.recipient_lines]))
    # Nothing is cut: every value is there in full (the letterhead has the address).
    text = squeeze(pages[0].extract_text())
    for value in (LONG_NAME, LONG_EMAIL, LONG_SLUG, LONG_PLACE, *LONG_ADDRESS):
        assert squeeze(value) in text, value


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_the_recipient_needs_at_most_seven_lines_of_the_window(lang: str) -> None:
    """The window holds six lines at 10 pt, seven set closer (as the long-values test sees
    in French, Italian and Bulgarian): every language's addressee lines must fit them."""
    for country in [_country_for(lang), *(["GB"] if lang in letter_languages("uk_gdpr") else [])]:
        lines = _letter(lang=lang, country=country, ground=["old-content"]).recipient_lines
        assert len(lines) + sum(text_width(line, 10) > 80 * MM for line in lines) <= 7
        assert all(text_width(line, 10) <= 2 * 78 * MM for line in lines), lines


@pytest.mark.parametrize(("name", "address", "shown"), [
    ("Jane Doe", ("12 Main Street", "D02 X285 Dublin"),
     ["Jane Doe · 12 Main Street · D02 X285 Dublin"]),
    # Too long for one line: the name above the address.
    ("Jane Doe", ("Flat 3", "Wilton House", "12 Main Street", "D02 X285 Dublin", "Ireland"),
     ["Jane Doe", "Flat 3 · Wilton House · 12 Main Street · D02 X285 Dublin · Ireland"]),
    # A 60-character name: the first given name as an initial.
    (LONG_NAME, ("Sankt-Johannis-Kirchhof-Straße 123a", "80331 München"),
     ["M. Alexandra Konstantinopoulou-Papadopoulou de Berg",
      "Sankt-Johannis-Kirchhof-Straße 123a · 80331 München"]),
    ("Jean-Pierre Alexandre-Maximilien Konstantinopoulou-Papadopoulou Fontaine-Dupont", (),
     ["J.-P. A.-M. Konstantinopoulou-Papadopoulou Fontaine-Dupont"]),
    # The address's first lines left out (street, town and country come last), then a cut
    # after a whole word, marked.
    ("Jane Doe", tuple(LONG_ADDRESS),
     ["Jane Doe", "80331 München-Ludwigsvorstadt-Isarvorstadt · GERMANY"]),
    ("Jane Doe", ("Department of Legal Informatics, Building C, Third Floor, Room 3.141",
                  "Sankt-Johannis-Kirchhof-Straße 123a, Hinterhaus, Aufgang B, 80331 München"),
     ["Jane Doe", "Department of Legal Informatics, Building C, Third Floor, Room…"]),
    ("Jane " + "W" * 80, (), ["J.…"]),
    ("W" * 80, (), ["W" * 29 + "…"]),  # a word longer than the line: cut, marked
])
def test_the_return_address_is_shortened_sensibly(name: str, address: tuple[str, ...],
                                                  shown: list[str]) -> None:
    lines = return_lines(name, address)
    assert list(lines) == shown
    assert all(text_width(line, 7) <= 80 * MM for line in lines)


def test_six_address_lines_are_refused_naming_the_limit(run: Callable[..., Result],
                                                       tmp_path: Path) -> None:
    """Five lines fit the letterhead and the return address (the long-values test has
    five long ones); the sixth is refused in one line, as request.py words it (the dialogue
    looks its translation up by that wording)."""
    lines = [arg for line in ["Flat 3", "Wilton House", "12 Main Street", "Ballsbridge",
                              "Dublin 4", "Ireland"] for arg in ("--address", line)]
    result = run("letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content", *lines,
                 "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert ("has 6 lines; at most 5 fit the letterhead and the window envelope's return line: "
            "join two lines") in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_letterhead_that_cannot_fit_above_the_window_is_refused(
        run: Callable[..., Result], tmp_path: Path) -> None:
    wide = ["--address", "W" * 100] * 5
    result = run("letter", *BASE_ARGS, "--name", " ".join(["W" * 11] * 10), "--country", "IE",
                 "--ground", "old-content", *wide, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "too long to fit above the envelope window" in result.output
    assert not (tmp_path / "x.pdf").exists()


# --- A phone's photo as the signature ----------------------------------------------------

@pytest.fixture(scope="module")
def phone_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6000 x 4000 px, light-grey paper with grain, a signature in dark blue ink: as a phone
    takes it, several MB."""
    grain = Image.effect_noise((6000, 4000), 24).point(lambda v: 200 + (v - 128) // 4)
    photo = Image.merge("RGB", [grain, grain, grain])
    ImageDraw.Draw(photo).line([(1500, 2300), (2200, 1600), (2900, 2400), (3600, 1700),
                                (4400, 2200)], fill=(30, 35, 90), width=40, joint="curve")
    path = tmp_path_factory.mktemp("photo") / "signature.jpg"
    photo.save(path, "JPEG", quality=95)
    return path


def test_a_phone_photo_is_scaled_down_and_its_paper_made_transparent(phone_photo: Path) -> None:
    photo = phone_photo
    assert photo.stat().st_size > 2 * 1024 * 1024  # refused by the earlier limit
    stored = Image.open(io.BytesIO(load_signature_image(str(photo)).data))
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert max(stored.size) <= 1600
    alpha = stored.getchannel("A")
    lightness = stored.convert("RGB").convert("L")
    pixels = list(zip(alpha.tobytes(), lightness.tobytes(), strict=True))
    paper = [light for a, light in pixels if a == 0]
    ink = [light for a, light in pixels if a == 255]
    assert len(paper) > len(pixels) / 2, "the paper is transparent"
    assert len(ink) > len(pixels) / 50 and max(ink) < 128, "the ink is opaque and dark"
    # Trimmed to the ink: the stroke reaches (nearly) every edge of the stored image.
    left, top, right, bottom = alpha.point(lambda a: 255 if a == 255 else 0).getbbox() or (0,) * 4
    width, height = stored.size
    assert left < width / 20 and right > width * 0.95 and top < height / 10 and \
        bottom > height * 0.9


def test_a_phone_photo_signs_the_letter_on_transparent_paper(
        run: Callable[..., Result], tmp_path: Path, phone_photo: Path) -> None:
    photo = phone_photo
    out = tmp_path / "letter.pdf"
    result = run("letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content",
                 "--signature-image", str(photo), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = PdfReader(out).pages[-1]
    [image] = [xobject.get_object() for xobject in page["/Resources"]["/XObject"].values()
               if xobject.get_object()["/Subtype"] == "/Image"]
    assert image["/Width"] <= 1600 and "/SMask" in image


@pytest.mark.parametrize(("mode", "paper"), [("I;16", 65535), ("1", 1), ("L", 240)])
def test_a_scan_of_any_depth_keeps_its_ink_on_transparent_paper(tmp_path: Path, mode: str,
                                                                paper: int) -> None:
    scan = Image.new(mode, (800, 300), paper)
    ImageDraw.Draw(scan).line([(10, 250), (400, 40), (790, 200)], fill=0, width=12)
    scan.save(tmp_path / "scan.png")
    stored = Image.open(io.BytesIO(load_signature_image(str(tmp_path / "scan.png")).data))
    assert stored.mode == "RGBA" and stored.getchannel("A").getextrema() == (0, 255)
    assert stored.getpixel((0, 0))[3] == 0


@pytest.mark.parametrize(("claimed", "expected"), [
    ((100_000, 100_000), "larger than 50 megapixels"),  # Pillow's own bomb check
    ((9000, 8000), "is 9000 x 8000 px; at most 50 megapixels"),
])
def test_a_huge_claimed_size_is_refused_before_decoding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claimed: tuple[int, int],
        expected: str) -> None:
    def never(*_: object) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    image = tmp_path / "bomb.png"
    image.write_bytes(_png_claiming(*claimed))
    with pytest.raises(InputError, match=expected):
        load_signature_image(str(image))


def test_an_svg_keeps_its_own_limits(tmp_path: Path) -> None:
    image = tmp_path / "big.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">'
                     + "<!-- padding -->" * 140_000 + "</svg>", "utf-8")
    with pytest.raises(InputError, match=r"is an SVG of 2\.1 MiB; at most 2 MiB"):
        load_signature_image(str(image))


# --- The signature stamp in the letter's language ----------------------------------------

@pytest.mark.parametrize(("lang", "signed_by", "date"), [
    ("de", "Digital signiert von Jane Doe", r"Datum: \d{1,2}\. \w+ \d{4}, \d\d:\d\d:\d\d"),
    ("el", "Υπογράφηκε ψηφιακά από Jane Doe", r"Ημερομηνία: \d{1,2} \w+ \d{4}"),
    ("en", "Digitally signed by Jane Doe", r"Date: \d{1,2} \w+ \d{4}, \d\d:\d\d:\d\d"),
])
def test_the_signature_stamp_is_in_the_letters_language(
        run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki, lang: str,
        signed_by: str, date: str) -> None:
    password = tmp_path / "password"
    password.write_bytes(PASSWORD)
    out = tmp_path / "signed.pdf"
    result = run("letter", *BASE_ARGS, "--country", "DE", "--lang", lang, "--ground",
                 "old-content", "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                 str(password), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = PdfReader(out).pages[-1]
    [widget] = [annotation.get_object() for annotation in page["/Annots"]]
    first, second = page.extract_xform_text(widget["/AP"]["/N"].get_object()).splitlines()
    assert first == signed_by
    assert re.match(date, second), second
