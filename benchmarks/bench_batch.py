"""Throughput of `bulletin build A B C … --jobs N`: 1 worker against 2, on 8 issues.

Makes 8 consecutively numbered copies of the sample issue in a scratch folder, builds them
all with --jobs 1 and with --jobs 2 (whole processes, alternating, median of the rounds),
and prints issues per second and the speed-up. Goal: at least 1.7x with 2 workers.

    .venv/bin/python benchmarks/bench_batch.py [--issues 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def make_issues(folder: Path, count: int) -> list[Path]:
    shutil.copy(REPO / "content" / "publication.yaml", folder / "publication.yaml")
    issues = []
    for offset in range(count):
        number, cumulative = 8 + offset, 282 + offset
        date = dt.date(2024, 4, 25) + dt.timedelta(days=14 * offset)
        target = folder / f"2024-{number:02d}"
        shutil.copytree(REPO / "content" / "2024-08", target)
        (target / "issue.yaml").write_text(
            f"year: 2024\nnumber: {number}\ncumulative: {cumulative}\nprint_date: {date}\n",
            encoding="utf-8",
        )
        issues.append(target)
    return issues


def timed(issues: list[Path], jobs: int, out: Path) -> float:
    command = [str(BIN / "bulletin"), "build", *map(str, issues), "-o", str(out), "-j", str(jobs)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        issues = make_issues(folder, args.issues)
        one, two = [], []
        for _ in range(args.rounds):
            one.append(timed(issues, 1, folder / "out1"))
            two.append(timed(issues, 2, folder / "out2"))
    one_s, two_s = statistics.median(one), statistics.median(two)
    print(f"{args.issues} issues, median of {args.rounds} rounds")
    print(f"  --jobs 1: {one_s:6.2f} s  {args.issues / one_s:5.2f} issues/s")
    print(f"  --jobs 2: {two_s:6.2f} s  {args.issues / two_s:5.2f} issues/s")
    print(f"  speed-up: {one_s / two_s:.2f}x")


if __name__ == "__main__":
    main()
