"""The batch on a Dask cluster against the local process pool, on this machine, in one run.

Run: cd benchmarks && ../.venv/bin/python batch_dask.py [--pdf-rows 200] [--text-rows 20000]
Figures go into docs/performance.md. A local cluster of --workers processes (one thread each)
against `--jobs --workers` on the same rows:
- PDF letters/s: the per-row work, which a cluster spreads over its machines;
- text letters/s: rows so cheap that the client's own work (receiving the bytes, writing the
  temporary files, one flush per group, the state's transaction) is the limit: the most
  letters per second any number of machines can give this client.
"""

import argparse
import tempfile
from pathlib import Path

from batch_throughput import run_batch, write_rows


def main() -> None:
    import distributed

    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf-rows", type=int, default=200)
    parser.add_argument("--text-rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True,
            dashboard_address=":0", silence_logs=40) as cluster:
        work = Path(tmp)
        address = cluster.scheduler_address
        for label, count, fmt in (("PDF", args.pdf_rows, "pdf"), ("text", args.text_rows, "txt")):
            rows = write_rows(work / f"{fmt}.csv", count)
            common = ("--format", fmt, "--date", "2026-11-23")
            pool, _ = run_batch(rows, work / f"{fmt}-pool", *common, "--jobs", str(args.workers))
            dask, _ = run_batch(rows, work / f"{fmt}-dask", *common, "--scheduler", address)
            print(f"{count} {label} letters: process pool ({args.workers} workers) "
                  f"{count / pool:.1f} letters/s, Dask cluster ({args.workers} workers) "
                  f"{count / dask:.1f} letters/s (start included)")


if __name__ == "__main__":
    main()
