"""Values a lossy export damaged: flagged on their row rather than printed in a letter.

A spreadsheet saved in an encoding that lacks a letter writes '?' (or U+FFFD, the
replacement character) in its place: 'M?ller', 'J?rgen'. A UTF-8 file read as Windows-1252,
or saved so once, turns each such letter into two or three others: 'MÃ¼ller'. Neither can be
mended here (the letter is gone, or which encoding is meant is a guess), so the row is the
sender's to export again.
"""

import re
import unicodedata

from objection.errors import InputError

AGAIN = "export the sheet again as UTF-8 CSV or .xlsx"
_LETTER = r"[^\W\d_]"
# A '?' run between letters ('M?ller'), or opening a word ('?lker' for 'Ülker'); a '?' that
# stands alone or ends a word is punctuation.
_BETWEEN = re.compile(rf"{_LETTER}\?+{_LETTER}")
_OPENING = re.compile(rf"(?:^|(?<=\s))\?+{_LETTER}{{2}}")
# The text Windows-1252 makes of a UTF-8 sequence: a lead byte, then continuation bytes.
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]{{1,3}}")
_PUNCTUATION = "’‘“”„–—…€•"

# Columns whose text may hold a '?' of its own: an address's query string, a file's name;
# free text, where '?' opening a word is rather a typing slip than an export's.
_NOT_CHECKED = frozenset({"profile_url", "signature_image"})
_FREE_TEXT = frozenset({"situation", "fact"})


def damage(column: str, value: str) -> InputError | None:
    """Why `value` looks damaged by an export, or None. UTF-8 read as Windows-1252 is
    flagged only where the letters it stands for are UTF-8 ('Ã¼' is 'ü'), whatever the
    file's encoding: a UTF-8 file read with --encoding cp1252, or one saved after such a
    reading, which is UTF-8 again."""
    if column in _NOT_CHECKED:
        return None
    if "\ufffd" in value:
        return InputError(column, value, f"looks damaged by an export ('\ufffd' for a letter); "
                          f"{AGAIN}")
    if _BETWEEN.search(value) or (column not in _FREE_TEXT and _OPENING.search(value)):
        return InputError(column, value, f"looks damaged by an export ('?' for a letter); "
                          f"{AGAIN}")
    for match in _MOJIBAKE.finditer(value):
        if mended := _mended(match.group()):
            return InputError(column, value, f"looks damaged by an export ({mended}); "
                              f"{AGAIN}")
    return None


def _mended(text: str) -> str:
    """"'Ã¼' for 'ü'" if `text` starts with a UTF-8 letter read as Windows-1252, else ''."""
    for length in range(len(text), 1, -1):
        try:
            original = text[:length].encode("cp1252").decode("utf-8")
        except UnicodeError:
            continue
        if unicodedata.category(original)[0] == "L" or original in _PUNCTUATION:
            return f"'{text[:length]}' for '{original}'"
    return ""
