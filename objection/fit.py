"""What must fit before the renderer lays anything out: the letterhead above the envelope's
window, the return address and the recipient in it.

A name or an address line may be long (120 and 100 characters), but the letterhead has
27 mm above the window and a return line 80 mm: the letterhead takes a smaller size, the
return address two lines and shorter forms. The recipient has six lines of the window; where
the addressee's "for the attention of" takes two (in French, Italian ...), its lines are
set closer. All measured with the font's own widths (objection/fonts.py); the sizes and
widths here are those of templates/letter.css.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from objection.errors import InputError
from objection.fonts import text_width
from objection.model import Letter

MM = 72 / 25.4  # points
LINE_HEIGHT = 1.22  # html's line-height in letter.css
TEXT_WIDTH = 165 * MM  # A4 less the 25 mm and 20 mm margins
LETTERHEAD_HEIGHT = 26 * MM  # 27 mm to the window's top, less 1 mm to keep them apart
# (class, name size, address size in points), the first that fits is used.
LETTERHEAD_SIZES = (("regular", 14.0, 9.0), ("compact", 12.0, 8.0), ("tight", 10.0, 7.0))
WINDOW_WIDTH = 80 * MM  # the recipient's and return address's width in the window
RECIPIENT_PT = 10.0
RECIPIENT_LINES = 6  # at 10 pt with line-height 1.2 in the window's 27.3 mm; 7 set closer
RETURN_LINE_PT = 7.0
RETURN_LINE_WIDTH = 78 * MM  # the 80 mm line, less 2 mm to be safe
SEPARATOR = " · "
ELLIPSIS = "…"


@dataclass(frozen=True)
class Head:
    """How the letter's head is set: the letterhead's and the recipient's size classes, the
    return address's lines."""

    letterhead: str
    return_lines: tuple[str, ...]
    recipient: str


def head(letter: Letter) -> Head:
    request = letter.request
    lines = sum(_line_count(line, RECIPIENT_PT, width=WINDOW_WIDTH)
                for line in letter.recipient_lines)
    return Head(letterhead_size(request.name, request.address),
                return_lines(request.name, request.address),
                "regular" if lines <= RECIPIENT_LINES else "compact")


def letterhead_size(name: str, address: tuple[str, ...]) -> str:
    """The largest size at which name and address fit above the window."""
    joined = SEPARATOR.join(address)
    for size_class, name_pt, address_pt in LETTERHEAD_SIZES:
        height = _line_count(name, name_pt, bold=True) * name_pt
        if joined:
            height += _line_count(joined, address_pt) * address_pt
        if height * LINE_HEIGHT <= LETTERHEAD_HEIGHT:
            return size_class
    raise InputError("address", " / ".join(address), "is too long to fit above the envelope "
                     "window with the name; shorten the address lines")


def return_lines(name: str, address: tuple[str, ...]) -> tuple[str, ...]:
    """Name and address on one line of the window; if they do not fit, the name on a line
    of its own above the address (DIN 5008 lets the return address take lines of the zone
    above the recipient). A line that is still too long is shortened: the given names to
    initials, the address's first lines left out (street, town and country come last);
    failing that, cut after a whole word, with an ellipsis."""
    one_line = SEPARATOR.join([name, *address])
    if _fits(one_line):
        return (one_line,)
    lines = [_shortest(_name_forms(name))]
    if address:
        lines.append(_shortest(SEPARATOR.join(address[start:])
                               for start in range(max(len(address) - 1, 1))))
    return tuple(lines)


def _shortest(forms: Iterable[str]) -> str:
    """The first form that fits, else the last one cut to fit."""
    text = ""
    for text in forms:
        if _fits(text):
            return text
    words = text.split(" ")
    while len(words) > 1 and not _fits(" ".join(words) + ELLIPSIS):
        words.pop()
    text = " ".join(words).rstrip(" ·,")
    while text and not _fits(text + ELLIPSIS):  # a single word too long for the line
        text = text[:-1]
    return text + ELLIPSIS


def _name_forms(name: str) -> Iterator[str]:
    words = name.split()
    yield name
    for index in range(len(words) - 1):  # the last word is kept whole: it is the surname
        words[index] = _initials(words[index])
        yield " ".join(words)


def _initials(word: str) -> str:
    """Maximiliane → M., Jean-Pierre → J.-P.; a short word, an abbreviation or a word not
    starting with a letter is kept."""
    if len(word) <= 2 or word.endswith(".") or not word[0].isalpha():
        return word
    return "-".join(part[0] + "." for part in word.split("-") if part)


def _fits(text: str) -> bool:
    return text_width(text, RETURN_LINE_PT) <= RETURN_LINE_WIDTH


def _line_count(text: str, size_pt: float, bold: bool = False,
                width: float = TEXT_WIDTH) -> int:
    """Lines `text` takes in `width`, broken at spaces (the renderer can also break after
    hyphens, so it needs at most as many); a word wider than a line is broken in it."""
    count, used = 1, 0.0
    space = text_width(" ", size_pt, bold)
    for word in text.split():
        needed = text_width(word, size_pt, bold)
        if used and used + space + needed <= width:
            used += space + needed
            continue
        if used:
            count += 1
        whole, used = divmod(needed, width)
        count += int(whole)
    return count
