"""Languages, German Länder and Canadian provinces as people name them, turned into the codes
the letters use: for a spreadsheet's lang and region cells ("Deutsch", "Bayern", "Québec")
and the dialogue's answers. Language names are Babel's; the Länder's are their official
German and English names, the provinces' their English and French ones.
"""

import functools

from objection.country_names import normal

# The German Länder (jurisdictions.regions("DE")), in their usual order: the German name
# (their official one) and the English one, both accepted with the code.
LAENDER = {
    "BW": ("Baden-Württemberg", "Baden-Württemberg"), "BY": ("Bayern", "Bavaria"),
    "BE": ("Berlin", "Berlin"), "BB": ("Brandenburg", "Brandenburg"),
    "HB": ("Bremen", "Bremen"), "HH": ("Hamburg", "Hamburg"), "HE": ("Hessen", "Hesse"),
    "MV": ("Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"),
    "NI": ("Niedersachsen", "Lower Saxony"), "NW": ("Nordrhein-Westfalen",
                                                    "North Rhine-Westphalia"),
    "RP": ("Rheinland-Pfalz", "Rhineland-Palatinate"), "SL": ("Saarland", "Saarland"),
    "SN": ("Sachsen", "Saxony"), "ST": ("Sachsen-Anhalt", "Saxony-Anhalt"),
    "SH": ("Schleswig-Holstein", "Schleswig-Holstein"), "TH": ("Thüringen", "Thuringia"),
}
LAND_ALIASES = {"NRW": "NW"}
# Canada's provinces and territories (Canada Post's codes; --region QC adds Quebec's Act,
# the others get the PIPEDA letter): their English and French names.
PROVINCES = {
    "AB": ("Alberta", "Alberta"), "BC": ("British Columbia", "Colombie-Britannique"),
    "MB": ("Manitoba", "Manitoba"), "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"), "NT": ("Northwest Territories",
                                                     "Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "Nunavut"), "ON": ("Ontario", "Ontario"),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"), "QC": ("Quebec", "Québec"),
    "SK": ("Saskatchewan", "Saskatchewan"), "YT": ("Yukon", "Yukon"),
}


@functools.cache
def land_names() -> dict[str, str]:
    """Every way of naming a region, by its `normal` form: a Land's code, DE-code, names and
    aliases; a Canadian province's code, CA-code and names."""
    names = {normal(alias): code for alias, code in LAND_ALIASES.items()}
    for country, table in (("DE", LAENDER), ("CA", PROVINCES)):
        for code, own in table.items():
            for name in (code, f"{country}-{code}", *own):
                names.setdefault(normal(name), code)
    return names


def land_code(text: str) -> str:
    """A region cell as a code where it names a Land or a province; else as it is (the
    letter's rules judge it and say what is expected)."""
    return land_names().get(normal(text), text) if text.strip() else text


# Names of a letter language that Babel does not give: Traditional Chinese is "Chinese
# (Traditional)" / 中文（繁體） in CLDR; a sheet says "Chinese" or 中文.
OTHER_LANGUAGE_NAMES = {"zh_Hant": ("Chinese", "Traditional Chinese", "中文", "繁體中文",
                                    "繁體", "Chinois")}


@functools.cache
def language_names() -> dict[str, str]:
    """Every letter language by its code, its own name and its name in every letter
    language (Babel), by `normal` form."""
    from objection.i18n import available_languages, language_name

    names: dict[str, str] = {normal(name): code for code, others in OTHER_LANGUAGE_NAMES.items()
                             for name in others}
    languages = available_languages()
    for code in languages:
        names[normal(code)] = code
    for code in languages:
        for in_language in (code, "en", *languages):
            names.setdefault(normal(language_name(code, in_language)), code)
    return names


def language_code(text: str) -> str:
    """A lang cell as a code where it names a letter language ("Deutsch", "German",
    "allemand"); else as it is (the letter's rules judge it)."""
    return language_names().get(normal(text), text) if text.strip() else text
