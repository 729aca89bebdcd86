"""One table of a letter's inputs: the options of `objection letter`, the keys of a
`--profile` file and the columns of a batch spreadsheet all come from it.

A field's rules live in objection/request.py; this table says only what the field is
called, how it is given (once, repeated, as a flag) and what to say about it in help.
"""

from dataclasses import dataclass

from objection.catalogue import GROUNDS_WITH_FACT, SCOPES


@dataclass(frozen=True)
class Field:
    name: str               # profile key, spreadsheet column; the option is --name-with-dashes
    help: str
    attribute: str = ""     # the LetterRequest attribute, where it is not `name`
    required: bool = False
    repeatable: bool = False  # an option given several times, a list, cells split by commas
    lines: bool = False       # repeatable items are whole lines: a cell splits at newlines or '|'
    paragraphs: bool = False  # one text that may hold line breaks
    path: bool = False        # a file's name, not text for the letter: any name the system allows
    flag: bool = False
    choices: tuple[str, ...] = ()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


# What a letter is made from: each is an option, a profile key and a spreadsheet column.
REQUEST_FIELDS: tuple[Field, ...] = (
    Field("name", "Your full name, as on your LinkedIn account.", required=True),
    Field("email", "E-mail address of your LinkedIn account.", required=True),
    Field("profile_url", "Your profile address, e.g. https://www.linkedin.com/in/jane-doe."),
    Field("address", "One line of your postal address (repeatable). A German address's "
          "postcode names your Land's supervisory authority.", repeatable=True, lines=True),
    Field("country", "Country of residence, ISO code (DE, FR, GB, CH ...); see "
          "'objection countries'.", required=True),
    Field("region", "German residents: your Land as a code (BW, BY, BE, BB, HB, HH, HE, MV, NI, "
          "NW, RP, SL, SN, ST, SH, TH), so that the letter names its supervisory authority. "
          "Default: the Land of your address's postcode where it is certain; else the letter "
          "refers to the authority of your Land in general. Canadian residents: QC adds "
          "Quebec's Act and its Commission (default: a postal code beginning G, H or J); "
          "another province (ON, BC ...) gets the PIPEDA letter."),
    Field("lang", "Letter language, e.g. de, fr, pl (default: the main language of your "
          "country: BE nl, CH de, LU fr, FI fi, IE en, MT mt ...; see 'objection languages')."),
    Field("bilingual", "Add an English courtesy translation after the letter (the original "
          "stays authoritative).", flag=True),
    Field("ground", "A ground from 'objection grounds' (repeatable).", attribute="grounds",
          repeatable=True),
    Field("fact", "One line of fact for a ground that takes one (" + ", ".join(GROUNDS_WITH_FACT)
          + "), as 'GROUND: text', e.g. 'harassment: A former client has impersonated me "
          "online since 2024.' The letter adds it to that ground's paragraph, and gives the "
          "ground if you did not (repeatable).", attribute="facts", repeatable=True, lines=True),
    Field("situation", "Your particular situation in your own words.", paragraphs=True),
    Field("scope", "Limit the objection to: " + ", ".join(SCOPES) + " (repeatable; default: "
          "all that apply to your country).", repeatable=True),
    Field("date", "Letter date, YYYY-MM-DD (default: today)."),
    Field("place", "Place written before the date, e.g. Berlin."),
    Field("toggle", "Have you switched off LinkedIn's setting 'Data for Generative AI "
          "Improvement' (off), or are you switching it off now (pending)? Left out, the letter "
          "says nothing about your setting (asked when a terminal is there).",
          choices=("off", "pending")),
    Field("signature_image", "Your handwritten signature as PNG, JPEG or SVG (at most 2 MB and "
          "4000 px a side), placed on the signature line.", path=True),
)

FORMATS = ("pdf", "txt")

# Where one letter goes: options and profile keys, not spreadsheet columns (a batch has
# its own --format and output folder).
OUTPUT_FIELDS: tuple[Field, ...] = (
    Field("format", "Output format (default: from the output's suffix, else pdf).",
          choices=FORMATS),
    Field("output", "Output file; '-' for standard output (text unless --format pdf). "
          "Default: objection-<reference>.<format> here."),
)

COLUMNS = tuple(field.name for field in REQUEST_FIELDS)
REPEATABLE = tuple(field.name for field in REQUEST_FIELDS if field.repeatable)
REQUIRED = tuple(field.name for field in REQUEST_FIELDS if field.required)
PROFILE_KEYS = COLUMNS + tuple(field.name for field in OUTPUT_FIELDS)
BY_NAME = {field.name: field for field in REQUEST_FIELDS + OUTPUT_FIELDS}
