"""Turn the letter body's small HTML subset into text wrapped for pasting into a form.

The body template is the only source of the letter's wording; this keeps the text
version from needing a second copy of it. Block tags (p, h2, li, blockquote, the
signature line) start a new block; inline tags (span) only carry text.
"""

import html
import re
import unicodedata
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
    return "\n\n".join(fill_block(block) for block in blocks)


@lru_cache(maxsize=256)
def prewrapped(markup: str, variable: str) -> tuple[str | Block, ...]:
    """The body's blocks, with each run of blocks that do not contain `variable` already
    wrapped and joined; only the blocks that do are left to wrap for each letter."""
    pieces: list[str | Block] = []
    run: list[Block] = []
    for block in body_blocks(markup):
        if variable in block.text:
            pieces.extend([join_blocks(run), block] if run else [block])
            run = []
        else:
            run.append(block)
    if run:
        pieces.append(join_blocks(run))
    return tuple(pieces)


def fill_block(block: Block) -> str:
    if block.text == SIGNATURE_SPACE:
        return block.text
    return _fill(block.text, block.indent + block.marker, block.indent + " " * len(block.marker))


@lru_cache(maxsize=256)
def wrap(text: str) -> str:
    """A line of the text letter (its subject, the same for a kind of letter) wrapped like
    the body."""
    return _fill(text, "", "")


def _words(text: str) -> list[str]:
    """The units a line may break between: words, except that a number stays with the word
    before it, so that no line starts with "3." (read as a list item when the text is pasted
    into a form) and no citation is cut before its number ("Art. 12(3)", "section 2")."""
    words: list[str] = []
    for word in _ASCII_SPACE.split(text.strip(" \t\n\r\f\v")):
        if words and word[:1].isdigit():
            words[-1] += " " + word
        else:
            words.append(word)
    return words


# Chinese text has no spaces: a line may break between any two ideographs, but not before
# closing punctuation nor after opening punctuation (the usual kinsoku rules).
_CLOSING = frozenset("。，、；：？！」』）》〉】〕”’…・")
_OPENING = frozenset("「『（《〈【〔“‘")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


# Chinese puts no space between sentences or around its punctuation: the spaces that join
# the wording's sentences (and a ground's "In my case:") are dropped between two ideographs
# or full-width signs, and after a full-width sign ("。 LinkedIn"), before anything but a tag.
_SPACE_IN_CHINESE = re.compile(r"(?<=[\u3000-\u303f\uff00-\uffef])[ \n]+(?=[^ \n<])|"
                               r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \n]+"
                               r"(?=[\u3000-\u9fff\uff00-\uffef])")


def close_chinese_spaces(text: str) -> str:
    """Text (or the body's HTML) of a Chinese letter or message without those spaces."""
    return _SPACE_IN_CHINESE.sub("", text)


def has_wide(text: str) -> bool:
    """Whether the text has Chinese (or other double-width) characters in it."""
    return not text.isascii() and any(_wide(char) for char in text)


def fill_wide(text: str, first_indent: str, indent: str, width: int = WIDTH) -> str:
    """Greedy wrapping for text with Chinese in it, at `width` columns counted as a terminal
    shows them (an ideograph takes two); breaks at spaces and between ideographs."""
    units: list[str] = []  # spaces, single wide characters, and runs of the others
    for char in close_chinese_spaces(_ASCII_SPACE.sub(" ", text.strip())):
        if units and char != " " and not _wide(char) and units[-1] != " " \
                and not _wide(units[-1][-1]):
            units[-1] += char
        else:
            units.append(char)
    lines: list[str] = []
    line, prefix, previous = "", first_indent, ""
    for unit in units:
        if unit == " ":
            previous = " "
            continue
        spaced = previous == " "
        breakable = spaced or _may_break(line, unit)
        piece = (" " if spaced and line else "") + unit
        if line and _columns(prefix + line + piece) > width:
            keep = len(line) if breakable else _carry_from(line)
            if keep:
                lines.append(prefix + line[:keep])
                line, prefix = line[keep:] + unit, indent
            else:
                line += piece
        else:
            line += piece
        previous = unit
    if line:
        lines.append(prefix + line)
    return "\n".join(lines)


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next begin with `after` (no space
    between them): not before a closing sign or after an opening one, not inside a title
    (《私隱條例》), and not inside a citation's number (第 19(1) 條, 第 3(1) 原則)."""
    last, first = before[-1:], after[:1]
    if not last or first in _CLOSING or last in _OPENING:
        return False
    if before.count("《") > before.count("》"):
        return False
    if (last == "第" and not _wide(first)) or (not _wide(last) and first in "條原段款"):
        return False
    return _wide(last) or _wide(first)


def _carry_from(line: str) -> int:
    """Where to end a full line when the next unit may not start a line: the last place in
    it where a line may end (_may_break), or 0 where there is none (a line of one word)."""
    for keep in range(len(line) - 1, 0, -1):
        if _may_break(line[:keep], line[keep:]):
            return keep
    return 0


def _columns(text: str) -> int:
    return sum(2 if _wide(char) else 1 for char in text)


def _fill(text: str, first_indent: str, indent: str) -> str:
    """Greedy wrapping at WIDTH columns, breaking only at ASCII whitespace (never at a
    no-break space or a hyphen) and never inside a word: what textwrap.fill does with
    break_long_words=False and break_on_hyphens=False (a test holds it to that), at a
    quarter of the cost, which counts when a batch wraps each sender's own paragraphs;
    a space before a number is kept (see `_words`). Text with Chinese in it: fill_wide."""
    if has_wide(text):
        return fill_wide(text, first_indent, indent)
    lines: list[str] = []
    line, prefix = "", first_indent
    for word in _words(text):
        if line and len(prefix) + len(line) + 1 + len(word) > WIDTH:
            lines.append(prefix + line)
            line, prefix = word, indent
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(prefix + line)
    return "\n".join(lines)
