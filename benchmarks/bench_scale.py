"""Large issues: seconds per page and peak memory for issues of about 7, 30 and 60 pages.

Each size is built in a fresh process that reports its own time and peak resident memory,
so that the sizes do not share caches. Time should grow about linearly with the pages and
memory stay bounded.

    .venv/bin/python benchmarks/bench_scale.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.large_issue import make_large_issue  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
from bulletin.operations.build import build
start = time.perf_counter()
result = build(Path(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pages": result.pages, "seconds": seconds, "peak_mb": peak}))
"""


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for copies in (1, 5, 10):
            issue = make_large_issue(Path(scratch) / f"x{copies}", copies)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(issue), str(Path(scratch) / f"{copies}.pdf")],
                check=True,
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            rows.append(json.loads(done.stdout))
    print(f"{'pages':>6} {'seconds':>8} {'s/page':>7} {'peak MB':>8}")
    for row in rows:
        print(
            f"{row['pages']:>6} {row['seconds']:>8.1f} {row['seconds'] / row['pages']:>7.2f} "
            f"{row['peak_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
