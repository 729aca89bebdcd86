"""Peak memory of text batches of growing size: is the parent's memory flat in the rows?

Run: .venv/bin/python benchmarks/batch_memory.py [--rows 10000 100000]
Figures go into docs/performance.md. For each size, one `objection batch --format txt` run
into a new folder, its peak memory (sum of RSS over the process tree, sampled every 50 ms)
and the parent's own peak (VmHWM of the batch process), and the rate.
"""

import argparse
import tempfile
from pathlib import Path

from batch_throughput import measure_batch, write_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        first_peak = 0
        for count in args.rows:
            rows = write_rows(work / f"rows-{count}.csv", count)
            seconds, peak, parent = measure_batch(rows, work / f"out-{count}", "--format",
                                                  "txt", "--date", "2026-11-23")
            first_peak = first_peak or peak
            print(f"{count} text rows: {count / seconds:.0f} letters/s, peak RSS of the tree "
                  f"{peak / 2**20:.0f} MiB ({(peak / first_peak - 1) * 100:+.1f} % against "
                  f"{args.rows[0]} rows), of the parent {parent / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
