"""Letters for Canada and Hong Kong (issue 16): a withdrawal of consent under the sender's own
law (PIPEDA, with Quebec's Act for a resident of Quebec; the PDPO), never the GDPR's
objection, in the languages those letters are written in."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from objection.deadline import answer_due
from objection.laws import law_as_of
from objection.postcodes import province_of_address
from tests.certificates import ThrowawayPki
from tests.conftest import assert_contains, pdf_text

CANADA = ["--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
          "--date", "2026-11-30", "--country", "CA"]
HONG_KONG = ["--no-input", "--name", "Chan Tai Man", "--email", "chan@example.org",
             "--date", "2026-11-30", "--country", "HK"]
# What only the GDPR family's letters say: none of it belongs in these letters.
GDPR_WORDS = ("GDPR", "Art. 21", "Article 21", "legitimate interests", "right to object",
              "supervisory authority", "RGPD")


def _write(run: Callable[..., Result], out: Path, *args: str) -> str:
    """A letter (or, with "reminder" or "complaint" first, a follow-up) written to `out`."""
    command = "letter"
    if args and args[0] in ("reminder", "complaint"):
        command, args = args[0], args[1:]
    result = run(command, *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return pdf_text(out.read_bytes()) if out.suffix == ".pdf" else out.read_text("utf-8")


def _no_gdpr(text: str) -> None:
    found = [word for word in GDPR_WORDS if word in text]
    assert not found, found


def test_a_canadian_letter_withdraws_consent_under_pipeda(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    text = _write(run, tmp_path / "ca.txt", *CANADA, "--lang", "en",
                  "--ground", "journalist", "--fact", "journalist: I report on courts.")
    assert_contains(
        text, "LinkedIn Corporation", "1000 W Maude Avenue",
        "Withdrawal of consent to the use of my personal information for artificial "
        "intelligence purposes (PIPEDA, Sch. 1, cl. 4.3.8)",
        "Under clause 4.3.8 of Schedule 1 to the Personal Information Protection and Electronic "
        "Documents Act, S.C. 2000, c. 5 (PIPEDA), I hereby withdraw my consent",
        "(PIPEDA, s. 5(3))", "(PIPEDA, Sch. 1, cls. 4.9 and 4.9.1)",
        "within 30 days of receiving this letter (PIPEDA, s. 8(3))",
        "In my case: I report on courts.",
        "Office of the Privacy Commissioner of Canada, https://www.priv.gc.ca (PIPEDA, s. 11(1))",
        "November 30, 2026", "Yours truly,")
    _no_gdpr(text)
    assert "Quebec Private Sector Act" not in text  # not a resident of Quebec


def test_a_withdrawal_needs_no_grounds(run: Callable[..., Result], tmp_path: Path) -> None:
    """PIPEDA lets a person withdraw consent without reasons: a letter without grounds is
    written, without the part on the sender's situation."""
    text = _write(run, tmp_path / "ca.txt", *CANADA, "--lang", "en")
    assert "matters relating to my situation" not in text
    assert_contains(text, "I hereby withdraw my consent")


@pytest.mark.parametrize(("address", "quebec"), [
    (["12 rue Principale", "Montréal QC  H2X 1Y4"], True),
    (["5 Rue Laurier", "Gatineau QC J8X 3Y3"], True),
    (["100 Queen St W", "Toronto ON  M5H 2N2"], False),
    (["30 Victoria Street", "Gatineau QC  K1A 1H3"], False),  # the federal government's code
    (["12 rue Principale", "Montréal H2X-1Y4"], True),
    (["12 rue Principale", "Montréal, QC"], True),  # no postal code: the province's abbreviation
    (["5 QC Street", "Toronto ON"], False),
])
def test_quebec_is_told_by_the_postal_code(address: list[str], quebec: bool) -> None:
    assert (province_of_address(address) == "QC") is quebec


