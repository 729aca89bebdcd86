"""objection batch reads the sheets offices have (issue 15, "Reading the sheets people have"):
headers in the letters' languages, joined columns, country names, a title above the header,
a chosen sheet, refused .xls/.ods, values a lossy export damaged, batch-wide defaults, and
reasons that speak of columns."""

import csv
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import Workbook

from objection.headers import recognised_names
from objection.i18n import available_languages

GERMAN_HEADER = ["Vorname", "Nachname", "E-Mail", "Land", "Straße", "PLZ", "Ort"]
FIRST = ["Jürgen", "Anna", "Jörg", "Sören", "Björn", "Käthe"]
LAST = ["Müller", "Weiß", "Groß", "Schäfer", "Köhler", "Meißner"]


def _german_rows(count: int = 30) -> list[list[str]]:
    """The issue's sheet: 30 employees in Germany, umlauts and ß in names and streets."""
    return [[FIRST[i % 6], f"{LAST[i % 6]}{i}", f"person{i}@example.de", "Deutschland",
             f"Hauptstraße {i + 1}", "10115", "Berlin"] for i in range(count)]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8",
         delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[object]]], active: int = 0) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.active = active
    book.save(path)
    return path


def _letters(out: Path) -> list[str]:
    return sorted(path.name for path in out.glob("*.txt"))


def _report(out: Path) -> dict[int, tuple[str, str]]:
    with (out / "report.csv").open(newline="", encoding="utf-8") as fh:
        return {int(r["row"]): (r["column"], r["reason"]) for r in csv.DictReader(fh)}


