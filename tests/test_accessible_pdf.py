"""Accessible letters (issue 13): tagged PDF/A-3a with a reading order, the languages of the
letter and of its English translation, and alternative text for the signature image; signing
keeps all of it, and `objection verify` still accepts the signed letter."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import Image, ImageDraw
from pypdf import PdfReader

from objection.cli import cli
from objection.verify import squeeze
from tests.certificates import PASSWORD, ThrowawayPki
from tests.conftest import BASE_ARGS

ARGS = [*BASE_ARGS, "--country", "DE", "--lang", "de", "--ground", "old-content", "--bilingual",
        "--address", "Musterstraße 1", "--address", "10115 Berlin"]
SUBJECT_DE = "Widerspruch nach Art. 21 Abs. 1 DSGVO"
SUBJECT_EN = "Objection under Art. 21(1) GDPR"


def _letter(out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["letter", *ARGS, *extra, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def signature_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    image = Image.new("RGBA", (600, 150), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 120), (200, 30), (400, 110), (590, 40)],
                               fill=(20, 20, 120, 255), width=6)
    path = tmp_path_factory.mktemp("img") / "signature.png"
    image.save(path)
    return path


@pytest.fixture(scope="module")
def tagged_pdf(signature_png: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _letter(tmp_path_factory.mktemp("tagged") / "letter.pdf",
                   "--signature-image", str(signature_png))


@pytest.fixture(scope="module")
def signed_pdf(pki: ThrowawayPki, signature_png: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    (folder / "password.txt").write_bytes(PASSWORD + b"\n")
    return _letter(folder / "signed.pdf", "--signature-image", str(signature_png),
                   "--sign-p12", str(pki.signer_p12),
                   "--p12-password-file", str(folder / "password.txt"))


@pytest.fixture(params=["unsigned", "signed"])
def letter_pdf(request: pytest.FixtureRequest) -> Path:
    path: Path = request.getfixturevalue("signed_pdf" if request.param == "signed"
                                         else "tagged_pdf")
    return path


@dataclass
class Element:
    """A structure element: its type, its language (its own /Lang or its parent's), its
    alternative text, its depth, the page it starts on and the text of its content."""

    role: str
    lang: str
    alt: str | None
    depth: int
    page: int
    text: str = ""


def _marked_text(page: Any) -> dict[int, str]:
    """The text drawn in each marked-content sequence of the page, by MCID."""
    texts: dict[int, str] = {}
    open_ids: list[int | None] = []

    def operator(op: bytes, operands: list[Any], *_: object) -> None:
        if op == b"BDC":
            properties = operands[1] if len(operands) > 1 else {}
            open_ids.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif op == b"BMC":
            open_ids.append(None)
        elif op == b"EMC":
            open_ids.pop()

    def text(chunk: str, *_: object) -> None:
        mcid = next((mcid for mcid in reversed(open_ids) if mcid is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + chunk

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


def tag_tree(path: Path) -> tuple[Any, list[Element], list[dict[int, str]]]:
    """The catalog, the structure elements in reading (tree) order, and each page's marked
    texts (MCID → text)."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    page_numbers = {page.indirect_reference.idnum: number
                    for number, page in enumerate(reader.pages)}
    marked = [_marked_text(page) for page in reader.pages]
    elements: list[Element] = []

    def visit(node: Any, lang: str, depth: int, page: int) -> str:
        node = node.get_object()
        if "/Pg" in node:
            page = page_numbers[node.raw_get("/Pg").idnum]
        element = Element(str(node["/S"]), str(node.get("/Lang", lang)),
                          str(node["/Alt"]) if "/Alt" in node else None, depth, page)
        elements.append(element)
        kids = node.get("/K", [])
        parts = [marked[page].pop(kid, "") if isinstance(kid, int)
                 else visit(kid, element.lang, depth + 1, page)
                 for kid in (kids if isinstance(kids, list) else [kids])]
        element.text = "\n".join(part.strip() for part in parts if part.strip())
        return element.text

    [document] = catalog["/StructTreeRoot"]["/K"]
    visit(document, str(catalog["/Lang"]), 0, 0)
    return catalog, elements, marked


def _xmp(catalog: Any) -> bytes:
    data: bytes = catalog["/Metadata"].get_object().get_data()
    return data


def test_letter_is_tagged_pdfa_3a_in_the_letter_language(letter_pdf: Path) -> None:
    catalog, elements, _ = tag_tree(letter_pdf)
    assert catalog["/MarkInfo"]["/Marked"].value is True  # a BooleanObject
    assert catalog["/Lang"] == "de"
    assert elements[0].role == "/Document"
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Figure"} <= {e.role for e in elements}
    xmp = _xmp(catalog)
    assert re.search(rb"pdfaid:part(>|=\")3<?", xmp), xmp
    assert re.search(rb"pdfaid:conformance(>|=\")A", xmp), xmp


