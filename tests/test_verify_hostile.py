"""`objection verify` against hostile letters and inputs (issue 12, items 9, 12, 14 and 18,
and a hostile tester's report: a page that shows other than its text layer, request data
downgraded or doubled, a signer who is not the sender, padding in the signature, files that
take minutes to parse): what a user sees, its exit status and its words."""

import dataclasses
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from objection.model import Letter, SignatureImage
from tests.certificates import PASSWORD, ThrowawayPki
from tests.conftest import BASE_ARGS

ARGS = [*BASE_ARGS, "--country", "DE", "--ground", "old-content"]
VALUES = {"name": "Jane Doe", "email": "jane@example.org", "country": "DE", "lang": "en",
          "ground": ["old-content"], "date": "2026-11-23"}
OBJECTION = Path(sys.executable).parent / "objection"  # the installed command


@pytest.fixture(scope="module")
def impostor_p12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate in Jane Doe's name: anyone can make one."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Jane Doe"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "DE")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path_factory.mktemp("impostor") / "impostor.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"impostor", key, cert, None, serialization.BestAvailableEncryption(PASSWORD)))
    return path


@pytest.fixture(scope="module")
def signed(pki: ThrowawayPki, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A letter signed by objection with a certificate under the test root."""
    from click.testing import CliRunner

    from objection.cli import cli

    folder = tmp_path_factory.mktemp("signed")
    (folder / "password").write_bytes(PASSWORD)
    result = CliRunner().invoke(cli, ["letter", *ARGS, "--sign-p12", str(pki.signer_p12),
                                      "--p12-password-file", str(folder / "password"),
                                      "-o", str(folder / "signed.pdf")])
    assert result.exit_code == 0, result.output
    return (folder / "signed.pdf").read_bytes()


def first_revision(data: bytes) -> bytes:
    """The letter as objection made it, before the signature's incremental update."""
    return data[: data.index(b"%%EOF") + len(b"%%EOF\n")]


def forge(data: bytes, sign_with: Path | None = None) -> bytes:
    """An incremental update that dates the request data a week later and draws the new date
    over the page, as someone who wants the letter to say otherwise would (signed in the
    same revision with `sign_with`)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    spec_ref = writer.root["/Names"]["/EmbeddedFiles"]["/Names"].raw_get(1)
    spec = spec_ref.get_object()
    request = json.loads(spec["/EF"]["/F"].data)
    for where in (request, request.get("inputs", {})):
        where["date"] = "2026-11-30"
    stream = generic.StreamObject({generic.NameObject("/Type"): generic.NameObject(
        "/EmbeddedFile")}, stream_data=json.dumps(request).encode())
    spec["/EF"] = generic.DictionaryObject({generic.NameObject("/F"): writer.add_object(stream)})
    writer.mark_update(spec_ref)
    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})
    overlay = writer.add_object(generic.StreamObject(
        stream_data=b"BT /Forged 9 Tf 380 600 Td (30 November 2026) Tj ET"))
    writer.add_stream_to_page(0, overlay, resources=generic.DictionaryObject({
        generic.NameObject("/Font"): generic.DictionaryObject({
            generic.NameObject("/Forged"): font})}))
    if sign_with:
        return sign(writer, sign_with)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(data: bytes | Any, p12: Path) -> bytes:
    """Sign with pyHanko in a new field (in the writer's pending revision, if given one)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False) \
        if isinstance(data, bytes) else data
    signer = signers.SimpleSigner.load_pkcs12_data(p12.read_bytes(), other_certs=[],
                                                   passphrase=PASSWORD)
    metadata = signers.PdfSignatureMetadata(field_name="Signature", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
    field = fields.SigFieldSpec("Signature", on_page=0, box=(70, 250, 270, 300))
    signed: bytes = signers.PdfSigner(metadata, signer, new_field_spec=field).sign_pdf(
        writer).getvalue()
    return signed


def letter_pdf(shown: Letter, data: Letter, drop: tuple[str, ...] = (),
               generator: dict[str, Any] | None = None) -> bytes:
    """A PDF showing one letter and carrying another's request data (without the keys
    `drop`; made by `generator`, as another version of objection would have recorded it)."""
    from objection.pdf import html_to_pdf
    from objection.render import render_html
    from objection.request_data import REQUEST_DATA_NAME, request_data

    request = json.loads(request_data(data, False))
    for key in drop:
        request.pop(key, None)
    if generator is not None:
        request["generator"] = generator
    return html_to_pdf(render_html(shown), REQUEST_DATA_NAME, json.dumps(request).encode(),
                       shown.kind.attachment_description, shown.request.date).data


# What another version of objection would have recorded: its bytes cannot be made here.
OTHER_GENERATOR = {"objection": "0.0.1", "weasyprint": "65.0"}


def rendered(letter: Letter, signed: bool = False) -> bytes:
    """The letter as objection makes it (`objection letter`), through its own renderer."""
    from objection.render import render_pdf

    return render_pdf(letter, signed=signed).data


def make_letter(reference: str | None = None, **changes: object) -> Letter:
    from objection.compose import compose
    from objection.request import make_request

    return compose(make_request({**VALUES, **changes}), reference=reference)


@pytest.fixture
def check(run: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """Write the bytes to a file and run `objection verify` on it."""

    def verify(data: bytes, *extra: str) -> Result:
        path = tmp_path / "letter.pdf"
        path.write_bytes(data)
        return run("verify", str(path), *extra)

    return verify


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.pdf"
    os.mkfifo(path)
    return path


def one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


# Item 9: revisions objection did not write.

def test_an_update_appended_to_an_unsigned_letter_is_invalid(check: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    unsigned = rendered(make_letter())
    assert check(unsigned).exit_code == 0
    result = check(forge(unsigned))
    assert result.exit_code == 1, result.output
    assert "INVALID" in result.output
    assert "the letter was changed after it was made (1 incremental update(s)" in result.output


def test_an_update_between_the_letter_and_its_signature_is_refused(
        check: Callable[..., Result], signed: bytes, pki: ThrowawayPki) -> None:
    # Cut after the letter's own revision, change it, then have it signed (and trusted):
    # three revisions, more than objection writes, refused before any parser reads them.
    result = check(sign(forge(first_revision(signed)), pki.signer_p12),
                   "--trust-root", str(pki.root_pem))
    assert result.exit_code == 2, result.output
    assert one_line(result).endswith("has 3 revisions (%%EOF); objection writes a letter in "
                                     "one, and signing adds one")


def test_changes_made_with_the_signature_are_invalid(check: Callable[..., Result],
                                                     signed: bytes, pki: ThrowawayPki) -> None:
    result = check(forge(first_revision(signed), sign_with=pki.signer_p12),
                   "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "the signature's revision changes more than its signature field" in result.output


def test_an_update_after_the_signature_is_refused(check: Callable[..., Result], signed: bytes,
                                                  pki: ThrowawayPki) -> None:
    assert check(signed, "--trust-root", str(pki.root_pem)).exit_code == 0
    result = check(forge(signed), "--trust-root", str(pki.root_pem))
    assert result.exit_code == 2, result.output
    assert one_line(result).endswith("has 3 revisions (%%EOF); objection writes a letter in "
                                     "one, and signing adds one")


# Item 9: every value the page shows is compared with the request data.

SHOWN_DIFFERENTLY: dict[str, dict[str, object]] = {
    "date": {"date": "2026-11-30"},
    "ground": {"ground": ["harassment"]},
    "situation": {"situation": "I am a journalist."},
    "country": {"country": "AT"},
    "place": {"place": "Berlin"},
    "toggle": {"toggle": "off"},
    "address": {"address": ["Hauptstr. 1", "10115 Berlin"]},
    "scope": {"scope": ["generative"]},
    "fact": {"fact": ["harassment: A former client stalks me"]},
    "profile": {"profile_url": "linkedin.com/in/jane-doe"},
    "translation": {"lang": "de", "bilingual": True},
}


@pytest.mark.parametrize("compared", ["bytes", "text"])
@pytest.mark.parametrize("page_has_it", [False, True], ids=["in-data", "on-page"])
@pytest.mark.parametrize("change", list(SHOWN_DIFFERENTLY))
def test_every_value_the_page_shows_is_compared(check: Callable[..., Result], change: str,
                                                page_has_it: bool, compared: str) -> None:
    # The reference stays: else comparing it alone would catch the change. Made by another
    # generator, the page can only be compared by its text (the fallback).
    base = make_letter()
    other = make_letter(reference=base.reference, **SHOWN_DIFFERENTLY[change])
    shown, data = (other, base) if page_has_it else (base, other)
    result = check(letter_pdf(shown, data,
                              generator=OTHER_GENERATOR if compared == "text" else None))
    assert result.exit_code == 1, result.output
    if compared == "bytes":
        assert "the file is NOT the letter objection makes from its request data" \
            in result.output
        assert "problem: the page is not what objection makes from its request data" \
            in result.output
        return
    assert "visible text does NOT match the request data" in result.output
    assert ("the visible text does not match the request data: the page does not show "
            in result.output or "the visible text does not match the request data: the page "
            "shows text the request data does not account for" in result.output)


def test_a_reference_not_computed_from_the_request_is_invalid(
        check: Callable[..., Result]) -> None:
    from objection.compose import compose
    from objection.request import make_request

    letter = compose(make_request(VALUES), reference="OBJ-AAAA-BBBB")
    result = check(letter_pdf(letter, letter))
    assert result.exit_code == 1, result.output
    assert "the reference OBJ-AAAA-BBBB is not the one objection computes from the request " \
           f"data ({make_letter().reference})" in result.output


@pytest.mark.parametrize("changes", [
    {},
    {"place": "München", "toggle": "pending", "address": ["Marienplatz 1", "80331 München"],
     "profile_url": "linkedin.com/in/jane-doe", "lang": "de", "bilingual": True},
    # Facts in an order the JSON's sorted keys would lose: the reference depends on it.
    {"ground": ["old-content", "journalist", "harassment"],
     "fact": ["journalist: I write for a daily paper", "harassment: I am stalked"]},
    {"country": "CH", "lang": "fr", "scope": ["generative"], "situation": "Un.\n\nDeux."},
])
def test_the_request_data_rebuilds_the_letter_and_its_reference(changes: dict[str, object]
                                                                 ) -> None:
    from objection.compose import compose
    from objection.request import make_request
    from objection.request_data import rebuild_letter, request_data

    for image in (None, *SIGNATURE_IMAGES):
        request = dataclasses.replace(make_request({**VALUES, **changes}), signature_image=image)
        letter = compose(request)
        data = json.loads(request_data(letter, True))
        rebuilt, differing = rebuild_letter(data)
        assert differing == []
        assert rebuilt.reference == letter.reference
        assert rebuilt.request == request  # the image too: its bytes travel in the data


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(5, 70), (100, 10), (295, 60)], fill=(20, 20, 120, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


SIGNATURE_IMAGES = (
    SignatureImage("image/png", _png()),
    SignatureImage("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" width="300" '
                   b'height="80"><path d="M5 70 C 60 0, 120 90, 295 20" stroke="navy" '
                   b'fill="none"/></svg>'),
)


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), (250, 250, 250)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("image", ["not base64", "not an image", "mislabelled", "a JPEG"])
def test_a_signature_image_in_the_request_data_is_checked_as_a_file_would_be(
        image: str) -> None:
    import base64

    from objection.request_data import NotObjectionRequest, rebuild_letter, request_data

    def given(mime: str, raw: bytes) -> dict[str, str]:
        return {"mime": mime, "data": base64.b64encode(raw).decode()}

    data = json.loads(request_data(make_letter(), False))
    data["inputs"]["signature_image"] = {
        "not base64": {"mime": "image/png", "data": "%%%"},
        "not an image": given("image/png", b"\x89PNG\r\n\x1a\n no"),
        "mislabelled": given("image/svg+xml", SIGNATURE_IMAGES[0].data),
        # objection stores a JPEG as a new PNG: never the JPEG as it was given
        "a JPEG": given("image/jpeg", _jpeg()),
    }[image]
    with pytest.raises(NotObjectionRequest, match="its signature image is not"):
        rebuild_letter(data)


def test_the_request_data_cannot_make_verify_read_a_file(fifo: Path) -> None:
    from objection.request_data import rebuild_letter, request_data

    data = json.loads(request_data(make_letter(), False))
    data["inputs"]["signature_image"] = str(fifo)  # opening a pipe would wait forever
    _letter, differing = rebuild_letter(data)
    assert differing == ["inputs"]


def test_a_letter_from_an_older_version_says_what_was_not_checked(
        check: Callable[..., Result]) -> None:
    letter = make_letter()
    result = check(letter_pdf(letter, letter, drop=("inputs", "generator")))
    assert result.exit_code == 3, result.output  # never VALID: five values were compared
    assert "INTACT, NOT VERIFIED" in result.output
    assert "not verified: made by an older version of objection (its request data has no " \
           "inputs): only the reference" in result.output
    assert "the reference was not recomputed" in result.output


# Item 9: a signature that nothing ties to a person is not "valid".

def test_an_impostor_signature_is_intact_but_not_verified(
        check: Callable[..., Result], signed: bytes, impostor_p12: Path,
        pki: ThrowawayPki) -> None:
    impostor = sign(first_revision(signed), impostor_p12)
    result = check(impostor)
    assert result.exit_code == 3, result.output
    assert "INTACT, NOT VERIFIED" in result.output
    assert "signed by Common Name: Jane Doe" in result.output
    assert "anyone can make a certificate in any name" in result.output
    result = check(impostor, "--trust-root", str(pki.root_pem))
    assert result.exit_code == 3, result.output
    assert "does NOT chain to a given trust root" in result.output
    assert json.loads(check(impostor, "--json").output)["outcome"] == "unverified"
    # objection's own signature is valid only against its trust root.
    assert check(signed).exit_code == 3
    result = check(signed, "--trust-root", str(pki.root_pem))
    assert result.exit_code == 0 and "VALID" in result.output, result.output


# Item 14: nothing from the PDF libraries on stderr.

def _limited() -> None:
    """Run a child with at most 2 GiB of memory: a regression must not take the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def objection(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(OBJECTION), *args], capture_output=True, text=True, timeout=60,
                          preexec_fn=_limited, cwd=cwd)


def broken_page(data: bytes) -> bytes:
    """An update that draws an image the page does not have: pypdf logs a warning."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(
        stream_data=b"q 1 0 0 1 0 0 cm /Im9 Do Q")))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("case", ["impostor", "impostor-other-root", "broken-page"])
def test_verify_logs_nothing_of_the_libraries(tmp_path: Path, signed: bytes,
                                              impostor_p12: Path, pki: ThrowawayPki,
                                              case: str) -> None:
    path = tmp_path / "letter.pdf"
    if case == "broken-page":
        path.write_bytes(broken_page(rendered(make_letter())))
    else:
        path.write_bytes(sign(first_revision(signed), impostor_p12))
    roots = ["--trust-root", str(pki.other_root_pem)] if case.endswith("other-root") else []
    done = objection("verify", str(path), *roots)
    assert done.returncode == (1 if case == "broken-page" else 3), done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Jane Doe" not in done.stderr
    assert done.stderr == ""


# Items 12 and 18: inputs verify refuses to read, in one line, with exit status 2.

def test_a_pdf_of_many_pages_is_refused(check: Callable[..., Result]) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(51):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    result = check(buffer.getvalue())
    assert result.exit_code == 2
    assert one_line(result).endswith("has 51 pages; a letter has at most 50")


def test_a_huge_file_is_refused_before_it_is_read(run: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(21 * 1024 * 1024)  # sparse: no disk used
    result = run("verify", str(path))
    assert result.exit_code == 2
    assert one_line(result).endswith("is 21 MiB; at most 20 MiB")


@pytest.mark.parametrize("source", ["dev-zero", "fifo"])
def test_a_device_or_a_pipe_is_refused_without_waiting(fifo: Path, source: str) -> None:
    path = "/dev/zero" if source == "dev-zero" else fifo.name
    done = objection("verify", path, cwd=fifo.parent)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.strip() == (f"Error: pdf {path!r}: is not a regular file (a device or "
                                   "a pipe); expected a file")


@pytest.mark.parametrize("source", ["text", "huge", "dev-zero", "fifo"])
def test_a_trust_root_that_is_not_a_certificate_is_bad_input(
        tmp_path: Path, fifo: Path, signed: bytes, source: str) -> None:
    letter = tmp_path / "signed.pdf"
    letter.write_bytes(signed)
    root = {"dev-zero": "/dev/zero", "fifo": fifo.name}.get(source, "root.pem")
    if source == "text":
        (tmp_path / root).write_text("not a certificate\n")
    elif source == "huge":
        with (tmp_path / root).open("wb") as handle:
            handle.truncate(64 * 1024 * 1024)
    done = objection("verify", letter.name, "--trust-root", root, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"Error: trust_root {root!r}: ")
    assert "damaged" not in line


# A hostile tester's report: verify compared the text pypdf extracts (containment and a
# character count), not what a reader is shown. Now it makes the letter again from its
# request data and compares the bytes. Each attack is built here with pypdf, as the tester
# built it, on a letter objection made.

@pytest.fixture(scope="module")
def genuine() -> bytes:
    """An unsigned letter as objection makes it."""
    return rendered(make_letter())


def _edited(data: bytes, edit: Callable[[Any, Any], None]) -> bytes:
    """`data` rewritten by pypdf (one revision) after `edit(writer, first_page)`."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    edit(writer, writer.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fonts(page: Any) -> dict[str, dict[str, int]]:
    """Each font of the page: character → code, from its ToUnicode map."""
    import re

    maps = {}
    for name, font in page["/Resources"]["/Font"].items():
        cmap = font.get_object()["/ToUnicode"].get_data().decode()
        maps[name] = {bytes.fromhex(target).decode("utf-16-be"): int(code, 16) for code, target
                      in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap)}
    return maps


def _encoded(codes: dict[str, int], text: str) -> str:
    return "<" + "".join(f"{codes[char]:04x}" for char in text) + ">"


def _text_lines(page: Any) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The page's content lines, and (line index, font, text) of each line showing text."""
    import re

    maps = _fonts(page)
    lines = page.get_contents().get_data().decode("latin1").split("\n")
    font, shown = "", []
    for index, line in enumerate(lines):
        if match := re.search(r"/(\w+) [\d.]+ Tf", line):
            font = match.group(1)
        if line.endswith("TJ") and font:
            decoded = {code: char for char, code in maps["/" + font].items()}
            text = "".join(decoded.get(int(run[i:i + 4], 16), "?")
                           for run in re.findall(r"<([0-9a-f]*)>", line)
                           for i in range(0, len(run), 4))
            shown.append((index, font, text))
    return lines, shown


def _set_content(writer: Any, page: Any, content: bytes) -> None:
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)


def _operative(page: Any) -> tuple[list[str], int, int, str]:
    """The lines of the operative paragraph ("I hereby object ... freedoms."): content
    lines, first and last index, and its font."""
    lines, shown = _text_lines(page)
    first = next((i, font) for i, font, text in shown if text.startswith("I hereby object"))
    last = next(i for i, _font, text in shown if text.startswith("freedoms"))
    return lines, first[0], last, first[1]


def _around_operative(before: str, after: str) -> Callable[[Any, Any], None]:
    """Wrap each line of the operative paragraph in operators that hide it."""
    def edit(writer: Any, page: Any) -> None:
        lines, first, last, _font = _operative(page)
        for index in range(first, last + 1):
            if lines[index].endswith("TJ"):
                lines[index] = f"{before} {lines[index]} {after}"
        _set_content(writer, page, "\n".join(lines).encode("latin1"))
    return edit


def _white_box_and_space_font(writer: Any, page: Any) -> None:
    """A white box over the operative paragraph, and a new one drawn on it in a copy of the
    letter's font whose ToUnicode maps every code to a space (a1)."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    lines, _first, _last, font = _operative(page)
    fonts = page["/Resources"]["/Font"].get_object()
    codes = _fonts(page)["/" + font]
    cmap = DecodedStreamObject()
    cmap.set_data(("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                   "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange "
                   "<0000> <ffff> endcodespacerange\n" + "".join(
                       "100 beginbfchar\n" + "\n".join(f"<{c:04x}> <0020>" for c in
                                                        range(start, start + 100))
                       + "\nendbfchar\n" for start in range(0, 0xb00, 100))
                   + "endcmap CMapName currentdict /CMap defineresource pop end end").encode())
    copy = DictionaryObject({NameObject(key): value for key, value
                             in fonts["/" + font].get_object().items()})
    copy[NameObject("/ToUnicode")] = writer._add_object(cmap)
    fonts[NameObject("/FAKE")] = writer._add_object(copy)
    text = "BT 0 0 0 rg /FAKE 9.5 Tf 1 0 0 1 70.9 512.8 Tm " + _encoded(
        codes, "I withdraw all my objections; I consent to everything.") + " Tj ET"
    _set_content(writer, page, ("q\n" + "\n".join(lines) + "\nQ\nq 1 1 1 rg 60 448 490 77 re f "
                                "Q\n" + text).encode("latin1"))


def _free_text_annotation(writer: Any, page: Any) -> None:
    """A FreeText annotation that paints a white box and new text over the paragraph (a2)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    appearance = DecodedStreamObject()
    appearance.set_data(b"1 1 1 rg 0 0 490 77 re f")
    appearance.update({NameObject("/Type"): NameObject("/XObject"),
                       NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                                         FloatObject(490), FloatObject(77)])})
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FreeText"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (60, 448, 550, 525)]),
        NameObject("/F"): NumberObject(4),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)})})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _optional_content_off(writer: Any, page: Any) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    group = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("x")}))
    writer.root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject([group]),
        NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([group])})})
    page["/Resources"][NameObject("/Properties")] = DictionaryObject({NameObject("/oc1"): group})
    _around_operative("/OC /oc1 BDC", "EMC")(writer, page)


