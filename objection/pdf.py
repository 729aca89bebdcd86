"""HTML → PDF with WeasyPrint, reading nothing but the package's own assets.

The only module that imports weasyprint (it costs most of a second to import).
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from objection.errors import InputError
from objection.resources import ASSETS_DIR, templates_dir

ASSET_SCHEME = "objection-asset:"


class RenderError(RuntimeError):
    """The PDF could not be made as promised (a resource was refused, a glyph is missing)."""


class PackageOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves objection-asset: files from the package and data: URLs; refuses all else.

    Refusing raises FatalURLFetchingError, which stops the rendering (fail closed)
    instead of leaving a warning and a PDF without the resource.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False,
                         fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            path = (ASSETS_DIR / unquote(url.removeprefix(ASSET_SCHEME))).resolve()
            if path.is_relative_to(ASSETS_DIR) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        elif url.startswith("data:"):
            return super().fetch(url, headers)
        raise FatalURLFetchingError("refused to fetch a resource the package did not ship")


class _WarningsAsErrors(logging.Handler):
    """WeasyPrint only logs a missing glyph or a refused resource; collect them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[_WarningsAsErrors]:
    logger = logging.getLogger("weasyprint")
    handler = _WarningsAsErrors()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


@cache
def _stylesheet() -> tuple[CSS, FontConfiguration]:
    fonts = FontConfiguration()
    css_text = Path(templates_dir() / "letter.css").read_text(encoding="utf-8")
    return CSS(string=css_text, font_config=fonts, url_fetcher=PackageOnlyFetcher()), fonts


def html_to_pdf(html: str) -> bytes:
    """Render one letter. Any WeasyPrint warning (e.g. a missing glyph) is an error."""
    stylesheet, fonts = _stylesheet()
    with _weasyprint_warnings() as warnings:
        document = HTML(string=html, url_fetcher=PackageOnlyFetcher(), base_url=None)
        pdf: bytes = document.write_pdf(
            stylesheets=[stylesheet], font_config=fonts,
            presentational_hints=False,
        )
    missing = sorted({"U+" + match.group(1) for message in warnings.messages
                      if (match := _MISSING_GLYPH.search(message))})
    if missing:
        raise InputError("text", " ".join(missing), "contains characters the letter's font "
                         "cannot print; it covers Latin, Greek and Cyrillic scripts")
    if warnings.messages:
        # Other messages may quote letter text; keep personal data out of the error.
        raise RenderError(f"the PDF renderer reported {len(warnings.messages)} problem(s)")
    return pdf


_MISSING_GLYPH = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
