"""Write every kind of output objection makes, from fixed inputs, into one folder.

Used by `scripts/compare-outputs` to show that a change of the code's shape changes no
letter: it runs this once with an earlier revision of the package and once with the
working tree, and compares the two folders byte for byte. It drives only the command
line, which both revisions share. A signature carries the time of signing, so of a signed
PDF only the part before the signature (the letter as made to be signed) is kept. What
the command line says to bad input goes to transcript.txt, which the caller shows apart:
a change of wording there may be intended.
"""

import csv
import io
import os
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

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


def shared_rows(path: Path) -> None:
    """Rows that share bodies: the same grounds, toggle, situation or signature image for
    different people (names HTML must escape), so that the batch's body cache is used."""
    names = ["Ann <b>Lee</b>", "Bo & Co Berg", "Cy O'Hara", 'Di "Dee" Diaz', "Éva Nagy",
             "Fynn Ødegård"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "email", "country", "lang", "ground", "toggle", "situation",
                         "bilingual", "signature_image", "profile_url"])
        for index in range(24):
            writer.writerow([
                f"{names[index % 6]} {index // 6}", f"p{index}@example.org",
                ["DE", "IE", "CH", "GB"][index % 4], ["", "en", "fr", ""][index % 4],
                ["old-content", "journalist,harassment"][index % 2],
                ["off", "pending"][index % 3 == 0],
                ["", "I teach.\n\nMy pupils & I post."][index % 5 == 0],
                ["", "yes"][index % 7 == 0 and index % 4 != 1],
                ["", "signature.png"][index % 4 == 2],
                ["", f"linkedin.com/in/p-{index}"][index % 2]])


def transcript(out: Path) -> None:
    """Exit status and output of the command line for bad input."""
    base = ["letter", "--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
            "--country", "IE", "--ground", "old-content", "--date", "2026-11-23"]
    cases = [[*base, "--country", "US"], [*base, "--email", "x"], [*base, "--toggle", "maybe"],
             [*base, "--format", "docx"], [*base, "--date", "2026-02-30"],
             [*base, "--ground", "bored"], [*base, "--lang", "tlh"], [*base, "--nmae", "x"],
             ["batch", str(out / "missing.csv"), "-o", str(out / "never")],
             ["batch", "examples/staff.csv", "-o", str(out / "never"), "--format", "docx"],
             ["batch", "examples/staff.csv", "-o", str(out / "never"), "--jobs", "0"]]
    lines = []
    for args in cases:
        result = CliRunner().invoke(cli, args)
        shown = f"$ objection {' '.join(args[:1] + args[-2:])}\nexit {result.exit_code}\n"
        lines.append((shown + result.output).replace(str(out), "OUT"))
    (out / "transcript.txt").write_text("\n".join(lines), "utf-8")


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
    p12 = os.environ.get("OBJECTION_COMPARE_P12")
    if p12:  # the letter as made to be signed: everything before pyHanko's update
        signed = out / "signed.pdf"
        args = [str(image) if arg == "SIGNATURE" else arg for arg in letters()["signature-image"]]
        run(["letter", *args, "-o", str(signed), "--sign-p12", p12, "--p12-password-file",
             p12 + ".password"])
        data = signed.read_bytes()
        signed.write_bytes(data[:data.index(b"%%EOF") + 5])
    shared = out / "shared-input"
    shared.mkdir()
    signature_png(shared / "signature.png")
    shared_rows(shared / "shared.csv")
    run(["batch", str(shared / "shared.csv"), "-o", str(out / "shared-batch"), "--format",
         "pdf,txt", "--eml", "--date", "2026-11-23", "--quiet", "--jobs", "2"])
    transcript(out)
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
