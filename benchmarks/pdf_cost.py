"""Where a PDF letter's time goes: the stages of one letter, and inside WeasyPrint's layout and
PDF writing, the functions that cost most (cProfile), over letters of a realistic batch.

Run: .venv/bin/python benchmarks/pdf_cost.py [--letters 40]
Figures go into docs/performance.md.
"""

import argparse
import cProfile
import datetime as dt
import pstats
import time
from collections import defaultdict
from typing import Any

COUNTRIES = ["DE", "FR", "IE", "AT", "NL", "PL", "IT", "ES"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=40)
    args = parser.parse_args()

    from weasyprint import HTML, Attachment

    from objection.compose import compose
    from objection.pdf import PDF_VARIANT, PackageOnlyFetcher, _stylesheet, html_to_pdf
    from objection.render import render_html
    from objection.request import make_request
    from objection.request_data import REQUEST_DATA_NAME, request_data

    requests = [make_request({"name": f"Person Number {i}", "email": f"p{i}@example.org",
                              "country": COUNTRIES[i % len(COUNTRIES)], "lang": "en",
                              "ground": ["old-content", "job-seeker"], "date": "2026-11-23",
                              "address": [f"Street {i}", "12345 Town"]})
                for i in range(args.letters + 1)]
    html_to_pdf(render_html(compose(requests[0])), "x.json", b"{}", "x", dt.date(2026, 11, 23))

    stages: dict[str, float] = defaultdict(float)
    profile = cProfile.Profile()
    stylesheet, fonts = _stylesheet()
    for request in requests[1:]:
        t0 = time.perf_counter()
        letter = compose(request)
        t1 = time.perf_counter()
        html = render_html(letter)
        data = request_data(letter, False)
        t2 = time.perf_counter()
        attachment = Attachment(string=data.decode(), name=REQUEST_DATA_NAME, relationship="Data",
                                url_fetcher=PackageOnlyFetcher())
        options: dict[str, Any] = {"stylesheets": [stylesheet], "presentational_hints": False,
                                   "pdf_variant": PDF_VARIANT, "attachments": [attachment]}
        profile.enable()
        t3 = time.perf_counter()
        document = HTML(string=html, url_fetcher=PackageOnlyFetcher()).render(
            font_config=fonts, **options)
        t4 = time.perf_counter()
        document.write_pdf(**options)
        t5 = time.perf_counter()
        profile.disable()
        stages["compose"] += t1 - t0
        stages["HTML and request data (Jinja)"] += t2 - t1
        stages["parse, style and lay out (WeasyPrint render)"] += t4 - t3
        stages["draw, fonts, compress, PDF/A, attach (write_pdf)"] += t5 - t4
    total = sum(stages.values())
    print(f"{args.letters} letters, {total / args.letters * 1000:.0f} ms each:")
    for name, seconds in stages.items():
        print(f"  {name:<52} {seconds / args.letters * 1000:7.1f} ms  "
              f"{seconds / total * 100:5.1f} %")
    stats = pstats.Stats(profile)
    print("\nInside WeasyPrint, by cumulative time (ms per letter):")
    rows = sorted(((value[3], func) for func, value in stats.stats.items()),  # type: ignore[attr-defined]
                  reverse=True)
    shown = 0
    for cumulative, (filename, line, name) in rows:
        if "weasyprint" in filename or "pydyf" in filename or "fontTools" in filename \
                or "zlib" in name or "compress" in name:
            print(f"  {cumulative / args.letters * 1000:7.1f}  {name} "
                  f"({filename.split('site-packages/')[-1]}:{line})")
            shown += 1
        if shown == 30:
            break


if __name__ == "__main__":
    main()
