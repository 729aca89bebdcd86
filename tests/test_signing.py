"""Signed letters: image on the signature line, PAdES signature, PDF/A with request data, verify."""

import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from PIL import Image, ImageDraw
from pypdf import PdfReader

from objection.model import Letter
from tests.certificates import PASSWORD, ThrowawayPki
from tests.conftest import BASE_ARGS

ARGS = [*BASE_ARGS, "--country", "DE", "--lang", "en", "--ground", "old-content"]


@pytest.fixture(scope="module")
def signature_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    image = Image.new("RGBA", (600, 150), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 120), (150, 30), (300, 110), (450, 40), (590, 100)],
                               fill=(20, 20, 120, 255), width=6)
    path = tmp_path_factory.mktemp("img") / "signature.png"
    image.save(path)
    return path


@pytest.fixture(scope="module")
def signed_pdf(pki: ThrowawayPki, password_file: Path, signature_png: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from objection.cli import cli

    out = tmp_path_factory.mktemp("signed") / "signed.pdf"
    result = CliRunner().invoke(cli, ["letter", *ARGS, "--signature-image", str(signature_png),
                                      "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                                      str(password_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_signature_is_intact_valid_and_trusted_by_pyhanko(signed_pdf: Path,
                                                          pki: ThrowawayPki) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    with signed_pdf.open("rb") as fh:
        [signature] = PdfFileReader(fh).embedded_signatures
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.root_pem))])
        status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert "/ETSI.CAdES.detached" in str(signature.sig_object["/SubFilter"])
    assert "Jane Doe" in status.signing_cert.subject.human_friendly


