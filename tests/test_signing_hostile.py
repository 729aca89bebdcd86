"""Hostile input to signing (issue 12, items 12, 13, 18): what the user sees is one line on
standard error, exit status 2, no file and no traceback; a timestamp server is read bounded."""

import contextlib
import io
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.certificates import (
    PASSWORD,
    OddCertificates,
    ThrowawayPki,
    make_odd_certificates,
)
from tests.conftest import BASE_ARGS

ARGS = [*BASE_ARGS, "--country", "DE", "--lang", "en", "--ground", "old-content"]
GIB = 1024 ** 3


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> OddCertificates:
    return make_odd_certificates(tmp_path_factory.mktemp("odd"))


def _refused(result: Result, folder: Path, *expected: str) -> str:
    """Exit 2, one line that says each of `expected`, no traceback, nothing written."""
    output = result.output.strip()
    assert result.exit_code == 2, output
    assert len(output.splitlines()) == 1, output
    assert all(phrase in output for phrase in expected), output
    assert "Traceback" not in output
    assert [path for path in folder.iterdir() if path.suffix == ".pdf"] == []
    return output


def _sign(run: Callable[..., Result], p12: Path, password_file: Path, out: Path,
          *extra: str) -> Result:
    return run("letter", *ARGS, "--sign-p12", str(p12), "--p12-password-file",
               str(password_file), *extra, "-o", str(out))


# Item 13: the certificate rules of `verify`, checked before signing.

@pytest.mark.parametrize(("kind", "expected"), [
    ("digital_signature_only", "key usage does not allow signing documents; expected "
                               "nonRepudiation"),
    ("no_key_usage", "key usage does not allow signing documents; expected nonRepudiation"),
    ("rsa1024", "key (RSA, 1024 bits) is too weak to sign with; expected RSA of 2048 bits"),
    ("ed25519", "key is ED25519, which PDF readers do not check; expected an RSA or EC key"),
    ("no_certificate", "the PKCS#12 file holds no certificate"),
    ("no_key", "the PKCS#12 file holds no private key"),
])
def test_a_certificate_verify_would_refuse_is_refused_before_signing(
        run: Callable[..., Result], tmp_path: Path, odd: OddCertificates, password_file: Path,
        kind: str, expected: str) -> None:
    result = _sign(run, odd.p12[kind], password_file, tmp_path / "x.pdf")
    _refused(result, tmp_path, "Error: sign_p12 '", expected)


def test_a_certificate_signed_with_sha1_is_refused(run: Callable[..., Result], tmp_path: Path,
                                                   odd: OddCertificates,
                                                   password_file: Path) -> None:
    """cryptography no longer signs with SHA-1: the algorithm is relabelled (the certificate's
    own signature is then wrong too, which signing cannot see and verify would catch)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, chain = pkcs12.load_key_and_certificates(odd.p12["good"].read_bytes(), PASSWORD)
    assert cert is not None
    relabelled = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    for field in (relabelled["signature_algorithm"], relabelled["tbs_certificate"]["signature"]):
        field["algorithm"] = "sha1_ecdsa"
    sha1 = x509.load_der_x509_certificate(relabelled.dump(force=True))
    p12 = tmp_path / "sha1.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"sha1", key, sha1, chain,
        serialization.BestAvailableEncryption(PASSWORD)))
    result = _sign(run, p12, password_file, tmp_path / "x.pdf")
    _refused(result, tmp_path, "the certificate is itself signed with a weak algorithm "
                               "(sha1_ecdsa); expected SHA-256 or better")


def test_the_rule_is_the_one_pyhanko_validation_applies(odd: OddCertificates) -> None:
    """Signed by pyHanko directly (no objection checks), each certificate is trusted by the
    validation `verify` runs exactly when signer_rules finds no problem with it."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pypdf import PdfWriter

    from objection.signer_rules import algorithm_policy, certificate_problem, signer_key_usage

    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    root = load_cert_from_pemder(str(odd.root_pem))
    for kind in ("good", "rsa2048", "digital_signature_only", "no_key_usage", "rsa1024"):
        signer = signers.SimpleSigner.load_pkcs12_data(odd.p12[kind].read_bytes(), [], PASSWORD)
        signed = signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="S", md_algorithm="sha256",
                                         subfilter=fields.SigSeedSubFilter.PADES),
            signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(blank.getvalue())))
        [signature] = PdfFileReader(signed).embedded_signatures
        for context, settings in (
                (ValidationContext(trust_roots=[root], allow_fetching=False), None),
                (ValidationContext(trust_roots=[root], allow_fetching=False,
                                   algorithm_usage_policy=algorithm_policy()),
                 signer_key_usage())):
            status = validate_pdf_signature(signature, context, key_usage_settings=settings)
            problem = certificate_problem(signer.signing_cert,
                                          signature.signer_info["signature_algorithm"])
            assert status.trusted == (problem is None), (kind, problem)
            assert (problem is None) == (kind in ("good", "rsa2048")), kind


