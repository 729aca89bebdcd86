"""The text letter's wrapping: the same lines as textwrap, which it replaces for speed."""

import re
import textwrap
import unicodedata

import pytest

from objection.body import body_html
from objection.compose import compose
from objection.plaintext import SIGNATURE_SPACE, WIDTH, Block, body_blocks, fill_block, wrap
from objection.request import make_request
from tests.test_languages import ALL_LANGUAGES, _country_for


def _reference(text: str, first: str, rest: str) -> str:
    """textwrap, with a space before a number made unbreakable (as the letter keeps it)."""
    glued = re.sub(r" (?=\d)", "\x00", text)
    return textwrap.fill(glued, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False).replace("\x00", " ")


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_every_block_wraps_as_textwrap_would(lang: str) -> None:
    request = make_request({"name": "Jane Doe", "email": "jane@example.org",
                            "country": _country_for(lang), "lang": lang,
                            "ground": ["old-content", "journalist"],
                            "profile_url": "https://www.linkedin.com/in/jane-doe-1234567890",
                            "situation": "A long word: " + "x" * 90 + " ends here."})
    letter = compose(request)
    blocks = [b for b in body_blocks(body_html(letter)) if b.text != SIGNATURE_SPACE]
    # Every shape of block is held to textwrap: list items with markers, the quoted
    # situation (indented), plain paragraphs, and the typed name at the end.
    assert any(block.marker for block in blocks) and any(block.indent for block in blocks)
    assert blocks[-1].text == "Jane Doe"
    for block in blocks:
        marker = block.indent + block.marker
        if lang.startswith("zh"):  # textwrap cannot wrap Chinese: see the test below
            _assert_wrapped_as_chinese(fill_block(block), marker + block.text)
            continue
        expected = _reference(block.text, marker, block.indent + " " * len(block.marker))
        assert fill_block(block) == expected
    if not lang.startswith("zh"):
        assert wrap(letter.subject) == _reference(letter.subject, "", "")


def _assert_wrapped_as_chinese(filled: str, text: str) -> None:
    """Lines of at most WIDTH columns (an ideograph takes two), none starting with closing
    punctuation or ending with opening punctuation, and nothing lost but spaces."""
    lines = filled.split("\n")
    for line in lines:
        columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        assert columns <= WIDTH or " " not in line.strip(), line
        assert line.strip()[:1] not in "。，、；：）」』" and line[-1:] not in "（「『", line
    assert "".join(filled.split()) == "".join(text.split())


def test_chinese_wraps_between_ideographs() -> None:
    text = ("本人謹藉本書面通知，撤回貴公司可能認為本人曾就將本人的個人資料用於下列人工智能目的"
            "而給予的任何同意（《私隱條例》第2(3)條）。本人的LinkedIn帳戶以電郵地址 "
            "chan@example.org 登記。")
    filled = fill_block(Block(text))
    assert len(filled.split("\n")) == 3
    _assert_wrapped_as_chinese(filled, text)
    assert "chan@example.org" in filled  # a Latin word is never cut


@pytest.mark.parametrize("text", [
    "word", "x" * 100, "art.\u00a012 and « quoted\u00a0» text " * 6,
    "well-known hyphen-ated words that must not break at hyphens " * 3,
    "xxxx section 3. Please acknowledge receipt within 30 days. " * 3,  # wraps before "3."
])
def test_edge_cases_wrap_as_textwrap_would(text: str) -> None:
    # Text as body_blocks gives it: single spaces between words.
    assert wrap(text) == _reference(text, "", "")
    assert not any(line[:1].isdigit() for line in wrap(text).splitlines()[1:])