def _refused(result: Result, *phrases: str) -> str:
    """Exit 2 and one line that says why."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


def _batch(run: Callable[..., Result], source: Path, out: Path, *extra: str) -> Result:
    return run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "2", *extra)


# --- the German Excel sheet --------------------------------------------------------

def _check_german_letters(out: Path, first_row: int = 2) -> None:
    letters = _letters(out)
    assert len(letters) == 30
    assert letters[0] == f"{first_row:06d}-jurgen-muller0.txt"
    text = (out / letters[0]).read_text("utf-8")
    assert text.startswith("Jürgen Müller0\nHauptstraße 1\n10115 Berlin\n"), text[:200]
    assert "Berliner Beauftragte" in text  # the Land of the postcode's authority, in German


def test_the_german_excel_sheet_as_windows_1252_csv_gives_30_letters(
        run: Callable[..., Result], tmp_path: Path) -> None:
    # Only what a sheet cannot say: the ground of the objection, for every row (the sheet has
    # no column for it); the headers, Windows-1252 and 'Deutschland' need no option.
    source = _csv(tmp_path / "mitarbeiter.csv", [GERMAN_HEADER, *_german_rows()],
                  encoding="cp1252", delimiter=";")
    out = tmp_path / "briefe"
    result = _batch(run, source, out, "--ground", "old-content")
    assert result.exit_code == 0, result.output
    _check_german_letters(out)
    assert "is not used" not in result.output  # every column was understood


def test_the_german_excel_sheet_as_xlsx_gives_30_letters(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _xlsx(tmp_path / "mitarbeiter.xlsx",
                   {"Tabelle1": [GERMAN_HEADER, *_german_rows()]})  # type: ignore[list-item]
    out = tmp_path / "briefe"
    result = _batch(run, source, out, "--ground", "old-content")
    assert result.exit_code == 0, result.output
    _check_german_letters(out)


def test_the_same_sheet_with_explicit_maps_gives_the_same_letters(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _csv(tmp_path / "mitarbeiter.csv", [GERMAN_HEADER, *_german_rows()],
                  encoding="cp1252", delimiter=";")
    out = tmp_path / "briefe"
    result = _batch(run, source, out, "--ground", "old-content",
                    "--map", "Vorname+Nachname=name", "--map", "Straße=address",
                    "--map", "PLZ+Ort=address", "--map", "Land=country")
    assert result.exit_code == 0, result.output
    _check_german_letters(out)


# --- combined mappings ----------------------------------------------------------------------

def test_map_joins_cells_with_a_space_and_gives_a_list_column_its_lines_in_order(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _csv(tmp_path / "staff.csv", [
        ["Given", "Middle", "Family", "Mailbox", "Nation", "Road", "Zip", "Place name"],
        ["Ana", "", "Costa", "ana@example.pt", "PT", "Rua Augusta 1", "1100-048", "Lisboa"],
        ["Bo", "Erik", "Berg", "bo@example.se", "SE", "Storgatan 2", "111 22", "Stockholm"],
    ])
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content", "--lang", "en",
                    "--map", "Given+Middle+Family=name", "--map", "Mailbox=email",
                    "--map", "Nation=country", "--map", "Road=address",
                    "--map", "Zip + Place name=address")
    assert result.exit_code == 0, result.output
    assert _letters(out) == ["000002-ana-costa.txt", "000003-bo-erik-berg.txt"]
    assert (out / "000002-ana-costa.txt").read_text("utf-8").startswith(
        "Ana Costa\nRua Augusta 1\n1100-048 Lisboa\n")  # the empty middle name is left out
    assert (out / "000003-bo-erik-berg.txt").read_text("utf-8").startswith(
        "Bo Erik Berg\nStorgatan 2\n111 22 Stockholm\n")


def test_a_map_wins_over_recognised_headers_and_must_name_headers_the_sheet_has(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _csv(tmp_path / "staff.csv", [
        ["Vorname", "Rufname", "Nachname", "E-Mail", "Land"],
        ["Johann Wolfgang", "Hans", "Krause", "hans@example.de", "DE"]])
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content",
                    "--map", "Rufname+Nachname=name")
    assert result.exit_code == 0, result.output
    assert _letters(out) == ["000002-hans-krause.txt"]
    assert "column 'Vorname' is not used" in result.output

    result = _batch(run, source, tmp_path / "again", "--map", "Rufnme+Nachname=name")
    _refused(result, "map 'rufnme+nachname=name'", "no column 'rufnme'")
    assert not (tmp_path / "again").exists()
    result = _batch(run, source, tmp_path / "again", "--map", "Vorname=name",
                    "--map", "Nachname=name")
    _refused(result, "name is mapped twice", "'+'")
    result = _batch(run, source, tmp_path / "again", "--map", "Vorname+Vorname=name")
    _refused(result, "map 'Vorname+Vorname=name'", "joins the header 'vorname' twice")
    assert not (tmp_path / "again").exists()


def test_help_shows_how_to_join_columns(run: Callable[..., Result]) -> None:
    result = run("batch", "--help")
    assert "Vorname+Nachname=name" in " ".join(result.output.split())
    assert "PLZ+Ort=address" in " ".join(result.output.split())


# --- header names in the letters' languages --------------------------------------------------

@pytest.mark.parametrize(("header", "row", "stem", "first_lines"), [
    (["Prénom", "Nom", "Courriel", "Pays", "Adresse", "Code postal", "Ville", "Langue"],
     ["Élise", "Dubois", "elise@example.fr", "France", "3 rue de la Paix", "75002", "Paris",
      "fr"], "000002-elise-dubois", "Élise Dubois\n3 rue de la Paix\n75002 Paris\n"),
    (["Nombre", "Apellidos", "Correo electrónico", "País", "Dirección", "Código postal",
      "Ciudad"], ["Lucía", "Núñez García", "lucia@example.es", "España", "Calle Mayor 5",
                  "28013", "Madrid"], "000002-lucia-nunez-garcia",
     "Lucía Núñez García\nCalle Mayor 5\n28013 Madrid\n"),
    (["Vorname", "Name", "E-mail", "LAND", "Strasse", "Postleitzahl", "Stadt", "Sprache"],
     ["Jana", "Schmidt", "jana@example.at", "Österreich", "Ring 1", "1010", "Wien", "de"],
     "000002-jana-schmidt", "Jana Schmidt\nRing 1\n1010 Wien\n"),
    (["Imię", "Nazwisko", "E-mail", "Kraj", "Ulica", "Kod pocztowy", "Miasto"],
     ["Zofia", "Łukasiewicz", "zofia@example.pl", "Polska", "ul. Długa 7", "00-238",
      "Warszawa"], "", "Zofia Łukasiewicz\nul. Długa 7\n00-238 Warszawa\n"),
    (["Full name", "Email address", "Country", "Street", "City", "Postcode"],
     ["Siobhán Kelly", "siobhan@example.ie", "Ireland", "1 Main Street", "Dublin", "D02 X285"],
     "000002-siobhan-kelly", "Siobhán Kelly\n1 Main Street\nDublin D02 X285\n"),
])
def test_header_names_in_the_letters_languages_are_recognised(
        run: Callable[..., Result], tmp_path: Path, header: list[str], row: list[str],
        stem: str, first_lines: str) -> None:
    source = _csv(tmp_path / "staff.csv", [header, row])
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content")
    assert result.exit_code == 0, result.output
    [made] = _letters(out)
    assert made == f"{stem}.txt" or not stem  # how Ł is spelt in a file name is not ours
    assert (out / made).read_text("utf-8").startswith(first_lines)
    assert "is not used" not in result.output


def test_the_header_table_covers_every_letter_language_and_names_one_field_each() -> None:
    table = recognised_names()  # raises if one name meant two fields
    assert table["vorname"] == "first_name" and table["pays"] == "country"
    assert table["strasse"] == "street" and table["courriel"] == "email"
    text = (Path(__file__).parent.parent / "objection" / "data" / "headers.toml").read_text(
        "utf-8")
    assert "our own translation" in text  # its source is said
    import tomllib

    data = tomllib.loads(text)
    for field in ("name", "first_name", "last_name", "email", "country", "street",
                  "postcode", "town", "lang"):
        assert set(data[field]) == set(available_languages()), field


# --- country names -------------------------------------------------------------------------

def test_country_cells_take_names_in_any_letter_language_or_english_and_codes(
        run: Callable[..., Result], tmp_path: Path) -> None:
    countries = ["Deutschland", "Allemagne", "germany", "UK", "EL", "Frankreich", "ΕΛΛΑΔΑ",
                 "Rzeczpospolita", "Deutchland", "Vereinigte Staaten"]
    rows = [["name", "email", "country", "ground", "lang"]] + [
        [f"Person {i}", f"p{i}@example.org", country, "old-content", "en"]
        for i, country in enumerate(countries)]
    out = tmp_path / "out"
    result = _batch(run, _csv(tmp_path / "staff.csv", rows), out)
    assert result.exit_code == 3, result.output
    report = _report(out)
    assert report[10] == ("country", "country 'Deutchland': not a country we know; did you "
                                     "mean Deutschland (DE)?")
    assert report[11][0] == "country" and "not a country of residence" in report[11][1]
    assert report[9][0] == "country" and "not a country we know" in report[9][1]
    assert set(report) == {9, 10, 11}
    assert len(_letters(out)) == 7
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        countries_made = {r["country"] for r in csv.DictReader(fh) if r["country"]}
    assert {"DE", "GB", "GR", "FR"} <= countries_made


# --- which rows and which sheet ------------------------------------------------------------

def test_a_title_above_the_header_is_skipped_and_rows_keep_the_sheets_numbers(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows: list[list[object]] = [["Mitarbeiterliste Standort Berlin"], [],
                                ["Stand: November 2026"], GERMAN_HEADER,
                                *_german_rows(2)]
    source = _xlsx(tmp_path / "liste.xlsx", {"Liste": rows})
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content")
    assert result.exit_code == 0, result.output
    assert _letters(out) == ["000005-jurgen-muller0.txt", "000006-anna-weiss1.txt"]
    assert "header is row 4" in result.output
    assert "Mitarbeiterliste" not in result.output

    # A header whose names are not known is named by --header-row (then --map for them).
    csv_rows = [["Staff list"], ["Who", "Mailbox", "Nation"],
                ["Ana Costa", "ana@example.pt", "PT"]]
    source = _csv(tmp_path / "staff.csv", csv_rows)
    out = tmp_path / "csv"
    result = _batch(run, source, out, "--ground", "old-content", "--header-row", "2",
                    "--map", "Who=name", "--map", "Mailbox=email", "--map", "Nation=country")
    assert result.exit_code == 0, result.output
    assert _letters(out) == ["000003-ana-costa.txt"]
    result = _batch(run, source, tmp_path / "again", "--header-row", "9")
    _refused(result, "header_row '9'", "has only 3 rows")


def test_sheet_chooses_a_workbooks_sheet_and_an_unknown_one_lists_them(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source = _xlsx(tmp_path / "book.xlsx", {
        "Übersicht": [["Nothing here"]],
        "Personal": [GERMAN_HEADER, *_german_rows(3)]})  # type: ignore[list-item]
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content", "--sheet", "personal")
    assert result.exit_code == 0, result.output
    assert len(_letters(out)) == 3
    assert "only sheet" not in result.output
    assert "tracking.csv was not written" not in result.output  # it reads the same sheet
    with (out / "tracking.csv").open(encoding="utf-8-sig") as fh:
        assert len(fh.read().splitlines()) == 1 + 3
    result = _batch(run, source, tmp_path / "again", "--sheet", "Staff")
    _refused(result, "sheet 'Staff'", "'Übersicht', 'Personal'")
    assert not (tmp_path / "again").exists()
    csv_source = _csv(tmp_path / "staff.csv", [GERMAN_HEADER, *_german_rows(1)])
    _refused(_batch(run, csv_source, tmp_path / "again", "--sheet", "Personal"),
             "only an XLSX workbook has sheets")


def test_xls_and_ods_are_refused_in_one_line_by_their_bytes_too(
        run: Callable[..., Result], tmp_path: Path) -> None:
    xls = tmp_path / "staff.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    ods = tmp_path / "staff.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    disguised = tmp_path / "staff-export.csv"  # an .xls saved under another name
    disguised.write_bytes(xls.read_bytes())
    for source, kind in ((xls, ".xls"), (ods, ".ods"), (disguised, ".xls")):
        out = tmp_path / f"out-{source.name}"
        line = _refused(_batch(run, source, out), kind, ".xlsx", "CSV UTF-8")
        assert "\\x" not in line
        assert not out.exists()
    # An XLSX workbook under another name is read as one.
    book = _xlsx(tmp_path / "book.xlsx", {"Liste": [GERMAN_HEADER, *_german_rows(2)]})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(book.read_bytes())
    out = tmp_path / "renamed"
    result = _batch(run, renamed, out, "--ground", "old-content")
    assert result.exit_code == 0, result.output
    assert len(_letters(out)) == 2


# --- values a lossy export damaged ---------------------------------------------------------

def test_a_value_damaged_by_a_lossy_export_is_its_rows_problem(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows = [["name", "email", "country", "address", "situation"],
            ["Hans M?ller", "hans@example.de", "DE", "Ring 1", ""],
            ["J?rgen Weber", "j@example.de", "DE", "Ring 2", ""],
            ["Ana Costa", "ana@example.pt", "PT", "Rua Ven\ufffdncio 3", ""],
            ["Ulla Berg", "ulla@example.de", "DE", "Ring 4",
             "Why should my posts train a model? I never agreed ? not once."],
            ["Mia MÃ¼ller", "mia@example.de", "DE", "Ring 5", ""]]
    out = tmp_path / "out"
    result = _batch(run, _csv(tmp_path / "staff.csv", rows), out, "--ground", "old-content")
    assert result.exit_code == 3, result.output
    report = _report(out)
    assert report[2] == ("name", "name 'Hans M?ller': looks damaged by an export ('?' for a "
                                 "letter); export the sheet again as UTF-8 CSV or .xlsx")
    assert report[3][0] == "name" and "('?' for a letter)" in report[3][1]
    assert report[4][0] == "address" and "looks damaged by an export" in report[4][1]
    assert report[6] == ("name", "name 'Mia MÃ¼ller': looks damaged by an export ('Ã¼' for "
                                 "'ü'); export the sheet again as UTF-8 CSV or .xlsx")
    assert set(report) == {2, 3, 4, 6}  # the question in the situation is no damage
    assert _letters(out) == ["000005-ulla-berg.txt"]


def test_a_utf8_sheet_read_as_windows_1252_is_flagged_not_printed(
        run: Callable[..., Result], tmp_path: Path) -> None:
    plain = ["Max", "Mustermann", "max@example.de", "Deutschland", "Ring 1", "10115", "Berlin"]
    source = _csv(tmp_path / "mitarbeiter.csv", [GERMAN_HEADER, *_german_rows(2), plain],
                  delimiter=";")
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content", "--encoding", "cp1252")
    assert result.exit_code == 3, result.output
    report = _report(out)
    assert report[2] == ("name", "name 'JÃ¼rgen': looks damaged by an export ('Ã¼' for 'ü'); "
                                 "export the sheet again as UTF-8 CSV or .xlsx")
    assert set(report) == {2, 3}
    assert _letters(out) == ["000004-max-mustermann.txt"]


# --- batch-wide defaults ---------------------------------------------------------------------

def test_batch_wide_defaults_fill_the_columns_a_sheet_lacks_and_a_rows_own_value_wins(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows = [["name", "email", "country", "ground", "lang", "place", "toggle"],
            ["Ana Costa", "ana@example.pt", "PT", "", "", "", ""],
            ["Bo Berg", "bo@example.se", "SE", "journalist", "sv", "Malmö", "pending"]]
    out = tmp_path / "out"
    result = _batch(run, _csv(tmp_path / "staff.csv", rows), out,
                    "--ground", "old-content", "--ground", "third-parties", "--lang", "en",
                    "--place", "Lisboa", "--toggle", "off", "--scope", "generative",
                    "--situation", "I coach refugees; my posts name them.")
    assert result.exit_code == 0, result.output
    ana = (out / "000002-ana-costa.txt").read_text("utf-8")
    bo = (out / "000003-bo-berg.txt").read_text("utf-8")
    assert "Lisboa" in ana and "I coach refugees" in ana and "Dear" in ana
    assert "Malmö" in bo and "Lisboa" not in bo and "Dear" not in bo  # its own lang: sv
    assert "journalist" in bo.lower() or "journalist" in bo  # its own ground
    for bad, field in ((["--ground", "boredom"], "ground 'boredom'"),
                       (["--lang", "xx"], "lang 'xx'"),
                       (["--toggle", "maybe"], "toggle"),
                       (["--scope", "everything"], "scope 'everything'"),
                       (["--ground", ""], "--ground: given empty"),
                       (["--place", " "], "--place: given empty")):
        _refused(_batch(run, tmp_path / "staff.csv", tmp_path / "bad", *bad), field)
        assert not (tmp_path / "bad").exists()


# --- reasons speak of columns --------------------------------------------------------------

def test_a_rows_reason_names_columns_where_the_letter_names_options(
        run: Callable[..., Result], tmp_path: Path) -> None:
    rows = [["name", "email", "country", "fact", "lang", "bilingual"],
            ["Ana Costa", "ana@example.pt", "PT", "", "en", ""],
            ["Bo Berg", "bo@example.se", "SE", "old-content: posted in 2009", "en", ""],
            ["Cy Dale", "cy@example.ie", "IE", "harassment: stalked since 2024", "en", "yes"],
            ["Di Eve", "di@example.ie", "IE", "harassment: stalked since 2024", "en", ""]]
    out = tmp_path / "out"
    result = _batch(run, _csv(tmp_path / "staff.csv", rows), out)
    assert result.exit_code == 3, result.output
    report = _report(out)
    assert report[2][0] == "ground"
    assert "column ground" in report[2][1] and "column situation" in report[2][1]
    assert "(say more in column situation)" in report[3][1]
    assert "column bilingual adds" in report[4][1]
    assert not any("--" in reason for _, reason in report.values()), report
    assert "--" not in result.output.split("could not be used")[-1]
    # `objection letter` keeps its own words.
    letter = run("letter", "--no-input", "--name", "Ana Costa", "--email", "ana@example.pt",
                 "--country", "PT", "--lang", "en", "-o", str(tmp_path / "a.txt"))
    assert letter.exit_code == 2 and "--ground" in letter.output and "--situation" in \
        letter.output


def test_one_garbled_row_does_not_make_a_windows_export_read_as_utf8(
        run: Callable[..., Result], tmp_path: Path) -> None:
    """A Windows-1252 export whose one row holds mojibake ('MÃ¼ller', valid UTF-8 bytes) is
    still read as Windows-1252: the other rows keep their umlauts and their street."""
    source = tmp_path / "export.csv"
    source.write_bytes(
        "Vorname;Nachname;E-Mail;Land;Straße;PLZ;Ort\n".encode("cp1252")
        + "Jürgen;Müller;jm@example.org;Deutschland;Hauptstraße 1;80331;München\n"
          .encode("cp1252")
        + b"Anna;M\xc3\xbcller;am@example.org;Deutschland;Weg 2;80331;M\xfcnchen\n"
        + "Otto;Grün;og@example.org;Deutschland;Weg 3;80331;München\n".encode("cp1252"))
    out = tmp_path / "out"
    result = _batch(run, source, out, "--ground", "old-content")
    assert result.exit_code == 3, result.output
    assert set(_report(out)) == {3}
    letter = (out / "000002-jurgen-muller.txt").read_text("utf-8")
    assert "Jürgen Müller" in letter and "Hauptstraße 1" in letter


@pytest.mark.parametrize(("cell", "code"), [
    ("Großbritannien", "GB"), ("Great Britain", "GB"), ("Scotland", "GB"), ("England", "GB"),
    ("Czech Republic", "CZ"), ("The Netherlands", "NL"), ("Holland", "NL"),
])
def test_country_names_people_write_that_cldr_does_not_give(cell: str, code: str) -> None:
    from objection.country_names import country_code

    assert country_code(cell) == code


def test_lang_and_region_cells_take_names(run: Callable[..., Result], tmp_path: Path) -> None:
    """'Englisch' and 'Bayern' in a German staff list are the codes en and BY."""
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,lang,region,ground\n"
                      "Anna Berg,anna@example.de,Deutschland,Englisch,Bayern,old-content\n"
                      "Ben Kurz,ben@example.de,DE,French,Nordrhein-Westfalen,old-content\n"
                      "Cem Uz,cem@example.de,DE,Klingonisch,Bayern,old-content\n", "utf-8")
    out = tmp_path / "out"
    result = _batch(run, source, out)
    assert result.exit_code == 3, result.output
    english = (out / "000002-anna-berg.txt").read_text("utf-8")
    assert "Dear Sir or Madam," in english and "Bayerisches Landesamt" in english
    french = (out / "000003-ben-kurz.txt").read_text("utf-8")
    assert "Madame, Monsieur," in french and "Nordrhein-Westfalen" in french
    assert set(_report(out)) == {4} and _report(out)[4][0] == "lang"
