"""What a signer's certificate must meet: one set of rules for signing and for `verify`.

They are pyHanko's own, the objects its signature validation uses by default: the signer's
key usage must include nonRepudiation (`PdfSignatureStatus`'s default `KeyUsageConstraints`),
and the signature algorithm must not be weak (pyhanko_certvalidator's
`DisallowWeakAlgorithmsPolicy`: RSA under 2048 bits, DSA under 3192, MD5 or SHA-1). Signing
checks them before it signs, so objection never makes a letter that `verify` refuses.
"""

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asn1crypto import algos, x509  # type: ignore[import-untyped]
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator.policy_decl import AlgorithmUsagePolicy


def signer_key_usage() -> "KeyUsageConstraints":
    """The key usage a signer's certificate needs: pass to `validate_pdf_signature`."""
    from pyhanko.sign.validation.status import PdfSignatureStatus

    return PdfSignatureStatus.default_usage_constraints()


def algorithm_policy() -> "AlgorithmUsagePolicy":
    """The algorithms and key sizes accepted: pass to `ValidationContext`."""
    from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy

    return DisallowWeakAlgorithmsPolicy()  # type: ignore[no-untyped-call]


def certificate_problem(cert: "x509.Certificate", mechanism: "algos.SignedDigestAlgorithm",
                        moment: dt.datetime | None = None) -> str | None:
    """Why pyHanko's validation refuses a signature made with `cert` and `mechanism`, in
    words for the user (a phrase that names the certificate); None when it does not."""
    from pyhanko_certvalidator.errors import InvalidCertificateError

    try:
        signer_key_usage().validate(cert)
    except InvalidCertificateError:
        return ("the certificate's key usage does not allow signing documents; expected "
                "nonRepudiation (content commitment)")
    policy = algorithm_policy()
    key = cert.public_key
    if not policy.signature_algorithm_allowed(mechanism, moment, key):
        return (f"the certificate's key ({describe_key(key)}) is too weak to sign with; "
                "expected RSA of 2048 bits or more, or an EC key")
    if not policy.signature_algorithm_allowed(cert["signature_algorithm"], moment, None):
        return ("the certificate is itself signed with a weak algorithm "
                f"({cert['signature_algorithm']['algorithm'].native}); expected SHA-256 or better")
    return None


def describe_key(key: "x509.PublicKeyInfo") -> str:
    """`RSA, 1024 bits`, `EC, 256 bits`, `ED25519`: how a key is named in messages."""
    name = {"rsassa_pss": "rsa"}.get(key.algorithm, key.algorithm).upper()
    return f"{name}, {key.bit_size} bits" if name in ("RSA", "EC", "DSA") else name