def test_reading_order_is_the_order_on_the_page(tagged_pdf: Path) -> None:
    """Letterhead, address, reference and date, subject, body, closing, signature: the order
    a reader sees, although the head is drawn after the body."""
    _, elements, unread = tag_tree(tagged_pdf)
    first_page = [e for e in elements if e.page == 0]
    # The leaves (elements with text of their own) in tree order: what a screen reader says.
    read = "\n".join(e.text for e in first_page if e.text and e.role in ("/Span", "/Figure"))
    order = ["Jane Doe", "Musterstraße 1", "LinkedIn Ireland Unlimited Company", "OBJ-",
             "jane@example.org", "23. November 2026", SUBJECT_DE, "Sehr geehrte Damen und Herren"]
    positions = [squeeze(read).find(squeeze(phrase)) for phrase in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    # The subject is the heading, the salutation its first paragraph; the body's sections
    # are headings of the next level.
    headings = [e for e in first_page if e.role == "/H1"]
    assert squeeze(SUBJECT_DE) in squeeze(headings[0].text)
    after_subject = first_page[first_page.index(headings[0]):]
    assert next(e for e in after_subject if e.role == "/P").text == "Sehr geehrte Damen und Herren,"
    assert any(e.role == "/H2" and "Gegenstand des Widerspruchs" in e.text for e in elements)
    # Closing, signature image, typed name, in this order, in the German letter.
    german = [e for e in elements if e.lang == "de"]
    closing = next(i for i, e in enumerate(german) if e.role == "/P"
                   and e.text == "Mit freundlichen Grüßen")
    figure = next(i for i, e in enumerate(german) if e.role == "/Figure")
    name = next(i for i, e in enumerate(german) if e.role == "/P" and e.text == "Jane Doe")
    assert closing < figure < name
    # Nothing on the pages is left out of the tree but the page numbers ("1 / 3").
    pages = len(unread)
    assert [sorted(text.strip() for text in texts.values()) for texts in unread] == [
        [f"{number} / {pages}"] for number in range(1, pages + 1)]


def test_translation_is_marked_as_english(letter_pdf: Path) -> None:
    _, elements, _ = tag_tree(letter_pdf)
    [german_subject] = [e for e in elements if e.role == "/H1" and e.lang == "de"]
    [english_subject] = [e for e in elements if e.role == "/H1" and e.lang == "en"]
    assert squeeze(SUBJECT_DE) in squeeze(german_subject.text)
    assert squeeze(SUBJECT_EN) in squeeze(english_subject.text)
    # The translation's own element says so (a screen reader switches voice there), on
    # each page it continues on; the original letter's elements carry no language of
    # their own but the document's.
    translation = [e for e in elements if e.depth == 1 and e.lang == "en"]
    assert translation and all(e.role == "/Div" for e in translation)
    assert "Dear Sir or Madam," in translation[0].text
    assert "Yours faithfully," in translation[-1].text
    assert "Sehr geehrte Damen und Herren," not in "".join(e.text for e in translation)
    assert all(e.lang == "de" for e in elements[:elements.index(translation[0])])


def test_signature_image_has_alternative_text_in_the_letter_language(letter_pdf: Path) -> None:
    _, elements, _ = tag_tree(letter_pdf)
    [figure] = [e for e in elements if e.role == "/Figure"]
    assert figure.alt == "Handschriftliche Unterschrift von Jane Doe"


def test_alternative_text_keeps_the_name_as_typed(signature_png: Path, tmp_path: Path) -> None:
    name = "Anna \"Nan\" <O'Brien> & Söhne"
    path = _letter(tmp_path / "letter.pdf", "--name", name, "--lang", "fr",
                   "--signature-image", str(signature_png))
    catalog, elements, _ = tag_tree(path)
    assert catalog["/Lang"] == "fr"
    [figure] = [e for e in elements if e.role == "/Figure"]
    assert figure.alt == f"Signature manuscrite de {name}"


def _verify(path: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["verify", str(path), *extra])


def test_verify_accepts_the_signed_tagged_letter(signed_pdf: Path, pki: ThrowawayPki) -> None:
    assert "/StructTreeRoot" in PdfReader(signed_pdf).trailer["/Root"]
    result = _verify(signed_pdf)
    assert result.exit_code == 3, result.output  # intact, the signer not verified
    result = _verify(signed_pdf, "--trust-root", str(pki.root_pem))
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output