def _text_baselines(page: Any) -> dict[str, list[float]]:
    """Each line of text on the page, with the heights (points from the bottom) it is at."""
    lines: dict[str, list[float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            # The text's origin (tm's translation) in page space (through cm).
            lines.setdefault(text.strip(), []).append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return lines


def _image_boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """Where each image is drawn: its unit square under the transformation at its `Do`."""
    xobjects = page["/Resources"]["/XObject"]
    boxes = []

    def visit(operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
            corners = [(x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5])
                       for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))

    page.extract_text(visitor_operand_before=visit)
    return boxes


def test_signature_field_is_visible_on_the_signature_line_beside_the_image(
        signed_pdf: Path) -> None:
    reader = PdfReader(signed_pdf)
    last = reader.pages[-1]
    [widget] = [annot.get_object() for annot in last["/Annots"]]
    rect = [float(v) for v in widget["/Rect"]]
    (x1, x2), (y1, y2) = sorted(rect[0::2]), sorted(rect[1::2])
    assert x2 - x1 > 100 and y2 - y1 > 20          # a real, visible box
    # On the signature line: below the closing, above the typed name.
    lines = _text_baselines(last)
    [closing] = lines["Yours faithfully,"]
    typed_name = max(y for y in lines["Jane Doe"] if y < closing)  # not the sender's name
    assert typed_name < y1 < y2 < closing, (typed_name, (y1, y2), closing)
    # Beside the handwritten signature: on the same line, to its right, not over it.
    [(ix1, iy1, ix2, iy2)] = _image_boxes(last)
    assert typed_name < iy1 < iy2 < closing, "the image is on the signature line"
    assert iy1 < y2 and y1 < iy2, "the field and the image share the line"
    assert ix2 <= x1, f"the field ({x1}-{x2}) overlaps the image ({ix1}-{ix2})"


def test_signed_letter_stays_pdfa_3a_and_carries_request_data(signed_pdf: Path) -> None:
    data = signed_pdf.read_bytes()
    reader = PdfReader(signed_pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(>|=\")3", xmp)
    assert re.search(rb"pdfaid:conformance(>|=\")A", xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    request = json.loads(reader.attachments["objection-request.json"][0])
    assert request["format"] == "objection-request/1"
    assert request["sender"]["name"] == "Jane Doe" and request["signed"] is True
    assert request["controller"]["name"] == "LinkedIn Ireland Unlimited Company"
    assert data.count(b"%%EOF") >= 2, "signing is an incremental update"
    root = reader.trailer["/Root"]
    # WeasyPrint 70 lists the associated file twice in /AF; both entries are the same file.
    associated = root["/AF"][0].get_object()
    assert {spec.get_object()["/F"] for spec in root["/AF"]} == {"objection-request.json"}
    assert associated["/F"] == "objection-request.json"
    assert associated["/AFRelationship"] == "/Data"
    assert associated["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert "/Encrypt" not in reader.trailer and "/JavaScript" not in str(root.get("/Names", {}))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object().get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font.get_object())
            assert "/FontFile2" in descriptor["/FontDescriptor"], "every font is embedded"


def _verify(run: Callable[..., Result], path: Path, *extra: str) -> Result:
    return run("verify", str(path), *extra)


def test_verify_accepts_the_signed_letter(run: Callable[..., Result], signed_pdf: Path,
                                          pki: ThrowawayPki) -> None:
    result = _verify(run, signed_pdf, "--trust-root", str(pki.root_pem))
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "Jane Doe" in result.output
    assert "covers the whole file: yes" in result.output
    report = json.loads(_verify(run, signed_pdf, "--trust-root", str(pki.root_pem),
                                "--json").output)
    assert report["outcome"] == "valid" and report["signatures"][0]["trusted"] is True


def test_verify_without_trust_root_says_so_and_prints_no_traceback(signed_pdf: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "objection", "verify", str(signed_pdf)],
                          capture_output=True, text=True)
    assert done.returncode == 3, done.stderr  # intact, but nothing shows who signed it
    assert "chain: not checked (no --trust-root)" in done.stdout
    assert done.stderr == ""


def test_verify_rejects_a_foreign_trust_root(run: Callable[..., Result], signed_pdf: Path,
                                             pki: ThrowawayPki) -> None:
    result = _verify(run, signed_pdf, "--trust-root", str(pki.other_root_pem))
    assert result.exit_code == 3  # intact, but the signer is not verified
    assert "does NOT chain" in result.output


def test_verify_catches_a_changed_byte_anywhere_in_the_signed_range(
        run: Callable[..., Result], signed_pdf: Path, pki: ThrowawayPki, tmp_path: Path) -> None:
    data = signed_pdf.read_bytes()
    byte_range = [int(n) for n in re.search(rb"/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)",
                                            data).groups()]  # type: ignore[union-attr]
    start1, length1, start2, length2 = byte_range
    covered = [*range(start1 + 8, start1 + length1), *range(start2, start2 + length2)]
    step = max(1, len(covered) // 40)
    for position in covered[::step]:
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        target = tmp_path / "tampered.pdf"
        target.write_bytes(bytes(tampered))
        result = _verify(run, target, "--trust-root", str(pki.root_pem))
        assert result.exit_code == 1, f"byte {position} changed, not caught: {result.output}"


def test_verify_catches_a_removed_signature(run: Callable[..., Result], signed_pdf: Path,
                                            tmp_path: Path) -> None:
    data = signed_pdf.read_bytes()
    first_revision = data[: data.index(b"%%EOF") + len(b"%%EOF\n")]
    target = tmp_path / "unsigned.pdf"
    target.write_bytes(first_revision)
    result = _verify(run, target)
    assert result.exit_code == 1
    assert "carries no signature" in result.output


def test_verify_says_a_plain_pdf_is_not_a_letter_and_text_is_unreadable(
        run: Callable[..., Result], tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    other = tmp_path / "other.pdf"
    other.write_bytes(buffer.getvalue())
    result = _verify(run, other)
    assert result.exit_code == 1 and "not a letter made by objection" in result.output
    text = tmp_path / "notes.pdf"
    text.write_text("hello")
    assert _verify(run, text).exit_code == 2
    assert _verify(run, tmp_path / "missing.pdf").exit_code == 2


def test_verify_accepts_an_unsigned_letter_and_catches_mismatched_data(
        run: Callable[..., Result], tmp_path: Path) -> None:
    from objection.compose import compose
    from objection.pdf import html_to_pdf
    from objection.render import render_html
    from objection.request import make_request
    from objection.request_data import REQUEST_DATA_NAME, request_data

    def pdf(shown: Letter, data: Letter) -> bytes:
        return html_to_pdf(render_html(shown), REQUEST_DATA_NAME, request_data(data, False),
                           shown.kind.attachment_description, shown.request.date).data

    values = {"name": "Jane Doe", "email": "jane@example.org", "country": "DE", "lang": "en",
              "ground": "old-content", "date": "2026-11-23"}
    letter = compose(make_request(values))
    other = compose(make_request({**values, "name": "John Roe"}))
    honest = tmp_path / "honest.pdf"
    honest.write_bytes(pdf(letter, letter))
    result = _verify(run, honest)
    assert result.exit_code == 0 and "not signed" in result.output
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(pdf(letter, other))
    result = _verify(run, forged)
    assert result.exit_code == 1 and "does not match" in result.output


@pytest.mark.parametrize(("which", "expected"), [
    ("expired", "the certificate expired on"),
    ("no_signing", "key usage does not allow signing"),
])
def test_unusable_certificates_exit_2_without_a_file(
        run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki, password_file: Path,
        which: str, expected: str) -> None:
    p12 = {"expired": pki.expired_p12, "no_signing": pki.no_signing_p12}[which]
    result = run("letter", *ARGS, "--sign-p12", str(p12), "--p12-password-file",
                 str(password_file), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert expected in result.output.strip()
    assert len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_wrong_or_missing_password_exits_2(run: Callable[..., Result], tmp_path: Path,
                                           pki: ThrowawayPki,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it")
    out = tmp_path / "out" / "x.pdf"
    out.parent.mkdir()
    result = run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                 str(wrong), "-o", str(out))
    assert result.exit_code == 2 and "wrong password" in result.output
    monkeypatch.delenv("OBJECTION_P12_PASSWORD", raising=False)
    result = run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "-o", str(out))
    assert result.exit_code == 2 and "OBJECTION_P12_PASSWORD" in result.output
    assert list(out.parent.iterdir()) == []
    monkeypatch.setenv("OBJECTION_P12_PASSWORD", PASSWORD.decode())
    assert run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "-o", str(out)).exit_code == 0


def test_only_pdf_letters_can_be_signed(run: Callable[..., Result], tmp_path: Path,
                                        pki: ThrowawayPki, password_file: Path) -> None:
    result = run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                 str(password_file), "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and "only a PDF letter can be signed" in result.output
    assert list(tmp_path.iterdir()) == []


def _svg(body: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="300" height="80">{body}</svg>')


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("big.png", None, "at most 20 MiB"),  # a larger PNG or JPEG is scaled down (test_page.py)
    ("wide.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4001" height="20"/>',
     "at most 4000 px a side"),
    ("script.svg", _svg("<script>alert(1)</script>"), "scripts"),
    ("external.svg", _svg('<image xlink:href="file:///etc/hostname" width="9" height="9"/>'),
     "external references"),
    ("styled.svg", _svg('<rect style="fill: url(http://example.org/x)" width="9" height="9"/>'),
     "external references"),
    ("entity.svg", '<!DOCTYPE svg [<!ENTITY x "y">]>' + _svg("<text>&x;</text>"), "DTD"),
    ("fake.png", "just some text", "not a PNG, JPEG or SVG image"),
])
def test_bad_signature_images_exit_2(run: Callable[..., Result], tmp_path: Path, name: str,
                                     content: str | None, expected: str) -> None:
    source = tmp_path / "in"
    source.mkdir()
    image = source / name
    if content is None:
        image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024 + 1))
    else:
        image.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run("letter", *ARGS, "--signature-image", str(image), "-o", str(out / "x.pdf"))
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


def test_image_type_comes_from_content_and_svg_works(run: Callable[..., Result], tmp_path: Path,
                                                     signature_png: Path) -> None:
    misnamed = tmp_path / "signature.jpg"
    misnamed.write_bytes(signature_png.read_bytes())
    assert run("letter", *ARGS, "--signature-image", str(misnamed), "-o",
               str(tmp_path / "a.pdf")).exit_code == 0
    svg = tmp_path / "signature.svg"
    svg.write_text(_svg('<path d="M10 60 C 60 0, 120 90, 290 20" stroke="navy" fill="none"/>'))
    result = run("letter", *ARGS, "--signature-image", str(svg), "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 0, result.output


@pytest.fixture
def tsa_url(pki: ThrowawayPki) -> Iterator[str]:
    """An RFC 3161 timestamp server on loopback, answering with pyHanko's test TSA."""
    from asn1crypto import keys, tsp, x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(tsa_cert=x509.Certificate.load(pki.tsa_cert_der),
                               tsa_key=keys.PrivateKeyInfo.load(pki.tsa_key_der))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_tsa_gives_a_b_t_signature(run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki,
                                   password_file: Path, tsa_url: str) -> None:
    out = tmp_path / "bt.pdf"
    result = run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                 str(password_file), "--tsa", tsa_url, "-o", str(out))
    assert result.exit_code == 0, result.output
    report = json.loads(run("verify", str(out), "--trust-root", str(pki.root_pem),
                            "--json").output)
    assert report["outcome"] == "valid"
    assert report["signatures"][0]["timestamped"] is True


def test_unreachable_tsa_exits_1_without_a_file(run: Callable[..., Result], tmp_path: Path,
                                                pki: ThrowawayPki, password_file: Path) -> None:
    result = run("letter", *ARGS, "--sign-p12", str(pki.signer_p12), "--p12-password-file",
                 str(password_file), "--tsa", "http://127.0.0.1:9/", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "timestamp server" in result.output
    assert list(tmp_path.iterdir()) == []
