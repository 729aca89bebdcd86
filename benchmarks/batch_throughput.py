"""Batch throughput and memory: `objection batch` against a naive WeasyPrint loop.

Run: .venv/bin/python benchmarks/batch_throughput.py [--rows 1000] [--naive 60] [--text-runs 3]
Figures go into docs/performance.md. Measures, in one run:
- PDF letters/s of `objection batch` (default --jobs, one per core) for --rows rows;
- PDF letters/s of a naive loop over the same HTML: one process,
  weasyprint.HTML(string=...).write_pdf(stylesheets=[CSS(string=...)]) per letter,
  on the first --naive rows, half before the batch and half after (the machine's speed
  drifts), its first letter untimed;
- text letters/s of `objection batch --format txt` for 10 x --rows rows, --text-runs times;
- peak memory (sum of RSS over the process tree, sampled every 50 ms) for text batches
  of --rows and 10 x --rows rows.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "objection"
COUNTRIES = ["DE", "FR", "IE", "AT", "NL", "PL", "IT", "ES"]


def write_rows(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "email", "country", "ground", "lang", "address"])
        for index in range(count):
            writer.writerow([f"Person Number {index}", f"person{index}@example.org",
                             COUNTRIES[index % len(COUNTRIES)], "old-content,job-seeker", "en",
                             f"Street {index}|12345 Town"])
    return path


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, stack = 0, [pid]
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def parent_peak(pid: int) -> int:
    """The highest resident memory a process itself has had, in bytes (VmHWM), or 0."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure_batch(rows: Path, out: Path, *options: str) -> tuple[float, int, int]:
    """Wall time, peak tree RSS and the batch process's own peak RSS of one batch run."""
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN), "batch", str(rows), "-o", str(out), "--quiet",
                                *options])
    peak = parent = 0

    def sample() -> None:
        nonlocal peak, parent
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            parent = max(parent, parent_peak(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed with exit status {process.returncode}")
    return time.perf_counter() - started, peak, parent


def run_batch(rows: Path, out: Path, *options: str) -> tuple[float, int]:
    """Wall time and peak tree RSS of one batch run."""
    seconds, peak, _parent = measure_batch(rows, out, *options)
    return seconds, peak


def naive_rate(rows: Path, count: int) -> float:
    """The naive loop over the same HTML, in this process."""
    import weasyprint

    from objection.compose import compose
    from objection.pdf import PackageOnlyFetcher
    from objection.render import render_html
    from objection.request import make_request
    from objection.resources import templates_dir

    css = (templates_dir() / "letter.css").read_text("utf-8")
    with rows.open(newline="", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))[:count]
    pages = [render_html(compose(make_request({**person, "date": "2026-11-23",
                                                "address": person["address"].split("|")})))
             for person in people]
    def write(page: str) -> None:
        weasyprint.HTML(string=page, url_fetcher=PackageOnlyFetcher()).write_pdf(
            stylesheets=[weasyprint.CSS(string=css, url_fetcher=PackageOnlyFetcher())])

    write(pages[0])  # untimed: the loop's first letter loads the fonts (in its favour)
    started = time.perf_counter()
    for page in pages:
        write(page)
    return len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=60)
    parser.add_argument("--text-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = write_rows(work / "rows.csv", args.rows)
        many = write_rows(work / "many.csv", args.rows * 10)
        # The machine's speed drifts over minutes: time the naive loop before and after the
        # batch (half the letters each) and compare the batch with the mean of the two.
        before = naive_rate(rows, args.naive // 2)
        seconds, pdf_peak = run_batch(rows, work / "pdf", "--date", "2026-11-23")
        after = naive_rate(rows, args.naive // 2)
        naive = (before + after) / 2
        print(f"objection batch, {args.rows} PDF letters: {seconds:.1f} s, "
              f"{args.rows / seconds:.1f} letters/s (process start included), "
              f"peak RSS {pdf_peak / 2**20:.0f} MiB")
        print(f"naive loop, {args.naive} PDF letters: {before:.1f} letters/s before the batch, "
              f"{after:.1f} after; batch / naive = {args.rows / seconds / naive:.2f}x")
        small, small_peak = run_batch(rows, work / "txt1", "--format", "txt")
        print(f"objection batch, {args.rows} text letters: {args.rows / small:.0f} letters/s, "
              f"peak RSS {small_peak / 2**20:.0f} MiB")
        for run in range(1, args.text_runs + 1):
            large, large_peak = run_batch(many, work / f"txt10-{run}", "--format", "txt")
            print(f"objection batch, {args.rows * 10} text letters, run {run}: "
                  f"{args.rows * 10 / large:.0f} letters/s, peak RSS {large_peak / 2**20:.0f} "
                  f"MiB ({(large_peak / small_peak - 1) * 100:+.1f} % against {args.rows} rows)")


if __name__ == "__main__":
    main()
