"""Turn the letter body's small HTML subset into text wrapped for pasting into a form.

The body template is the only source of the letter's wording; this keeps the text
version from needing a second copy of it. Block tags (p, h2, li, blockquote, the
signature line) start a new block; inline tags (span) only carry text.
"""

import html
import re
import textwrap
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

WIDTH = 72
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
_MARKER = re.compile(r'data-marker="([^"]*)"')
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BLOCK_TAGS = {"p", "h2", "li", "ol", "ul", "blockquote", "div", "br"}
SIGNATURE_SPACE = "\n"


class Block(NamedTuple):
    text: str
    indent: str = ""
    marker: str = ""


@lru_cache(maxsize=256)
def body_blocks(markup: str) -> tuple[Block, ...]:
    """The blocks of the body, in order, as unwrapped text."""
    blocks: list[Block] = []
    pieces: list[str] = []
    quote, marker = 0, ""

    def flush() -> None:
        nonlocal marker
        # Collapse ASCII whitespace only: a translation's no-break spaces (French "« »",
        # "art.\u00a012") must survive, and textwrap never breaks at them.
        text = _ASCII_SPACE.sub(" ", html.unescape("".join(pieces))).strip(" ")
        pieces.clear()
        if text:
            blocks.append(Block(text, "    " * quote, marker))
            marker = ""

    position = 0
    for match in _TAG.finditer(markup):
        pieces.append(markup[position:match.start()])
        position = match.end()
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if tag not in _BLOCK_TAGS:
            continue
        flush()
        if closing:
            quote -= tag == "blockquote"
        elif tag == "blockquote":
            quote += 1
        elif tag == "li":
            found = _MARKER.search(attributes)  # numbered items carry their own marker
            marker = html.unescape(found.group(1)) + " " if found else "- "
        elif tag == "div" and 'class="signature-line"' in attributes:
            blocks.append(Block(SIGNATURE_SPACE))  # room for a handwritten signature
    pieces.append(markup[position:])
    flush()
    return tuple(blocks)


def join_blocks(blocks: Iterable[Block]) -> str:
    return "\n\n".join(block.text if block.text == SIGNATURE_SPACE else _fill(*block)
                       for block in blocks)


def wrap(text: str) -> str:
    """A line of the text letter (its subject) wrapped like the body."""
    return _fill(text, "", "")


@lru_cache(maxsize=8192)
def _fill(text: str, indent: str, marker: str) -> str:
    """Wrap one block; most blocks repeat from letter to letter, so results are kept."""
    return textwrap.fill(text, WIDTH, initial_indent=indent + marker,
                         subsequent_indent=indent + " " * len(marker),
                         break_long_words=False, break_on_hyphens=False)