def test_a_quebec_letter_adds_the_quebec_act_and_its_commission(run: Callable[..., Result],
                                                                 tmp_path: Path) -> None:
    text = _write(run, tmp_path / "qc.txt", *CANADA, "--lang", "en", "--address",
                  "12 rue Principale", "--address", "Montréal QC  H2X 1Y4")
    assert_contains(
        text, "As a resident of Quebec, I also withdraw that consent under section 8, para. 1, "
        "subpara. 4 of the Act respecting the protection of personal information in the private "
        "sector, CQLR, c. P-39.1 (the Quebec Private Sector Act)",
        "(Quebec Private Sector Act, s. 9.1)", "(Quebec Private Sector Act, s. 28)",
        "Commission d'accès à l'information du Québec, https://www.cai.gouv.qc.ca (Quebec "
        "Private Sector Act, s. 81), and to the Office of the Privacy Commissioner of Canada")
    _no_gdpr(text)
    # --region says otherwise: the sender's word wins over the postal code's.
    ontario = _write(run, tmp_path / "on.txt", *CANADA, "--lang", "en", "--region", "ON",
                     "--address", "Montréal QC  H2X 1Y4")
    assert "Quebec Private Sector Act" not in ontario


def test_a_hong_kong_letter_is_a_notice_under_the_pdpo(run: Callable[..., Result],
                                                       tmp_path: Path) -> None:
    text = _write(run, tmp_path / "hk.txt", *HONG_KONG, "--lang", "en", "--toggle", "off")
    assert_contains(
        text, "Personal Data (Privacy) Ordinance (Cap. 486): notice withdrawing consent",
        "By this notice in writing, served on you for the purposes of section 2(3) of the "
        "Personal Data (Privacy) Ordinance (Cap. 486) (the PDPO)",
        "data protection principle 3(1) in Schedule 1 to the PDPO (DPP3(1))",
        "within 40 days after receiving this request (section 19(1) of the PDPO)",
        "Privacy Commissioner for Personal Data, https://www.pcpd.org.hk (section 37 of the "
        "PDPO)", "30 November 2026", "Yours faithfully,")
    _no_gdpr(text)


def test_a_chinese_letter_for_hong_kong_prints_its_own_law(run: Callable[..., Result],
                                                            tmp_path: Path) -> None:
    text = _write(run, tmp_path / "hk.pdf", *HONG_KONG, "--lang", "zh-HK",
                  "--ground", "harassment")
    assert_contains(text, "《個人資料（私隱）條例》（第486章）", "《私隱條例》第18(1)條",
                    "保障資料第3(1)原則", "個人資料私隱專員", "2026年11月30日", "敬啟者")
    _no_gdpr(text)
    assert "%(" not in text and "withdraw" not in text and "Ordinance" not in text


