"""Build objection/data/de_postcodes.tsv: which German Land each postcode lies in.

Input: zipcodes.de.csv from https://github.com/zauberware/postal-codes-json-xml-csv
(data/DE.zip), which converts the GeoNames postal-code dump (CC BY 4.0, geonames.org).
Run: python scripts/de_postcodes.py zipcodes.de.csv > objection/data/de_postcodes.tsv

Consecutive postcodes of one Land become one range; a postcode that GeoNames places in
more than one Land (it crosses a border, or is a large customer's code) keeps every Land,
so that the letter does not guess (objection/jurisdictions.py).
"""

import csv
import sys
from collections import defaultdict

# GeoNames gives some Länder as their official numeric keys instead of letter codes.
NUMERIC = {"01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI", "07": "NW",
           "08": "RP", "09": "SL", "10": "SH", "11": "BB", "12": "MV", "13": "SN", "14": "ST",
           "15": "TH", "16": "BE"}


def main(path: str) -> None:
    lands: defaultdict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            land = NUMERIC.get(row["state_code"], row["state_code"])
            if land and len(row["zipcode"]) == 5 and row["zipcode"].isdigit():
                lands[row["zipcode"]].add(land)
    ranges: list[list[str]] = []
    for code in sorted(lands):
        value = "/".join(sorted(lands[code]))
        if ranges and ranges[-1][2] == value and "/" not in value:
            ranges[-1][1] = code
        else:
            ranges.append([code, code, value])
    print("# German postcode ranges and their Land (scripts/de_postcodes.py). Source: GeoNames")
    print("# postal codes (CC BY 4.0, https://www.geonames.org) as converted by")
    print("# zauberware/postal-codes-json-xml-csv, commit a6e8df1 (2026-03-30); built 2026-11-30.")
    print("# A postcode between two ranges is unknown; several Länder (BB/BE) mean ambiguous.")
    for first, last, value in ranges:
        print(f"{first}\t{last}\t{value}")


if __name__ == "__main__":
    main(sys.argv[1])
