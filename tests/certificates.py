"""Throwaway certificates for the signing tests, made with the cryptography package."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = b"correct horse"
NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ThrowawayPki:
    root_pem: Path
    other_root_pem: Path
    signer_p12: Path
    expired_p12: Path
    no_signing_p12: Path
    tsa_cert_der: bytes   # a timestamping authority under the same root
    tsa_key_der: bytes    # its private key, PKCS#8 DER


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "DE")])


def _usage(digital_signature: bool, non_repudiation: bool, key_cert_sign: bool,
           key_encipherment: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=non_repudiation,
                         key_encipherment=key_encipherment, data_encipherment=False,
                         key_agreement=False, key_cert_sign=key_cert_sign, crl_sign=key_cert_sign,
                         encipher_only=False, decipher_only=False)


def _root(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(_name(common_name)).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=3650))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(False, False, True), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _leaf(common_name: str, issuer: tuple[ec.EllipticCurvePrivateKey, x509.Certificate],
          usage: x509.KeyUsage, not_before: dt.datetime, not_after: dt.datetime,
          path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(issuer[1].subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(issuer[0], hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, cert, [issuer[1]],
        serialization.BestAvailableEncryption(PASSWORD)))
    return path


def make_pki(folder: Path) -> ThrowawayPki:
    root = _root("Objection Test Root CA")
    other = _root("Some Other CA")
    root_pem = folder / "root.pem"
    root_pem.write_bytes(root[1].public_bytes(serialization.Encoding.PEM))
    other_pem = folder / "other-root.pem"
    other_pem.write_bytes(other[1].public_bytes(serialization.Encoding.PEM))
    year = dt.timedelta(days=365)
    # pyHanko's test TSA signs with RSA only.
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = (x509.CertificateBuilder().subject_name(_name("Objection Test TSA"))
                .issuer_name(root[1].subject).public_key(tsa_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(NOW - year).not_valid_after(NOW + year)
                .add_extension(_usage(True, False, False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]),
                               critical=True)
                .sign(root[0], hashes.SHA256()))
    return ThrowawayPki(
        tsa_cert_der=tsa_cert.public_bytes(serialization.Encoding.DER),
        tsa_key_der=tsa_key.private_bytes(serialization.Encoding.DER,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()),
        root_pem=root_pem, other_root_pem=other_pem,
        signer_p12=_leaf("Jane Doe", root, _usage(True, True, False), NOW - year, NOW + year,
                         folder / "signer.p12"),
        expired_p12=_leaf("Jane Expired", root, _usage(True, True, False), NOW - 2 * year,
                          NOW - year, folder / "expired.p12"),
        no_signing_p12=_leaf("Jane Encrypt", root, _usage(False, False, False, True),
                             NOW - year, NOW + year, folder / "no-signing.p12"),
    )


@dataclass(frozen=True)
class OddCertificates:
    """PKCS#12 files that sign but that `verify` (pyHanko's validation) would refuse, or that
    cannot sign at all, each under `root_pem`."""

    root_pem: Path
    p12: dict[str, Path]  # by kind: see make_odd_certificates


def _leaf_key(kind: str) -> Any:
    if kind == "rsa1024":
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(ec.SECP256R1())


def make_odd_certificates(folder: Path) -> OddCertificates:
    """good (EC, nonRepudiation), rsa2048 (good), digital_signature_only, no_key_usage,
    rsa1024, ed25519, no_certificate (a key alone), no_key (a certificate alone)."""
    root = _root("Objection Odd Root CA")
    root_pem = folder / "odd-root.pem"
    root_pem.write_bytes(root[1].public_bytes(serialization.Encoding.PEM))
    year = dt.timedelta(days=365)
    both = _usage(True, True, False)
    kinds: dict[str, tuple[str, x509.KeyUsage | None]] = {
        "good": ("ec", both), "rsa2048": ("rsa2048", both),
        "digital_signature_only": ("ec", _usage(True, False, False)),
        "no_key_usage": ("ec", None), "rsa1024": ("rsa1024", both),
        "ed25519": ("ed25519", both), "no_certificate": ("ec", both),
        "no_key": ("ec", both)}
    paths = {}
    for kind, (key_kind, usage) in kinds.items():
        key = _leaf_key(key_kind)
        builder = (x509.CertificateBuilder().subject_name(_name(f"Jane {kind}"))
                   .issuer_name(root[1].subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - year).not_valid_after(NOW + year)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True))
        if usage is not None:
            builder = builder.add_extension(usage, critical=True)
        cert = builder.sign(root[0], hashes.SHA256())
        pair = {"no_certificate": (key, None), "no_key": (None, cert)}.get(kind, (key, cert))
        paths[kind] = folder / f"{kind}.p12"
        paths[kind].write_bytes(pkcs12.serialize_key_and_certificates(
            kind.encode(), pair[0], pair[1], [root[1]],
            serialization.BestAvailableEncryption(PASSWORD)))
    return OddCertificates(root_pem, paths)
