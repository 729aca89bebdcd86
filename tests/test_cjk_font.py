"""Traditional Chinese (Hong Kong) in the letter: subsets of Noto Serif CJK HK beside Noto
Serif (objection/assets/fonts, built by scripts/subset-cjk-font). Chinese text is accepted and
printed, Latin text in a Chinese letter stays in Noto Serif, and a character outside the subset
is refused with the usual reason."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader

from objection.errors import InputError
from objection.fonts import coverage, text_width, unprintable
from objection.request import make_request
from tests.conftest import BASE_ARGS, assert_contains, pdf_text

TITLE = "《個人資料（私隱）條例》第2(3)條 — 撤回同意通知，陳大文"
# Characters Big5 level 1 lacks, which Hong Kong addresses and names need (HK_SUPPLEMENT).
ADDRESS = "香港九龍深水埗石硤尾邨美笙樓12樓1234室"
RARE = "堃"  # U+5803, a name character outside the subset (Big5 level 2)
BASE = {"name": "Jane Doe", "email": "jane@example.org", "country": "IE",
        "ground": "old-content", "date": "2026-11-23", "lang": "en"}


def _render(body: str, lang: str = "zh-Hant-HK") -> bytes:
    from objection.pdf import html_to_pdf

    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title>'
            f'</head><body><div class="body">{body}</div></body></html>')
    return html_to_pdf(html, "data.json", b"{}", "data", dt.date(2026, 11, 23)).data


def _fonts(pdf: bytes) -> set[str]:
    """The fonts the pages use, without the subset prefix; each must be an embedded subset."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            prefix, _, name = str(font["/BaseFont"]).lstrip("/").partition("+")
            assert len(prefix) == 6 and name, f"{font['/BaseFont']} is not a subset"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert {"/FontFile2", "/FontFile3"} & set(descriptor.get_object()), name
            names.add(name)
    return names


def test_chinese_text_is_printable() -> None:
    assert unprintable(TITLE) == []
    assert unprintable(ADDRESS + " 冼鄺鄔 衞着綫") == []
    assert unprintable("陳\u3000大文") == []  # the ideographic space


def test_every_common_character_is_printable() -> None:
    """Big5 level 1 (0xA440-0xC67E), the common Traditional Chinese characters."""
    common = {bytes((lead, trail)).decode("big5") for lead in range(0xA4, 0xC7)
              for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
              if 0xA440 <= (lead << 8 | trail) <= 0xC67E}
    assert len(common) == 5401
    assert {ch for ch in common if ord(ch) not in coverage()} == set()


@pytest.mark.parametrize(("text", "missing"), [
    (f"陳{RARE}", [RARE]), ("𠮷野家", ["𠮷"]), ("김민준", ["김", "민", "준"]),
    ("ひらがな", ["ひ", "ら", "が", "な"]),
])
def test_characters_outside_the_subset_are_unprintable(text: str, missing: list[str]) -> None:
    assert unprintable(text) == missing


def test_a_rare_character_is_refused_with_the_usual_reason() -> None:
    with pytest.raises(InputError) as refused:
        make_request({**BASE, "name": f"陳{RARE}"})
    assert str(refused.value) == (
        "name: contains U+5803, which the letter's font cannot print; it covers the Latin, "
        "Greek and Cyrillic scripts and common Traditional Chinese characters")
    assert make_request({**BASE, "name": "陳大文", "address": ADDRESS}).name == "陳大文"


def test_an_ideograph_is_one_em_wide() -> None:
    assert text_width("陳大文", 10) == pytest.approx(30)
    assert text_width("陳大文", 10, bold=True) == pytest.approx(30)
    assert text_width("陳 A", 10) == pytest.approx(10 + text_width(" A", 10))


def test_chinese_text_round_trips_through_the_pdf() -> None:
    pdf = _render(f'<h1 class="subject">{TITLE}</h1><p>{ADDRESS}，Jane\u3000Doe。</p>'
                  "<blockquote>「我不同意把我的資料用於訓練人工智能。」</blockquote>")
    lines = pdf_text(pdf).splitlines()
    assert lines[0] == TITLE
    assert lines[2] == "「我不同意把我的資料用於訓練人工智能。」"
    # An ideographic space among Latin letters: the Latin face has none, HarfBuzz sets a space
    # of 1 em instead (pypdf reads it back with a space after it).
    assert_contains(lines[1], f"{ADDRESS}，Jane\u3000Doe。")
    assert _fonts(pdf) == {"Letter-Serif", "Letter-Serif-Bold", "Letter-Serif-CJK",
                           "Letter-Serif-CJK-Bold"}


def test_latin_text_in_a_chinese_letter_stays_in_noto_serif() -> None:
    assert _fonts(_render("<p>Jane Doe, 23 November 2026</p>")) == {"Letter-Serif"}


def test_a_quotation_in_chinese_is_upright() -> None:
    """Chinese has no italics, nor do the CJK faces: the quotation's Latin words are upright
    too; in the English translation a quotation stays italic, its ideographs upright."""
    # (Letter-Serif is also the page number's.)
    assert _fonts(_render("<blockquote>「我不同意」 in my words</blockquote>")) == {
        "Letter-Serif", "Letter-Serif-CJK"}
    assert _fonts(_render("<blockquote>陳大文 in my words</blockquote>", lang="en")) == {
        "Letter-Serif", "Letter-Serif-Italic", "Letter-Serif-CJK"}


def test_an_english_letter_prints_a_chinese_name_and_address(
        run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = run("letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content",
                 "--name", "陳大文", "--address", ADDRESS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert_contains(pdf_text(out.read_bytes()), "陳大文", ADDRESS)
