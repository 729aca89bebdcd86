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
          "--ground", "old-content", "--ground", "third-parties", "--date", "2026-11-23"]


def wall(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def in_process(runs: int) -> tuple[float, list[float]]:
    from objection.compose import compose
    from objection.render import render_pdf
    from objection.request import make_request

    request = make_request({"name": "Jane Doe", "email": "jane@example.org", "country": "IE",
                            "ground": ["old-content", "third-parties"], "date": "2026-11-23"})
    start = time.perf_counter()
    render_pdf(compose(request))
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(compose(request))
        times.append(time.perf_counter() - start)
    return first, times


def main() -> None:
    def report(label: str, times: list[float]) -> None:
        print(f"{label:<44} median {statistics.median(times) * 1000:7.0f} ms  "
              f"min {min(times) * 1000:7.0f} ms  (n={len(times)})")

    report("objection --help (new process)", wall([str(BIN), "--help"], 20))
    with tempfile.TemporaryDirectory() as tmp:
        for country in ("IE", "DE"):  # English; German (the largest hyphenation dictionary)
            letter = [*LETTER, "--country", country]
            report(f"objection letter -o x.txt, {country} (new process)",
                   wall([str(BIN), *letter, "-o", f"{tmp}/x.txt", "--force"], 10))
            report(f"objection letter -o x.pdf, {country} (new process)",
                   wall([str(BIN), *letter, "-o", f"{tmp}/x.pdf", "--force"], 10))
    first, warm = in_process(20)
    report("one PDF letter in process, first", [first])
    report("one PDF letter in process, warm", warm)


if __name__ == "__main__":
    main()
