"""Times `bulletin build` of the sample issue against bare WeasyPrint on the same HTML.

Both run in turn, several rounds, as whole processes (what an editor waits for) and in one
warm process (what a rebuild costs). Prints medians and the ratio bulletin / WeasyPrint;
ratios, not absolute times, are comparable across shared, noisy machines.

    .venv/bin/python benchmarks/bench_build.py [--rounds 5] [ISSUE_DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bulletin.build import build  # noqa: E402
from bulletin.content.loader import load_issue  # noqa: E402
from bulletin.render.html import render_issue  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def whole_process(issue: Path, html_file: Path, base: Path, out: Path, rounds: int):
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(timed([str(BIN / "bulletin"), "build", str(issue), "-o", str(out / "a.pdf")]))
        bare.append(
            timed([str(BIN / "weasyprint"), "-u", f"{base}/", str(html_file), str(out / "b.pdf")])
        )
    return ours, bare


def in_process(issue: Path, html: str, base: Path, out: Path, rounds: int):
    import weasyprint

    from bulletin.engine.typeset import font_configuration

    build(issue, out / "warm.pdf")  # warm both: imports, fonts, caches
    weasyprint.HTML(string=html, base_url=f"{base}/").write_pdf(font_config=font_configuration())
    ours, bare = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        build(issue, out / "c.pdf")
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        weasyprint.HTML(string=html, base_url=f"{base}/").write_pdf(
            out / "d.pdf", font_config=font_configuration()
        )
        bare.append(time.perf_counter() - start)
    return ours, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issue", nargs="?", type=Path, default=REPO / "content" / "2024-08")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    rendered = render_issue(load_issue(args.issue).content)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        html_file = out / "issue.html"
        html_file.write_text(rendered.html, encoding="utf-8")
        rows = [
            (
                "whole process",
                *whole_process(args.issue, html_file, rendered.base_url, out, args.rounds),
            ),
            (
                "in process, warm",
                *in_process(args.issue, rendered.html, rendered.base_url, out, args.rounds),
            ),
        ]
    print(
        f"{'':18} {'bulletin':>9} {'weasyprint':>11} {'ratio':>6}  ratio min–max "
        f"({args.rounds} rounds in turn; medians)"
    )
    for name, ours, bare in rows:
        # Each round runs both in turn, so a round's ratio shares its moment's noise.
        ratios = [a / b for a, b in zip(ours, bare, strict=True)]
        print(
            f"{name:18} {statistics.median(ours):8.2f}s {statistics.median(bare):10.2f}s "
            f"{statistics.median(ratios):6.2f}x  {min(ratios):.2f}–{max(ratios):.2f}x"
        )


if __name__ == "__main__":
    main()