def _javascript_language_title(writer: Any, _page: Any) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer.root_object[NameObject("/Lang")] = TextStringObject("de-DE")
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('This objection was withdrawn.');")}))
    writer.add_metadata({"/Title": "Withdrawal of objection"})


def _glyphs_swapped(writer: Any, page: Any) -> None:
    """A copy of the letter's font with the outlines of "2" and "1" swapped (same
    ToUnicode, same widths) for the date line only: the page shows 13 November, the text
    layer says 23 November (a11)."""
    import re

    from fontTools.ttLib import TTFont
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

    lines, shown = _text_lines(page)
    index, font = next((i, f) for i, f, text in shown if text == "23 November 2026")
    fonts = page["/Resources"]["/Font"].get_object()
    type0 = fonts["/" + font].get_object()
    cid = type0["/DescendantFonts"][0].get_object()
    descriptor = cid["/FontDescriptor"].get_object()
    outlines = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    order, glyf = outlines.getGlyphOrder(), outlines["glyf"]
    one, two = order[0x14], order[0x15]
    glyf[one], glyf[two] = glyf[two], glyf[one]
    buffer = io.BytesIO()
    outlines.save(buffer)
    file = StreamObject()
    file._data = buffer.getvalue()
    file[NameObject("/Length1")] = NumberObject(len(file._data))

    def copy(dictionary: Any) -> Any:
        return DictionaryObject({NameObject(k): v for k, v in dictionary.items()})

    descriptor2 = copy(descriptor)
    descriptor2[NameObject("/FontFile2")] = writer._add_object(file)
    cid2 = copy(cid)
    cid2[NameObject("/FontDescriptor")] = writer._add_object(descriptor2)
    type2 = copy(type0)
    type2[NameObject("/DescendantFonts")] = ArrayObject([writer._add_object(cid2)])
    fonts[NameObject("/EVIL")] = writer._add_object(type2)
    size = next(match.group(1) for line in reversed(lines[:index])
                if (match := re.search(r"/\w+ ([\d.]+) Tf", line)))
    lines[index] = f"/EVIL {size} Tf {lines[index]} /{font} {size} Tf"
    _set_content(writer, page, "\n".join(lines).encode("latin1"))


