"""A resolved letter to the files asked for: text, PDF (signed if credentials are given).
The one place `objection letter` and `objection batch` render through.

The body comes from objection/body.py; the page layout (letterhead, address field,
subject line, translation on its own pages) from templates/letter.html.j2 or
templates/letter.txt.j2, the same for every kind of letter.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from objection.body import body_html, body_text
from objection.model import Enclosure, Letter, LetterRequest, RenderedPdf
from objection.templating import environment

if TYPE_CHECKING:
    from objection.signing import Credentials


def render_html(letter: Letter) -> str:
    """The full HTML page that the PDF is made from (with the translation on its own pages)."""
    return _page(letter, "letter.html.j2", body_html)


def render_text(letter: Letter) -> str:
    """The letter as UTF-8 text wrapped at 72 columns, ready to paste."""
    return _page(letter, "letter.txt.j2", body_text)


def _page(letter: Letter, layout: str, body: Callable[[Letter], str]) -> str:
    """The letter (and its translation) set in a page layout, each body in that form."""
    translation = letter.translation
    return environment(letter.catalog).get_template(layout).render(
        letter=letter, body=body(letter), translation=translation,
        translation_body=body(translation) if translation else "")


def attached(request: LetterRequest) -> tuple[Enclosure, ...]:
    """The files a letter's PDF carries besides its request data (a complaint's enclosures)."""
    return tuple(item for item in (request.answer, request.proof) if item is not None)


def render_pdf(letter: Letter, signed: bool = False) -> RenderedPdf:
    """The letter as tagged PDF/A-3a carrying its request data (signed: made to be signed next)."""
    from objection.pdf import html_to_pdf
    from objection.request_data import REQUEST_DATA_NAME, request_data

    return html_to_pdf(render_html(letter), REQUEST_DATA_NAME, request_data(letter, signed),
                       letter.kind.attachment_description, letter.request.date,
                       enclosures=attached(letter.request))


def render_files(letter: Letter, formats: tuple[str, ...],
                 credentials: "Credentials | None" = None,
                 tsa_url: str | None = None) -> dict[str, bytes]:
    """Suffix → content, in the order of `formats`. With credentials the PDF is signed
    (PAdES) on its signature line. (A batch's e-mail drafts and cover sheets are made from
    these by objection/batch.py.)"""
    text = render_text(letter).encode("utf-8") if "txt" in formats else b""
    pdf = _pdf(letter, credentials, tsa_url) if "pdf" in formats else b""
    return {fmt: pdf if fmt == "pdf" else text for fmt in formats}


def _pdf(letter: Letter, credentials: "Credentials | None", tsa_url: str | None) -> bytes:
    rendered = render_pdf(letter, signed=credentials is not None)
    if credentials is None:
        return rendered.data
    if rendered.signature_box is None:
        raise RuntimeError("the letter has no signature line to sign on")
    from objection.i18n import formatting_locale, translations
    from objection.signing import sign_pdf

    return sign_pdf(rendered.data, credentials, rendered.signature_box,
                    beside_image=letter.request.signature_image is not None,
                    reason=translations(letter.catalog).gettext(letter.kind.signing_reason),
                    catalog=letter.catalog,
                    locale=formatting_locale(letter.lang, letter.request.country),
                    tsa_url=tsa_url)