def test_what_signing_accepts_verify_accepts(run: Callable[..., Result], tmp_path: Path,
                                             odd: OddCertificates, password_file: Path) -> None:
    for kind in ("good", "rsa2048"):
        out = tmp_path / f"{kind}.pdf"
        # The letter's sender is the certificate's subject: verify's exit 0 needs both.
        assert _sign(run, odd.p12[kind], password_file, out, "--name",
                     f"Jane {kind}").exit_code == 0
        result = run("verify", str(out), "--trust-root", str(odd.root_pem))
        assert result.exit_code == 0, result.output


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(
        run: Callable[..., Result], tmp_path: Path, odd: OddCertificates, password_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    real = pkcs12.load_key_and_certificates
    other_key = real(odd.p12["rsa2048"].read_bytes(), PASSWORD)[0]

    def crafted(data: bytes, password: bytes | None) -> Any:
        _key, cert, chain = real(data, password)
        return other_key, cert, chain

    monkeypatch.setattr(pkcs12, "load_key_and_certificates", crafted)
    result = _sign(run, odd.p12["good"], password_file, tmp_path / "x.pdf")
    _refused(result, tmp_path, "the private key does not belong to the certificate")


@pytest.mark.parametrize("content", [b"", b"just some text\n", b"PEM", b"\x30\x03\x02\x01\x03"])
def test_a_file_that_is_not_pkcs12_is_told_apart_from_a_wrong_password(
        run: Callable[..., Result], tmp_path: Path, odd: OddCertificates, password_file: Path,
        content: bytes) -> None:
    notes = tmp_path / "notes.p12"
    notes.write_bytes(odd.root_pem.read_bytes() if content == b"PEM" else content)
    output = _refused(_sign(run, notes, password_file, tmp_path / "x.pdf"), tmp_path,
                      "Error: sign_p12 '", "not a PKCS#12 file")
    assert "password" not in output
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it")
    output = _refused(_sign(run, odd.p12["good"], wrong, tmp_path / "x.pdf"), tmp_path,
                      "wrong password for the PKCS#12 file")
    assert "not it" not in output


# Item 12: files that never end, block or are too large.

def _objection(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in a child process: a file that blocks or never ends cannot hang or
    exhaust the test run (4 GiB of address space, a minute)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 * GIB, 4 * GIB))

    env = {key: value for key, value in os.environ.items() if key != "OBJECTION_P12_PASSWORD"}
    return subprocess.run([sys.executable, "-m", "objection", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=limit)


@pytest.mark.parametrize(("which", "source", "expected"), [
    ("p12", "/dev/zero", "is not a regular file"),
    ("p12", "fifo", "is not a regular file"),
    ("p12", "big", "at most 1 MiB"),
    ("password", "/dev/zero", "is not a regular file"),
    ("password", "fifo", "is not a regular file"),
    ("password", "big", "at most 4 KiB"),
])
def test_a_device_a_pipe_or_a_large_file_is_refused_without_hanging(
        tmp_path: Path, odd: OddCertificates, password_file: Path, which: str, source: str,
        expected: str) -> None:
    path = Path(source)
    if source == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    elif source == "big":
        path = tmp_path / "big"
        path.write_bytes(b"\0" * ((1024 if which == "p12" else 4) * 1024 + 1))
    p12, password = (path, password_file) if which == "p12" else (odd.p12["good"], path)
    out = tmp_path / "out"
    out.mkdir()
    done = _objection("letter", *ARGS, "--sign-p12", str(p12), "--p12-password-file",
                      str(password), "-o", str(out / "x.pdf"))
    field = "sign_p12" if which == "p12" else "p12_password_file"
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"Error: {field} '") and expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert list(out.iterdir()) == []


