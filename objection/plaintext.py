"""Turn the letter body's small HTML subset into text wrapped for pasting into a form.

The body template is the only source of the letter's wording; this keeps the text
version from needing a second copy of it.
"""

import re
import textwrap
from html.parser import HTMLParser

WIDTH = 72
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


class _BodyToText(HTMLParser):
    """Collects blocks (p, h2, li) with their indentation and list markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._quote = 0
        self._marker = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ol", "ul"):
            self._flush()
        elif tag == "li":
            self._flush()
            # Numbered items carry their marker (in the letter's alphabet) in data-marker.
            marker = dict(attrs).get("data-marker")
            self._marker = f"{marker} " if marker else "- "
        elif tag == "blockquote":
            self._flush()
            self._quote += 1
        elif tag in ("p", "h2", "br"):
            self._flush()
        elif tag == "div" and ("class", "signature-line") in attrs:
            self._flush()
            self.blocks.append("\n")  # room for a handwritten signature

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag == "blockquote":
            self._quote -= 1

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def _flush(self) -> None:
        # Collapse ASCII whitespace only: a translation's no-break spaces (French "« »",
        # "art.\u00a012") must survive, and textwrap never breaks at them.
        text = " ".join(_ASCII_SPACE.split("".join(self._text).strip(" \t\n\r\f\v")))
        self._text = []
        if not text:
            return
        indent = "    " * self._quote
        marker, self._marker = self._marker, ""
        hanging = indent + " " * len(marker)
        self.blocks.append(textwrap.fill(
            text, WIDTH, initial_indent=indent + marker, subsequent_indent=hanging,
            break_long_words=False, break_on_hyphens=False))


def body_to_text(html: str) -> str:
    parser = _BodyToText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks)