def _repeated_blocks_spent(writer: Any, page: Any) -> None:
    """Blocks the page shows twice (the sender's name, the account's label and e-mail)
    replaced by as many characters of other visible text: every block is still somewhere,
    and the count is the same (a6)."""
    lines, shown = _text_lines(page)
    codes = _fonts(page)
    repeated = [(i, font, text) for i, font, text in shown
                if text in ("Jane Doe", "LinkedIn account", "jane@example.org")][-3:]
    assert len(repeated) == 3
    for index, font, text in repeated:
        lines[index] = f"[{_encoded(codes['/' + font], text[::-1])}] TJ"
    _set_content(writer, page, "\n".join(lines).encode("latin1"))


def _second_request_data(writer: Any, _page: Any) -> None:
    """A second objection-request.json (another sender, no grounds) in the name tree, and
    /AF (what PDF/A tools read) naming only that one (a9)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    data = json.loads(spec["/EF"]["/F"].get_object().get_data())
    data["sender"] = dict(data["sender"], name="Mallory Evil")
    data["inputs"] = dict(data["inputs"], name="Mallory Evil", grounds=[])
    stream = DecodedStreamObject()
    stream.set_data(json.dumps(data).encode())
    spec2 = DictionaryObject({key: value for key, value in spec.items()})
    spec2[NameObject("/EF")] = DictionaryObject({NameObject("/F"): writer._add_object(stream)})
    reference = writer._add_object(spec2)
    names.extend([TextStringObject("objection-request.json"), reference])
    writer.root_object[NameObject("/AF")] = ArrayObject([reference])


SHOWN_NOT_TEXT: dict[str, Callable[[Any, Any], None]] = {
    "white box, space-mapped font": _white_box_and_space_font,
    "annotation over the paragraph": _free_text_annotation,
    "render mode 3 (invisible)": _around_operative("3 Tr", "0 Tr"),
    "render mode 7 (clip)": _around_operative("7 Tr", "0 Tr"),
    "white fill": _around_operative("1 1 1 rg", "0 0 0 rg"),
    "horizontal scaling 0.1 %": _around_operative("1 Tz", "100 Tz"),
    "text rise off the page": _around_operative("-10000 Ts", "0 Ts"),
    "optional content off": _optional_content_off,
    "JavaScript, language and title": _javascript_language_title,
    "glyph outlines swapped": _glyphs_swapped,
    "repeated blocks spent": _repeated_blocks_spent,
    "second request data in /AF": _second_request_data,
}


@pytest.mark.parametrize("attack", list(SHOWN_NOT_TEXT))
def test_a_page_that_shows_other_than_objection_made_is_invalid(
        check: Callable[..., Result], genuine: bytes, attack: str) -> None:
    assert check(genuine).exit_code == 0
    result = check(_edited(genuine, SHOWN_NOT_TEXT[attack]))
    assert result.exit_code == 1, result.output
    assert "problem: the page is not what objection makes from its request data" \
        in result.output


def test_an_edited_page_signed_by_its_sender_is_still_invalid(
        check: Callable[..., Result], genuine: bytes, pki: ThrowawayPki) -> None:
    edited = _edited(genuine, _white_box_and_space_font)
    result = check(sign(edited, pki.signer_p12), "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "signed by Common Name: Jane Doe, Country: DE (the sender)" in result.output
    assert "problem: the page is not what objection makes from its request data" \
        in result.output


@pytest.mark.parametrize("attack", ["white box, space-mapped font", "render mode 3 (invisible)",
                                    "annotation over the paragraph", "optional content off",
                                    "JavaScript, language and title",
                                    "second request data in /AF"])
def test_where_the_bytes_cannot_be_made_again_the_outcome_is_never_valid(
        check: Callable[..., Result], attack: str) -> None:
    """Made by another generator, the page is compared by its text: at best exit 3, and
    what objection never writes (annotations, actions, a second attachment) is invalid."""
    letter = make_letter()
    honest = letter_pdf(letter, letter, generator=OTHER_GENERATOR)
    result = check(honest)
    assert result.exit_code == 3, result.output
    assert "not verified: made by objection 0.0.1 with weasyprint 65.0" in result.output
    assert "the page was compared by its text only, not byte for byte" in result.output
    result = check(_edited(honest, SHOWN_NOT_TEXT[attack]))
    assert result.exit_code in (1, 3), result.output
    if attack not in ("white box, space-mapped font", "render mode 3 (invisible)"):
        assert result.exit_code == 1, result.output
        assert "the file holds what objection never writes into a letter" in result.output


def _request_data_edited(edit: Callable[[dict[str, Any]], None]) -> Callable[[Any, Any], None]:
    """Rewrite the embedded request data's JSON."""
    def rewrite(writer: Any, _page: Any) -> None:
        from pypdf.generic import NameObject, NumberObject

        stream = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()[
            "/EF"]["/F"].get_object()
        data = json.loads(stream.get_data())
        edit(data)
        raw = json.dumps(data, sort_keys=True, indent=1).encode()
        for key in ("/Filter", "/DecodeParms"):
            stream.pop(key, None)
        stream._data = raw
        stream[NameObject("/Length")] = NumberObject(len(raw))
    return rewrite


