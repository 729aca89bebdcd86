"""Write every kind of output objection makes, from fixed inputs, into one folder.

Used by `scripts/compare-outputs` to show that a change of the code's shape changes no
letter: it runs this once with an earlier revision of the package and once with the
working tree, and compares the two folders byte for byte. It drives only the command
line, which both revisions share. Signed PDFs are left out: a signature carries the time
of signing, so two runs never give the same bytes.
"""

import io
import sys
import zipfile
from pathlib import Path

from objection.cli import cli

LANGUAGES = ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
             "is", "it", "lt", "lv", "mt", "nb", "nl", "pl", "pt", "ro", "sk", "sl", "sv"]
PERSON = ["--no-input", "--name", "Zoë Ødegård-Núñez", "--email", "zoe@example.org",
          "--profile-url", "linkedin.com/in/zoe-example", "--address", "Heidestraße 17",
          "--address", "51147 Köln", "--place", "Köln", "--date", "2026-11-23"]
ALL_GROUNDS = ["sensitive-data", "old-content", "professional-secrecy", "third-parties",
               "harassment", "reproduction", "journalist", "employee-representative",
               "job-seeker", "minor-content", "security-role"]
SITUATION = "I am a GP.\n\nI write about <b>my</b> work & my patients' \"cases\"."


def letters() -> dict[str, list[str]]:
    """Output name → arguments of `objection letter` (without -o)."""
    grounds = [arg for key in ALL_GROUNDS for arg in ("--ground", key)]
    cases: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        country = {"en": "IE", "nb": "NO", "is": "IS"}.get(lang, "DE")
        cases[f"lang-{lang}"] = [*PERSON, "--country", country, "--lang", lang, *grounds,
                                 "--situation", SITUATION]
    cases["ch-de"] = [*PERSON, "--country", "CH", "--ground", "old-content"]
    cases["ch-fr-bilingual"] = [*PERSON, "--country", "CH", "--lang", "fr", "--bilingual",
                                "--ground", "journalist"]
    cases["gb"] = [*PERSON, "--country", "GB", "--ground", "third-parties", "--toggle",
                   "pending"]
    cases["gb-scope"] = [*PERSON, "--country", "GB", "--scope", "microsoft", "--ground",
                         "harassment"]
    cases["pl-bilingual-no-place"] = ["--no-input", "--name", "Anna Kowalska", "--email",
                                      "anna@example.pl", "--country", "PL", "--bilingual",
                                      "--date", "2026-11-23", "--situation", "Jestem lekarką."]
    cases["fr-scope"] = [*PERSON, "--country", "FR", "--scope", "generative", "--scope",
                         "features", "--ground", "reproduction"]
    cases["signature-image"] = [*PERSON, "--country", "IE", "--ground", "old-content",
                                "--signature-image", "SIGNATURE"]
    cases["example-profile"] = ["--no-input", "--profile", "examples/profile.toml"]
    return cases


def signature_png(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (120, 10), (200, 70), (290, 20)], fill="navy", width=4)
    image.save(path, format="PNG")


def run(args: list[str]) -> None:
    try:
        cli.main(args, prog_name="objection", standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, 3):
            raise


def main(out: Path) -> None:
    out.mkdir(parents=True)
    image = out / "signature.png"
    signature_png(image)
    for name, args in letters().items():
        args = [str(image) if arg == "SIGNATURE" else arg for arg in args]
        for fmt in ("pdf", "txt"):
            run(["letter", *args, "-o", str(out / f"{name}.{fmt}")])
    batch = out / "batch"
    run(["batch", "examples/staff.csv", "-o", str(batch), "--format", "pdf,txt", "--eml",
         "--zip", "--print-file", "--date", "2026-11-23", "--quiet", "--jobs", "2"])
    # The zip's entries carry the files' times; keep their contents, which must match.
    with zipfile.ZipFile(batch / "letters.zip") as archive:
        for member in archive.namelist():
            (out / "batch-zip").mkdir(exist_ok=True)
            (out / "batch-zip" / member).write_bytes(archive.read(member))
    (batch / "letters.zip").unlink()
    # pypdf gives a merged file a random /ID; compare the print file's pages instead.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((batch / "print.pdf").read_bytes()))
    (batch / "print.pdf").unlink()
    (out / "batch-print-pages.txt").write_text(
        "\n".join(page.extract_text() for page in reader.pages), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
