"""`objection verify` against hostile letters and inputs (issue 12, items 9, 12, 14 and 18):
what a user sees, its exit status and its words."""

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
from tests.certificates import PASSWORD, ThrowawayPki, make_pki
from tests.conftest import BASE_ARGS

ARGS = [*BASE_ARGS, "--country", "DE", "--ground", "old-content"]
VALUES = {"name": "Jane Doe", "email": "jane@example.org", "country": "DE", "lang": "en",
          "ground": ["old-content"], "date": "2026-11-23"}
OBJECTION = Path(sys.executable).parent / "objection"  # the installed command


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


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


def letter_pdf(shown: Letter, data: Letter, drop: str = "") -> bytes:
    """A PDF showing one letter and carrying another's request data (without key `drop`)."""
    from objection.pdf import html_to_pdf
    from objection.render import render_html
    from objection.request_data import REQUEST_DATA_NAME, request_data

    request = json.loads(request_data(data, False))
    request.pop(drop, None)
    return html_to_pdf(render_html(shown), REQUEST_DATA_NAME, json.dumps(request).encode(),
                       shown.kind.attachment_description, shown.request.date).data


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
    unsigned = letter_pdf(make_letter(), make_letter())
    assert check(unsigned).exit_code == 0
    result = check(forge(unsigned))
    assert result.exit_code == 1, result.output
    assert "INVALID" in result.output
    assert "the letter was changed after it was made (1 incremental update(s)" in result.output


def test_an_update_between_the_letter_and_its_signature_is_invalid(
        check: Callable[..., Result], signed: bytes, pki: ThrowawayPki) -> None:
    # Cut after the letter's own revision, change it, then have it signed (and trusted).
    result = check(sign(forge(first_revision(signed)), pki.signer_p12),
                   "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "the letter was changed before it was signed (1 incremental update(s) between " \
           "the letter and its signature)" in result.output


def test_changes_made_with_the_signature_are_invalid(check: Callable[..., Result],
                                                     signed: bytes, pki: ThrowawayPki) -> None:
    result = check(forge(first_revision(signed), sign_with=pki.signer_p12),
                   "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "the signature's revision changes more than its signature field" in result.output


def test_an_update_after_the_signature_is_invalid(check: Callable[..., Result], signed: bytes,
                                                  pki: ThrowawayPki) -> None:
    assert check(signed, "--trust-root", str(pki.root_pem)).exit_code == 0
    result = check(forge(signed), "--trust-root", str(pki.root_pem))
    assert result.exit_code == 1, result.output
    assert "does not cover the whole file (content was added after signing)" in result.output


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


@pytest.mark.parametrize("page_has_it", [False, True], ids=["in-data", "on-page"])
@pytest.mark.parametrize("change", list(SHOWN_DIFFERENTLY))
def test_every_value_the_page_shows_is_compared(check: Callable[..., Result], change: str,
                                                page_has_it: bool) -> None:
    # The reference stays: else comparing it alone would catch the change.
    base = make_letter()
    other = make_letter(reference=base.reference, **SHOWN_DIFFERENTLY[change])
    shown, data = (other, base) if page_has_it else (base, other)
    result = check(letter_pdf(shown, data))
    assert result.exit_code == 1, result.output
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

    for image in (None, SignatureImage("image/png", b"\x89PNG not really")):
        request = dataclasses.replace(make_request({**VALUES, **changes}), signature_image=image)
        letter = compose(request)
        rebuilt, differing = rebuild_letter(json.loads(request_data(letter, True)))
        assert differing == []
        assert rebuilt.reference == letter.reference
        assert dataclasses.replace(rebuilt.request, signature_image=image) == request


def test_the_request_data_cannot_make_verify_read_a_file(fifo: Path) -> None:
    from objection.request_data import rebuild_letter, request_data

    data = json.loads(request_data(make_letter(), False))
    data["inputs"]["signature_image"] = str(fifo)  # opening a pipe would wait forever
    _letter, differing = rebuild_letter(data)
    assert differing == ["inputs"]


def test_a_letter_from_an_older_version_says_what_was_not_checked(
        check: Callable[..., Result]) -> None:
    letter = make_letter()
    result = check(letter_pdf(letter, letter, drop="inputs"))
    assert result.exit_code == 0, result.output
    assert "note: made by an older version of objection: only the reference" in result.output
    assert "the reference was not recomputed" in result.output


# Item 9: a signature that nothing ties to a person is not "valid".

def test_an_impostor_signature_is_intact_but_not_verified(
        check: Callable[..., Result], signed: bytes, impostor_p12: Path,
        pki: ThrowawayPki) -> None:
    impostor = sign(first_revision(signed), impostor_p12)
    result = check(impostor)
    assert result.exit_code == 3, result.output
    assert "INTACT, SIGNER NOT VERIFIED" in result.output
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
        path.write_bytes(broken_page(letter_pdf(make_letter(), make_letter())))
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