def test_request_data_downgraded_to_an_older_version_is_never_valid(
        check: Callable[..., Result], genuine: bytes) -> None:
    """Without its inputs, verify compared five values anywhere on the page (a4)."""
    def replace_body(writer: Any, page: Any) -> None:
        lines, first, last, font = _operative(page)
        codes = _fonts(page)["/" + font]
        lines[first] = f"[{_encoded(codes, 'I hereby withdraw my objection.')}] TJ"
        for index in range(first + 1, last + 1):
            if lines[index].endswith("TJ"):
                lines[index] = "[] TJ"
        _set_content(writer, page, "\n".join(lines).encode("latin1"))

    def without(*keys: str) -> Callable[[Any, Any], None]:
        def edit(writer: Any, page: Any) -> None:
            _request_data_edited(lambda data: [data.pop(key) for key in keys])(writer, page)
            replace_body(writer, page)
        return edit

    result = check(_edited(genuine, without("inputs")))
    assert result.exit_code == 1, result.output
    assert "the request data is not what objection writes (it names its generator but not " \
           "its inputs)" in result.output
    result = check(_edited(genuine, without("inputs", "generator")))
    assert result.exit_code == 3, result.output
    assert "not verified: made by an older version of objection" in result.output


def test_a_foreign_pdf_with_older_request_data_is_invalid(check: Callable[..., Result]) -> None:
    """A page made with pypdf, no PDF/A, carrying five values as request data (a5)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    letter = make_letter()
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    helvetica = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): helvetica})})
    shown = [letter.request.name, letter.request.email, letter.recipient_lines[0],
             letter.reference, letter.subject, "I agree to everything."]
    _set_content(writer, page, ("BT /F1 8 Tf 40 780 Td 14 TL\n" + "".join(
        f"({line}) Tj T*\n" for line in shown) + "ET").encode("latin1"))
    writer.add_attachment("objection-request.json", json.dumps({
        "format": "objection-request/1", "reference": letter.reference,
        "sender": {"name": letter.request.name, "email": letter.request.email},
        "controller": {"name": letter.recipient_lines[0]}, "subject": letter.subject}).encode())
    out = io.BytesIO()
    writer.write(out)
    result = check(out.getvalue())
    assert result.exit_code == 1, result.output
    assert "attached files other than the one objection-request.json" in result.output


@pytest.fixture(scope="module")
def other_signers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A CA, and signers under it: Mallory Evil; the sender's name written otherwise; the
    sender's e-mail address in the subject, and in the subject alternative names."""
    from tests.certificates import NOW, _root

    folder = tmp_path_factory.mktemp("others")
    root_key, root = _root("Company CA")
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    kinds: dict[str, tuple[list[x509.NameAttribute], str | None]] = {
        "mallory": ([x509.NameAttribute(NameOID.COMMON_NAME, "Mallory Evil")], None),
        "spelled": ([x509.NameAttribute(NameOID.COMMON_NAME, "JANE  DOE")], None),
        "subject-email": ([x509.NameAttribute(NameOID.COMMON_NAME, "J. D."),
                           x509.NameAttribute(NameOID.EMAIL_ADDRESS, "Jane@Example.org")], None),
        "san-email": ([x509.NameAttribute(NameOID.COMMON_NAME, "J. D.")], "jane@example.org"),
    }
    paths = {}
    for kind, (subject, san) in kinds.items():
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder().subject_name(x509.Name(subject))
                   .issuer_name(root.subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - dt.timedelta(days=1))
                   .not_valid_after(NOW + dt.timedelta(days=365))
                   .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                                False, False), critical=True))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.RFC822Name(san)]), critical=False)
        paths[kind] = folder / f"{kind}.p12"
        paths[kind].write_bytes(pkcs12.serialize_key_and_certificates(
            kind.encode(), key, builder.sign(root_key, hashes.SHA256()), [root],
            serialization.BestAvailableEncryption(PASSWORD)))
    (folder / "password").write_bytes(PASSWORD)
    return folder, paths


