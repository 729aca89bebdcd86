"""The one error type for bad input: the CLI turns it into exit status 2."""


class InputError(ValueError):
    """A value the user gave is unusable.

    The message names the field and the value and says what is expected, in one line,
    so that a batch report and the command line can show the same reason.
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        shown = _shorten(str(value))
        super().__init__(f"{field} {shown!r}: {expected}" if shown else f"{field}: {expected}")


def _shorten(text: str, limit: int = 60) -> str:
    """Keep a one-line message one line, whatever the user typed."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