def test_a_password_with_a_nul_byte_is_refused_without_a_panic(tmp_path: Path,
                                                                odd: OddCertificates) -> None:
    binary = tmp_path / "password.bin"
    binary.write_bytes(b"correct\0horse")
    out = tmp_path / "out"
    out.mkdir()
    done = _objection("letter", *ARGS, "--sign-p12", str(odd.p12["good"]),
                      "--p12-password-file", str(binary), "-o", str(out / "x.pdf"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("Error: p12_password '(hidden)': contains a NUL byte; "
                                   "expected the password as text")
    assert list(out.iterdir()) == []


# Item 18: --tsa must be a URL, checked before any work.

@pytest.mark.parametrize("url", [
    "tsa.example.org", "ftp://tsa.example.org/", "file:///etc/passwd", "http://",
    "http://tsa.example.org:99999/", "http://tsa.exa mple.org/", "https://:443/",
    "ftp://user:s3cret@tsa.example.org/",
])
def test_a_tsa_that_is_not_an_http_url_is_refused_first(run: Callable[..., Result],
                                                        tmp_path: Path, url: str) -> None:
    # The PKCS#12 file does not exist: the URL is checked before it is opened.
    result = run("letter", *ARGS, "--sign-p12", str(tmp_path / "missing.p12"), "--tsa", url,
                 "-o", str(tmp_path / "x.pdf"))
    output = _refused(result, tmp_path, "Error: tsa '", "not an http:// or https:// URL")
    assert "s3cret" not in output


def test_a_tsa_without_a_signature_is_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("letter", *ARGS, "--tsa", "https://tsa.example.org/", "-o",
                 str(tmp_path / "x.pdf"))
    _refused(result, tmp_path, "tsa 'https://tsa.example.org/'", "add --sign-p12")


# Item 12 and 18: what a timestamp server answers.

class _Server:
    """A timestamp server on loopback; `answer(handler, request_body)` writes the answer."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, bytes], None]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # The client hangs up on a huge answer, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    answer(self, body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.sent = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsr"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _reply(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200,
           content_type: str = "application/timestamp-reply") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _dummy_stamper(pki: ThrowawayPki) -> Any:
    from asn1crypto import keys, x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    return DummyTimeStamper(tsa_cert=x509.Certificate.load(pki.tsa_cert_der),
                            tsa_key=keys.PrivateKeyInfo.load(pki.tsa_key_der))


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[BaseHTTPRequestHandler, bytes], None]], _Server]]:
    servers: list[_Server] = []

    def start(answer: Callable[[BaseHTTPRequestHandler, bytes], None]) -> _Server:
        servers.append(_Server(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _stream(server_box: list[_Server], declared: bool) -> Callable[[BaseHTTPRequestHandler,
                                                                     bytes], None]:
    """1 GiB of zeros as a timestamp reply, in 64 KiB writes, until the client hangs up."""
    def answer(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/timestamp-reply")
        if declared:
            handler.send_header("Content-Length", str(GIB))
        handler.end_headers()
        chunk = b"\0" * 65536
        while server_box[0].sent < GIB:
            handler.wfile.write(chunk)
            server_box[0].sent += len(chunk)
    return answer


def _other_data(pki: ThrowawayPki) -> Callable[[BaseHTTPRequestHandler, bytes], None]:
    """A real timestamp (our nonce, a valid signature) for another document."""
    from asn1crypto import tsp

    stamper = _dummy_stamper(pki)

    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        request = tsp.TimeStampReq.load(body)
        imprint = request["message_imprint"]
        other = tsp.TimeStampReq({
            "version": 1, "nonce": request["nonce"], "cert_req": True,
            "message_imprint": {"hash_algorithm": imprint["hash_algorithm"],
                                "hashed_message": bytes(len(imprint["hashed_message"].native))}})
        _reply(handler, stamper.request_tsa_response(other).dump())
    return answer


def _broken_token(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
    """Granted, with a token that is a bare signedData label and nothing signed."""
    from asn1crypto import tsp

    status = tsp.PKIStatusInfo({"status": "granted"}).dump()
    token = bytes.fromhex("300b06092a864886f70d010702")
    _reply(handler, b"\x30" + bytes([len(status) + len(token)]) + status + token)


def _refusal(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
    from asn1crypto import tsp

    # A TimeStampResp with a status and no token (asn1crypto will not write one).
    status = tsp.PKIStatusInfo({"status": "rejection", "status_string": ["Jane, go away"]}).dump()
    _reply(handler, b"\x30" + bytes([len(status)]) + status)


@pytest.mark.parametrize(("case", "expected"), [
    ("junk", "its answer is not an RFC 3161 timestamp response"),
    ("html", "its answer is not a timestamp reply"),
    ("not found", "it answered HTTP 404"),
    ("refusal", "it refused the request: rejection"),
    ("broken token", "it sent an unusable timestamp token"),
    ("other data", "its timestamp is for other data"),
    ("huge stream", "its answer is larger than 1 MiB"),
    ("huge declared", "its answer is larger than 1 MiB"),
])
def test_a_timestamp_server_that_gives_no_valid_timestamp_is_bad_input(
        run: Callable[..., Result], serve: Callable[..., _Server], tmp_path: Path,
        pki: ThrowawayPki, password_file: Path, case: str, expected: str) -> None:
    box: list[_Server] = []
    answers: dict[str, Callable[[BaseHTTPRequestHandler, bytes], None]] = {
        "junk": lambda handler, _: _reply(handler, b"\x30\x82\xff\xffnot a timestamp" * 8),
        "html": lambda handler, _: _reply(handler, b"<html>hello</html>", 200, "text/html"),
        "not found": lambda handler, _: _reply(handler, b"nothing here", 404, "text/plain"),
        "refusal": _refusal,
        "broken token": _broken_token,
        "other data": _other_data(pki),
        "huge stream": _stream(box, declared=False),
        "huge declared": _stream(box, declared=True),
    }
    box.append(serve(answers[case]))
    result = _sign(run, pki.signer_p12, password_file, tmp_path / "x.pdf", "--tsa", box[0].url)
    output = _refused(result, tmp_path, f"tsa '{box[0].url}'",
                      f"the timestamp server gave no valid timestamp ({expected})")
    assert "Jane" not in output
    assert box[0].sent < 64 * 1024 * 1024  # the client stopped reading early


def test_an_unavailable_timestamp_server_is_worth_a_retry(
        run: Callable[..., Result], serve: Callable[..., _Server], tmp_path: Path,
        pki: ThrowawayPki, password_file: Path) -> None:
    server = serve(lambda handler, _: _reply(handler, b"busy", 503, "text/plain"))
    result = _sign(run, pki.signer_p12, password_file, tmp_path / "x.pdf", "--tsa", server.url)
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: the timestamp server at {server.url} gave no "
                                     "timestamp (it answered HTTP 503); try again or leave out "
                                     "--tsa")
    assert list(tmp_path.iterdir()) == []


# No personal data or traceback on standard error while signing, without --debug.

def test_signing_prints_no_name_and_no_traceback(
        serve: Callable[..., _Server], tmp_path: Path, odd: OddCertificates, pki: ThrowawayPki,
        password_file: Path) -> None:
    from asn1crypto import tsp

    stamper = _dummy_stamper(pki)
    good = serve(lambda handler, body: _reply(
        handler, stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()))
    junk = serve(lambda handler, _: _reply(handler, b"\x30\x03junk"))
    base = ["letter", *ARGS, "--scope", "generative", "--p12-password-file", str(password_file),
            "--quiet"]  # on success, only the one line "Wrote …" would be said anyway
    for p12, tsa, status in ((odd.p12["good"], good.url, 0), (odd.p12["good"], junk.url, 2),
                             (odd.p12["rsa1024"], None, 2),
                             (odd.p12["good"], "http://127.0.0.1:9/", 1)):
        out = tmp_path / "x.pdf"
        done = _objection(*base, "--sign-p12", str(p12), *(["--tsa", tsa] if tsa else []),
                          "-o", str(out))
        assert done.returncode == status, done.stderr
        assert "Jane" not in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == (status != 0), done.stderr
        out.unlink(missing_ok=True)


@pytest.mark.parametrize("kind", ["digital_signature_only", "no_key_usage", "rsa1024"])
def test_verify_refuses_what_signing_refuses(run: Callable[..., Result], tmp_path: Path,
                                             odd: OddCertificates, kind: str) -> None:
    """A letter signed elsewhere with a certificate signing refuses: verify used to call
    such a signature intact (without --trust-root) or blame the chain (with one)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    plain = tmp_path / "plain.pdf"
    assert run("letter", *ARGS, "-o", str(plain)).exit_code == 0
    signer = signers.SimpleSigner.load_pkcs12_data(odd.p12[kind].read_bytes(), [], PASSWORD)
    signed = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Signature", md_algorithm="sha256",
                                     subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(plain.read_bytes())))
    letter = tmp_path / "signed.pdf"
    letter.write_bytes(signed.getvalue())
    expected = {"rsa1024": "is too weak to sign with"}.get(
        kind, "key usage does not allow signing documents")
    for extra in ((), ("--trust-root", str(odd.root_pem))):
        result = run("verify", str(letter), *extra)
        assert result.exit_code == 1, result.output
        assert expected in result.output