def test_a_french_letter_for_quebec_uses_canadian_terms(run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    text = _write(run, tmp_path / "qc.pdf", *CANADA, "--lang", "fr", "--region", "QC")
    assert_contains(text, "LPRPDE", "renseignements personnels", "Loi sur le privé",
                    "Commission d'accès à l'information du Québec",
                    "Commissariat à la protection de la vie privée du Canada", "30 novembre 2026")
    _no_gdpr(text)
    assert "données personnelles" not in text


@pytest.mark.parametrize(("args", "reason"), [
    (["--country", "CA", "--lang", "de"], "lang 'de': a letter from CA (PIPEDA) is written in "
                                          "one of en, fr"),
    (["--country", "HK", "--lang", "fr"], "lang 'fr': a letter from HK (PDPO) is written in "
                                          "one of en, zh_Hant"),
    (["--country", "DE", "--lang", "zh", "--ground", "old-content"],
     "lang 'zh': a letter from DE (GDPR) is written in one of"),
    (["--country", "CA", "--region", "BY"], "region 'BY': unknown; expected one of QC, AB, BC"),
    (["--country", "HK", "--lang", "zh-Hans"], "lang 'zh-Hans': unsupported language"),
])
def test_a_letter_only_in_its_law_s_languages(run: Callable[..., Result], tmp_path: Path,
                                              args: list[str], reason: str) -> None:
    result = run("letter", "--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
                 *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert reason in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_answer_is_due_in_days_from_receipt() -> None:
    """30 days under PIPEDA and the Quebec Act, 40 under the PDPO, counted from the day after
    receipt; a holiday or weekend moves the end to the next working day."""
    assert answer_due(dt.date(2026, 11, 30), "pipeda") == dt.date(2026, 12, 30)
    assert answer_due(dt.date(2026, 6, 1), "pipeda_qc") == dt.date(2026, 7, 2)  # Canada Day
    assert answer_due(dt.date(2026, 11, 30), "pdpo") == dt.date(2027, 1, 11)  # a Saturday


def test_deadline_and_follow_ups_for_a_hong_kong_letter(run: Callable[..., Result],
                                                         tmp_path: Path) -> None:
    pdf = tmp_path / "hk.pdf"
    _write(run, pdf, *HONG_KONG, "--lang", "en")
    result = run("deadline", str(pdf), "--via", "form")
    assert result.exit_code == 0, result.output
    assert_contains(result.output, "by 11 January 2027: 40 days from its receipt on "
                    "30 November 2026 (section 19(1) of the PDPO)")
    early = run("reminder", str(pdf), "--via", "form", "-o", str(tmp_path / "r.pdf"))
    assert early.exit_code == 2 and "2027-01-12" in early.output  # not before the 40 days end
    assert not (tmp_path / "r.pdf").exists()
    older = tmp_path / "older.pdf"
    _write(run, older, *HONG_KONG[:5], "--date", "2026-10-01", "--country", "HK", "--lang", "en")
    reminder = _write(run, tmp_path / "r.txt", "reminder", str(older), "--via", "form",
                      "--date", "2026-11-30")
    assert_contains(reminder, "Reminder: my notice dated 1 October 2026 under the Personal "
                    "Data (Privacy) Ordinance and data access request",
                    "within 40 days after receiving it (section 19(1) of the PDPO)",
                    "I will complain in writing to the Privacy Commissioner for Personal Data")
    _no_gdpr(reminder)


def test_a_canadian_complaint_goes_to_the_privacy_commissioner(
        run: Callable[..., Result], tmp_path: Path) -> None:
    pdf = tmp_path / "ca.pdf"
    _write(run, pdf, *CANADA[:5], "--date", "2026-10-01", "--country", "CA", "--lang", "en")
    text = _write(run, tmp_path / "c.txt", "complaint", str(pdf), "--via", "form",
                  "--date", "2026-12-01")
    assert_contains(text, "Office of the Privacy Commissioner of Canada", "30 Victoria Street",
                    "I file this written complaint under section 11(1) of the Personal "
                    "Information Protection and Electronic Documents Act",
                    "deemed to have refused it (PIPEDA, s. 8(5))",
                    "to investigate my complaint (PIPEDA, s. 12(1))",
                    "Copy of my letter dated October 1, 2026")
    _no_gdpr(text)
    quebec = tmp_path / "qc.pdf"
    _write(run, quebec, *CANADA[:5], "--date", "2026-10-01", "--country", "CA", "--region",
           "QC", "--lang", "fr")
    plainte = _write(run, tmp_path / "p.txt", "complaint", str(quebec), "--via", "form",
                     "--date", "2026-12-01")
    assert_contains(plainte, "Commission d'accès à l'information du Québec",
                    "525, boulevard René-Lévesque Est", "Loi sur le privé, art. 81")
    _no_gdpr(plainte)


def test_the_next_steps_tell_a_hong_kong_sender_to_enclose_the_form(
        run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("letter", *HONG_KONG, "--lang", "en", "-o", str(tmp_path / "hk.txt"))
    assert_contains(result.output, "Data Access Request Form",
                    "(section 20(3)(e) of the PDPO)", "(section 18(5) of the PDPO)",
                    "https://www.linkedin.com/help/linkedin/ask/TSO-DPO")
    assert "Data Processing Objection form" not in result.output


def test_neighbouring_clauses_are_cited_together() -> None:
    law = law_as_of("pipeda", "en", "en_CA", dt.date(2026, 11, 30))
    assert law.cite("access") == "PIPEDA, Sch. 1, cls. 4.9 and 4.9.1"
    assert law.cite("complaint") == "PIPEDA, s. 11(1)"
    assert law.cite_first("withdrawal") == (
        "clause 4.3.8 of Schedule 1 to the Personal Information Protection and Electronic "
        "Documents Act, S.C. 2000, c. 5 (PIPEDA)")


def test_a_signed_chinese_letter_verifies_and_its_stamp_is_chinese(
        run: Callable[..., Result], tmp_path: Path, pki: ThrowawayPki,
        password_file: Path) -> None:
    """The visible stamp of a Chinese letter is set in the CJK face: its lines print."""
    from pypdf import PdfReader

    out = tmp_path / "signed.pdf"
    jane = [*HONG_KONG[:2], "Jane Doe", *HONG_KONG[3:]]  # the certificate's name
    _write(run, out, *jane, "--lang", "zh_Hant", "--sign-p12", str(pki.signer_p12),
           "--p12-password-file", str(password_file))
    result = run("verify", str(out), "--trust-root", str(pki.root_pem))
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output
    stamp_fonts = {str(font.get("/BaseFont")) for page in PdfReader(out).pages
                   for annotation in page.get("/Annots", [])
                   for font in _fonts(annotation.get_object())}
    assert any("CJK" in name for name in stamp_fonts), stamp_fonts


def _fonts(annotation: object) -> list[dict[str, object]]:
    """The fonts of a signature widget's appearance stream (and its nested forms)."""
    found: list[dict[str, object]] = []
    stack = [annotation.get("/AP", {}).get("/N")] if isinstance(annotation, dict) else []
    while stack:
        form = stack.pop()
        if form is None:
            continue
        form = form.get_object()
        resources = form.get("/Resources", {})
        found += [font.get_object() for font in resources.get("/Font", {}).values()]
        stack += [x.get_object() for x in resources.get("/XObject", {}).values()]
    return found


@pytest.mark.parametrize(("args", "quebec"), [
    (["--region", "Québec", "--lang", "fr-CA"], True),
    (["--region", "Ontario", "--lang", "en-CA", "--address", "Montréal QC  H2X 1Y4"], False),
    (["--region", "ca-qc"], True),
])
def test_provinces_and_languages_as_people_write_them(run: Callable[..., Result],
                                                      tmp_path: Path, args: list[str],
                                                      quebec: bool) -> None:
    text = _write(run, tmp_path / "x.txt", *CANADA, *args)
    assert (("Quebec Private Sector Act" in text) or ("Loi sur le privé" in text)) is quebec


def test_the_dialogue_takes_chinese_by_code_or_name() -> None:
    from objection.dialogue import Dialogue, parse_language

    for typed in ("zh_Hant", "zh", "zh-HK", "Chinese", "中文"):
        assert parse_language(Dialogue({"lang": "en"}), typed) == "zh_Hant", typed
    assert Dialogue({"lang": "zh-hk"}).lang == "zh_Hant"  # the questions are then in Chinese


def test_a_batch_writes_reminders_for_hong_kong_rows(run: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    """A Hong Kong row (country and language as a Chinese sheet writes them) gets its notice,
    then a reminder under the PDPO."""
    sheet = tmp_path / "staff.csv"
    sheet.write_text("姓名,電郵,國家,語言\nChan Tai Man,chan@example.org,香港,中文\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    made = run("batch", str(sheet), "-o", str(out), "--date", "2026-09-01")
    assert made.exit_code == 0, made.output
    follow = run("batch", "--follow-up", "reminder", str(out), "--sent", "2026-09-01",
                 "--via", "form", "--date", "2026-11-30")
    assert follow.exit_code == 0, follow.output
    reminders = list(out.glob("reminders/*.pdf"))
    assert len(reminders) == 1
    assert_contains(pdf_text(reminders[0].read_bytes()), "《私隱條例》第19(1)條",
                    "個人資料私隱專員")
