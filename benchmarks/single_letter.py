"""Start-up time of `objection --help` and the time to write one letter.

Run: .venv/bin/python benchmarks/single_letter.py   (figures go into docs/performance.md)
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "objection"
LETTER = ["letter", "--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
          "--country", "DE", "--ground", "old-content", "--ground", "third-parties",
          "--date", "2026-11-23"]


def wall(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def in_process(runs: int) -> tuple[float, list[float]]:
    from objection.letter import compose, render_html
    from objection.pdf import html_to_pdf
    from objection.request import make_request

    request = make_request({"name": "Jane Doe", "email": "jane@example.org", "country": "DE",
                            "ground": ["old-content", "third-parties"], "date": "2026-11-23"})
    start = time.perf_counter()
    html_to_pdf(render_html(compose(request)))
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        html_to_pdf(render_html(compose(request)))
        times.append(time.perf_counter() - start)
    return first, times


def main() -> None:
    def report(label: str, times: list[float]) -> None:
        print(f"{label:<44} median {statistics.median(times) * 1000:7.0f} ms  "
              f"min {min(times) * 1000:7.0f} ms  (n={len(times)})")

    report("objection --help (new process)", wall([str(BIN), "--help"], 20))
    with tempfile.TemporaryDirectory() as tmp:
        report("objection letter -o x.txt (new process)",
               wall([str(BIN), *LETTER, "-o", f"{tmp}/x.txt"], 10))
        report("objection letter -o x.pdf (new process)",
               wall([str(BIN), *LETTER, "-o", f"{tmp}/x.pdf"], 10))
    first, warm = in_process(20)
    report("one PDF letter in process, first", [first])
    report("one PDF letter in process, warm", warm)


if __name__ == "__main__":
    main()
