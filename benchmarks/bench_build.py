"""Every speed ratio of the project in one run, against bare WeasyPrint measured in turn.

Each round runs the commands one after the other, so a round's ratios share the moment's
noise; the table gives the median ratio and its spread (min–max) over the rounds.

- build / weasyprint, same HTML: `bulletin build` against `weasyprint` on the HTML that
  bulletin renders (bulletin's own overhead; goal ≤ 1.15×);
- document / minimal: `weasyprint` on bulletin's HTML against `weasyprint` on a minimal
  HTML of the same text in the same fonts (what the layout costs; goal ≤ 1.25×);
- build / minimal: the whole build against that minimal document (goal ≤ 1.6×);
- publish / build: `bulletin publish` (every output) against one office build (≤ 2.2×);
- warm build / warm weasyprint: in one process, what a `bulletin watch` rebuild costs.

    .venv/bin/python benchmarks/bench_build.py [--rounds 7] [ISSUE_DIR]
"""

from __future__ import annotations

import argparse
import html as html_escape
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bulletin.content.loader import load_issue  # noqa: E402
from bulletin.data import fonts_dir  # noqa: E402
from bulletin.operations.build import build  # noqa: E402
from bulletin.render.html import render_issue  # noqa: E402

BIN = Path(sys.executable).parent
# The same text, plainly: one font, headings and paragraphs, A4, no covers or contents.
MINIMAL = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: s; src: url({serif}) }}
@font-face {{ font-family: h; src: url({sans}) }}
@page {{ size: A4; margin: 22mm 20mm }}
body {{ font: 10.5pt/1.75 s; }} h1, h2, h3 {{ font-family: h }}
</style></head><body>{body}</body></html>"""


def minimal_html(issue: Path) -> str:
    content = load_issue(issue).content
    parts = [f"<h1>{html_escape.escape(content.publication.name)}</h1>"]
    for region, articles in content.sections:
        parts.append(f"<h2>{html_escape.escape(region)}</h2>")
        for article in articles:
            parts.append(f"<h3>{html_escape.escape(article.title)}</h3>")
            for paragraph in article.body.split("\n\n"):
                parts.append(f"<p>{html_escape.escape(paragraph)}</p>")
    return MINIMAL.format(
        serif=(fonts_dir() / "NotoSerifSC-Regular.otf").as_uri(),
        sans=(fonts_dir() / "NotoSansSC-Regular.otf").as_uri(),
        body="".join(parts),
    )


def bare_layout(layout_dir: Path, copy: Path, extra_css: str = "") -> Path:
    """A copy of the layout that bare WeasyPrint can use: the same font files, by file URL.

    Bare WeasyPrint cannot resolve bulletin-fonts: URLs; the copy names the same files
    directly, so both set the text in the same fonts. `extra_css` is appended to style.css.
    """
    shutil.copytree(layout_dir, copy)
    for css in copy.glob("*.css"):
        text = css.read_text(encoding="utf-8")
        text = text.replace("bulletin-fonts:", fonts_dir().as_uri() + "/")
        css.write_text(text + (extra_css if css.name == "style.css" else ""), encoding="utf-8")
    return copy


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def whole_processes(issue: Path, out: Path, html_file: Path, base: Path, minimal: Path, rounds):
    rows: dict[str, list[float]] = {}
    bulletin = str(BIN / "bulletin")
    weasyprint = str(BIN / "weasyprint")
    for _ in range(rounds):
        times = {
            "build": timed([bulletin, "build", str(issue), "-o", str(out / "a.pdf")]),
            "document": timed([weasyprint, "-u", f"{base}/", str(html_file), str(out / "b.pdf")]),
            "minimal": timed([weasyprint, str(minimal), str(out / "c.pdf")]),
            "publish": timed([bulletin, "publish", str(issue), "-o", str(out / "all")]),
        }
        for name, seconds in times.items():
            rows.setdefault(name, []).append(seconds)
    return rows


def warm(issue: Path, html: str, base: Path, out: Path, rounds: int):
    import weasyprint

    from bulletin.engine.typeset import font_configuration

    build(issue, out / "warm.pdf")  # warm both: imports, fonts, caches
    weasyprint.HTML(string=html, base_url=f"{base}/").write_pdf(font_config=font_configuration())
    ours, bare = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        build(issue, out / "d.pdf")
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        weasyprint.HTML(string=html, base_url=f"{base}/").write_pdf(
            out / "e.pdf", font_config=font_configuration()
        )
        bare.append(time.perf_counter() - start)
    return ours, bare


def ratio_row(name: str, ours: list[float], base: list[float], goal: str) -> str:
    ratios = [a / b for a, b in zip(ours, base, strict=True)]
    return (
        f"{name:34} {statistics.median(ours):6.2f}s {statistics.median(base):6.2f}s "
        f"{statistics.median(ratios):6.2f}x  {min(ratios):.2f}–{max(ratios):.2f}x  {goal}"
    )


def arguments(description: str) -> argparse.Namespace:
    """The benchmarks' command line: an issue folder (the sample) and the rounds."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("issue", nargs="?", type=Path, default=REPO / "content" / "2024-08")
    parser.add_argument("--rounds", type=int, default=7)
    return parser.parse_args()


def documents(issue: Path, out: Path):
    """The issue rendered by bulletin, written to out/issue.html, and out/minimal.html."""
    rendered = render_issue(load_issue(issue).content)
    html_file = out / "issue.html"
    html_file.write_text(rendered.html, encoding="utf-8")
    minimal = out / "minimal.html"
    minimal.write_text(minimal_html(issue), encoding="utf-8")
    return rendered, html_file, minimal


def main() -> None:
    args = arguments(__doc__)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        rendered, html_file, minimal = documents(args.issue, out)
        rendered = replace(rendered, base_url=bare_layout(rendered.layout_dir, out / "layout"))
        runs = whole_processes(args.issue, out, html_file, rendered.base_url, minimal, args.rounds)
        warm_ours, warm_bare = warm(args.issue, rendered.html, rendered.base_url, out, args.rounds)
    print(f"{args.rounds} rounds in turn on {os.cpu_count()} cores; medians, ratio spread")
    print(f"{'':34} {'ours':>7} {'base':>7} {'ratio':>7}  {'min–max':10}  goal")
    print(ratio_row("build / weasyprint, same HTML", runs["build"], runs["document"], "≤ 1.15"))
    print(ratio_row("document / minimal, weasyprint", runs["document"], runs["minimal"], "≤ 1.25"))
    print(ratio_row("build / minimal", runs["build"], runs["minimal"], "≤ 1.6"))
    print(ratio_row("publish / build", runs["publish"], runs["build"], "≤ 2.2"))
    print(ratio_row("warm build / warm weasyprint", warm_ours, warm_bare, "≤ 1.1"))


if __name__ == "__main__":
    main()