@pytest.mark.parametrize(("signer", "status"), [
    ("mallory", 3), ("spelled", 0), ("subject-email", 0), ("san-email", 0)])
def test_a_trusted_signer_must_be_the_sender(run: Callable[..., Result], tmp_path: Path,
                                             other_signers: tuple[Path, dict[str, Path]],
                                             signer: str, status: int) -> None:
    """Jane Doe's letter signed by objection with another's certificate under a trusted CA
    (a7): VALID only if the certificate names the sender (name or e-mail address, compared
    regardless of case, spaces and Unicode normal form)."""
    folder, p12 = other_signers
    out = tmp_path / "letter.pdf"
    made = run("letter", *ARGS, "--sign-p12", str(p12[signer]), "--p12-password-file",
               str(folder / "password"), "-o", str(out))
    assert made.exit_code == 0, made.output
    result = run("verify", str(out), "--trust-root", str(folder / "root.pem"))
    assert result.exit_code == status, result.output
    assert "chain: chains to a given trust root" in result.output
    if status == 3:
        assert "(NOT the sender the letter names)" in result.output
        assert "not verified: the signer as the sender: the certificate names neither the " \
               "sender's name nor their e-mail address" in result.output


def test_a_stamp_beyond_the_signature_line_is_not_valid(
        check: Callable[..., Result], signed: bytes, pki: ThrowawayPki) -> None:
    """Signed again elsewhere on the page by the trusted sender: the stamp's appearance is
    the signer's own and is not compared, so it must stay on the signature line."""
    result = check(sign(first_revision(signed), pki.signer_p12),
                   "--trust-root", str(pki.root_pem))
    assert result.exit_code == 3, result.output
    assert "not verified: a signature's stamp is drawn beyond the letter's signature line" \
        in result.output


