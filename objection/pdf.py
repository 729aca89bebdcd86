"""HTML → tagged PDF/A-3a with WeasyPrint, reading nothing but the package's own assets.

The only module that imports weasyprint (it costs most of a second to import). It sees no
font of the host: fontconfig reads objection's own configuration, which lists only the
package's fonts, so a letter looks the same on every machine (objection/fonts.py).
"""

import datetime as dt
import io
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from objection.fonts import FONTCONFIG_FILE, cannot_print

# Before WeasyPrint loads fontconfig; read again by each FontConfiguration (_stylesheet).
os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)

import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.pdf import tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from objection.errors import InputError
from objection.model import Enclosure, RenderedPdf, SignatureBox
from objection.resources import ASSETS_DIR, templates_dir

ASSET_SCHEME = "objection-asset:"
# Level A: tagged (a structure tree in reading order, the language, alternative text), so
# that a screen reader can read the letter; WeasyPrint tags when it writes level A.
PDF_VARIANT = "pdf/a-3a"
SIGNATURE_ANCHOR = "signature-line"  # the id of the signature line in body.html.j2
PX_TO_PT = 0.75  # CSS px (1/96 in) to PDF points (1/72 in)


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


class _CollectWarnings(logging.Handler):
    """WeasyPrint only logs a missing glyph or a refused resource; collect them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[_CollectWarnings]:
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
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
    stylesheet = CSS(string=css_text, font_config=fonts, url_fetcher=PackageOnlyFetcher())
    _remove_at_exit(getattr(fonts, "_folder", None))
    return stylesheet, fonts


def _with_language(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """WeasyPrint 70 gives the document's language (/Lang in the catalog, from <html lang>)
    but not that of a part in another language (the English translation of a letter): give
    the structure elements of an element with its own lang attribute their /Lang too."""

    def build_with_language(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        element = box.element
        lang = None if element is None or box.element_tag == "html" else element.get("lang")
        for structure in build(box, *args, **kwargs):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    return build_with_language


# _build_box_tree makes the structure elements of a box and, calling itself through this
# module attribute, of its descendants.
tags._build_box_tree = _with_language(tags._build_box_tree)


def _remove_at_exit(folder: Path | None) -> None:
    """WeasyPrint copies the fonts to a temporary folder (about 2 MB) that it removes only
    when its FontConfiguration is collected, which a worker process, ending with os._exit,
    never does (issue 12, item 19). multiprocessing's exit hook runs in this process at exit
    and in each worker when it ends."""
    import shutil
    from multiprocessing.util import Finalize

    if folder is not None:
        Finalize(None, shutil.rmtree, args=(str(folder),), kwargs={"ignore_errors": True},
                 exitpriority=0)


def html_to_pdf(html: str, data_name: str, data: bytes, data_description: str,
                date: dt.date, enclosures: tuple[Enclosure, ...] = ()) -> RenderedPdf:
    """Render one letter as tagged PDF/A-3a carrying `data` (the request, JSON) as an
    associated file, and its `enclosures` (LinkedIn's answer with a complaint) as others.

    `date` fixes the attachments' timestamps, so the same letter gives the same bytes.
    Without `data_name` the page carries no data (a cover sheet is not a letter).
    Any WeasyPrint warning (e.g. a missing glyph) is an error.
    """
    stylesheet, fonts = _stylesheet()
    stamp = dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)
    attachments = [Attachment(
        string=data.decode("utf-8"), name=data_name, relationship="Data",
        description=data_description,
        created=stamp, modified=stamp, url_fetcher=PackageOnlyFetcher())] if data_name else []
    attachments += [Attachment(
        file_obj=io.BytesIO(enclosure.data), name=enclosure.name, relationship="Supplement",
        description="An enclosure of the letter", created=stamp, modified=stamp,
        url_fetcher=PackageOnlyFetcher()) for enclosure in enclosures]
    options: dict[str, Any] = {"stylesheets": [stylesheet], "presentational_hints": False,
                               "pdf_variant": PDF_VARIANT, "attachments": attachments}
    with _weasyprint_warnings() as warnings:
        document = HTML(string=html, url_fetcher=PackageOnlyFetcher(), base_url=None).render(
            font_config=fonts, **options)
        pdf: bytes = document.write_pdf(**options)
    messages = [m for m in warnings.messages if not m.startswith(_SLOW_SUBSETTER)]
    missing = sorted({"U+" + match.group(1) for message in messages
                      if (match := _MISSING_GLYPH.search(message))})
    if missing:  # validation refuses such text first; this guards the templates' own text
        raise InputError("text", "", cannot_print(missing))
    if messages:
        # Other messages may quote letter text; keep personal data out of the error.
        raise RenderError(f"the PDF renderer reported {len(messages)} problem(s)")
    return RenderedPdf(pdf, _signature_box(document))


_MISSING_GLYPH = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
# Without libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools and says so for every
# font: slower, but the PDF is the same letter, so this one is not a problem with it.
_SLOW_SUBSETTER = "Using fontTools instead of HarfBuzz-Subset"


def _signature_box(document: Any) -> SignatureBox | None:
    """The rectangle of the element with id "signature-line", as laid out."""
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == SIGNATURE_ANCHOR:
                page_height = page.height * PX_TO_PT
                x1 = box.border_box_x() * PX_TO_PT
                top = page_height - box.border_box_y() * PX_TO_PT
                return SignatureBox(index, x1, top - box.border_height() * PX_TO_PT,
                                    x1 + box.border_width() * PX_TO_PT, top)
    return None