def test_the_signature_revision_may_not_change_the_title(
        check: Callable[..., Result], signed: bytes, pki: ThrowawayPki) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(first_revision(signed)), strict=False)
    info_ref = writer.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("Withdrawal of objection")
    writer.mark_update(info_ref)
    result = check(sign(writer, pki.signer_p12), "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert f"the signature's revision changes more than its signature field (object " \
           f"{info_ref.idnum} was changed)" in result.output


def test_the_signature_field_holds_only_the_signature(
        check: Callable[..., Result], signed: bytes, pki: ThrowawayPki) -> None:
    """The zero padding after the signature in /Contents is not signed: rewritten, the
    signature stayed valid (c1)."""
    import re

    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    assert match
    start, end = int(match.group(2)), int(match.group(3))
    hole = signed[start:end]
    assert hole.endswith(b"00>")
    padded = signed[:start] + hole[:-41] + b"f" * 40 + b">" + signed[end:]
    assert check(signed, "--trust-root", str(pki.root_pem)).exit_code == 0
    result = check(padded, "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "the signature field holds bytes that are not part of the signature" in result.output


def test_json_output_survives_a_lone_surrogate(check: Callable[..., Result],
                                               genuine: bytes) -> None:
    """A reference holding a lone surrogate and a bidi override (b1): --json printed a
    traceback (UnicodeEncodeError) instead of the report."""
    def edit(data: dict[str, Any]) -> None:
        data["reference"] = "\ud800\u202eOBJ"

    result = check(_edited(genuine, _request_data_edited(edit)), "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report = json.loads(result.output)
    assert report["outcome"] == "invalid" and report["reference"] == "\\ud800\\u202eOBJ"


def test_an_image_named_by_its_digest_only_is_compared_by_text(check: Callable[..., Result]
                                                                ) -> None:
    """Letters made before the request data carried the image's bytes: exit 3 at best."""
    import hashlib

    from objection.compose import compose
    from objection.request import make_request

    image = SIGNATURE_IMAGES[0]
    letter = compose(dataclasses.replace(make_request(VALUES), signature_image=image))
    data = _edited(rendered(letter), _request_data_edited(
        lambda data: data["inputs"].update(signature_image=hashlib.sha256(image.data).hexdigest())))
    result = check(data)
    assert result.exit_code == 3, result.output
    assert "names the signature image by its digest only" in result.output


# The tester's slow files: refused before any parser reads them, or stopped in time.

def _xref_streams(size: int, sections: int, startxref_each: bool) -> bytes:
    """A small PDF whose cross-reference streams declare `size` objects each (mostly free
    entries, a few kilobytes deflated), chained by /Prev (d5, d6)."""
    import zlib

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"]
    out, offsets = b"%PDF-1.7\n", [0]
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    previous = None
    for section in range(sections):
        number, start = 4 + section, len(out)
        table = offsets + [0] * (number - len(offsets)) + [start]
        rows = b"\x00\x00\x00\x00\x00\xff" + b"".join(
            b"\x01" + offset.to_bytes(4, "big") + b"\x00" if offset else b"\x00" * 6
            for offset in table[1:])
        data = zlib.compress(rows + b"\x00" * 6 * (size - len(table)), 9)
        out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R " % (number, size)
                + (b"/Prev %d " % previous if previous is not None else b"")
                + b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data
                + b"\nendstream\nendobj\n")
        if startxref_each or section == sections - 1:
            out += b"startxref\n%d\n%%%%EOF\n" % start
        offsets, previous = table, start
    return out


@pytest.mark.parametrize(("size", "sections", "startxref_each", "expected"), [
    (2_000_000, 1, True, "has a cross-reference section of 2000000 objects"),
    (1_000, 5, True, "has 5 revisions (%%EOF)"),
    (1_000, 3, False, "has more than 2 cross-reference sections"),
    (60, 1, True, "carries no objection request data"),  # small: read, and not a letter
], ids=["huge-size", "many-revisions", "prev-chain", "small"])
def test_cross_reference_bombs_are_refused_before_parsing(
        check: Callable[..., Result], size: int, sections: int, startxref_each: bool,
        expected: str) -> None:
    import time

    began = time.monotonic()
    result = check(_xref_streams(size, sections, startxref_each))
    assert time.monotonic() - began < 10
    assert expected in result.output, result.output
    assert result.exit_code == (1 if size == 60 else 2), result.output


def _quotes(count: int) -> Callable[[Any, Any], None]:
    """A content stream of `count` `'` operators on the first page: pypdf's text extraction
    takes quadratic time in them (d4)."""
    def edit(writer: Any, page: Any) -> None:
        import zlib

        from pypdf.generic import ArrayObject, NameObject, StreamObject

        stream = StreamObject()
        stream._data = zlib.compress(b"BT " + (b"(" + b"a" * 70 + b") ' ") * count + b"ET", 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"),
                                                     writer._add_object(stream)])
    return edit


def test_a_page_that_takes_minutes_to_extract_is_invalid_without_extracting(
        check: Callable[..., Result], genuine: bytes) -> None:
    import time

    began = time.monotonic()
    result = check(_edited(genuine, _quotes(100_000)))
    assert result.exit_code == 1, result.output
    assert "problem: the page is not what objection makes" in result.output
    assert time.monotonic() - began < 20


def test_checking_stops_at_its_time_limit(check: Callable[..., Result],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Made by another generator, the page's text must be extracted: stopped at the limit
    (30 s; 1 s here), exit 2."""
    import time

    import objection.verify

    monkeypatch.setattr(objection.verify, "CHECK_SECONDS", 1)
    letter = make_letter()
    slow = _edited(letter_pdf(letter, letter, generator=OTHER_GENERATOR), _quotes(30_000))
    began = time.monotonic()
    result = check(slow)
    assert result.exit_code == 2, result.output
    assert one_line(result).endswith("took longer than 1 s to check; a letter takes a few "
                                     "seconds")
    assert time.monotonic() - began < 10


def test_a_letter_is_the_same_bytes_in_a_fresh_process(tmp_path: Path) -> None:
    """What the byte comparison rests on: another process (another hash seed, fonts loaded
    anew) makes the same bytes from the same request (also bilingual, with a signature image,
    made to be signed)."""
    import hashlib

    from objection.compose import compose
    from objection.request import make_request

    image = tmp_path / "signature.svg"
    image.write_bytes(SIGNATURE_IMAGES[1].data)
    cases = [({}, False),
             ({"lang": "de", "bilingual": True, "signature_image": str(image)}, True)]
    code = ("import hashlib, json, sys\nfrom objection.compose import compose\n"
            "from objection.request import make_request\nfrom objection.render import render_pdf\n"
            "for values, signed in json.loads(sys.argv[1]):\n"
            "    letter = compose(make_request(values))\n"
            "    print(hashlib.sha256(render_pdf(letter, signed=signed).data).hexdigest())\n")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(
        [({**VALUES, **changes}, signed) for changes, signed in cases])],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert done.returncode == 0, done.stderr
    here = [hashlib.sha256(rendered(compose(make_request({**VALUES, **changes})), signed))
            .hexdigest() for changes, signed in cases]
    assert done.stdout.split() == here
