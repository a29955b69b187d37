"""Where the layout's own time goes: per page and per feature, under bare WeasyPrint.

- per page (one process, warm, medians): each page's layout, first pass and the passes
  WeasyPrint makes again (a page with target-counter() is laid out again once the pages
  it points to are known);
- per feature (whole process, in turn, medians): bare `weasyprint` on bulletin's HTML
  with one feature switched off by an appended rule, against the full document and the
  minimal one: what each feature costs, and what the document would cost without it.

    .venv/bin/python benchmarks/bench_layout.py [--rounds 7] [ISSUE_DIR]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_build import BIN, arguments, bare_layout, documents, timed  # noqa: E402

# Each feature of the default layout, switched off by a rule appended to style.css.
FEATURES = {
    "contents page numbers and leaders": ".contents-articles a::after { content: none }",
    "running heads and folios": (
        "@page body { @top-left { content: none; border: none }"
        " @top-right { content: none; border: none } @bottom-center { content: none } }"
    ),
    "cover (all of it)": ".cover { display: none }",
    "back cover": ".back-cover { display: none }",
    "QR codes (SVG)": ".qr svg { visibility: hidden }",
}


def per_page(html: str, base: Path, rounds: int) -> dict[tuple[int, int], list[float]]:
    """Milliseconds of each page's layout, keyed by (page number, pass)."""
    import weasyprint
    from weasyprint.layout import page as page_module

    make_page = page_module.make_page
    times: dict[tuple[int, int], list[float]] = {}

    def timed_page(context, root_box, page_type, resume_at, page_number, page_state):
        start = time.perf_counter()
        made = make_page(context, root_box, page_type, resume_at, page_number, page_state)
        passes[page_number] = passes.get(page_number, 0) + 1
        key = (page_number, passes[page_number])
        times.setdefault(key, []).append((time.perf_counter() - start) * 1000)
        return made

    page_module.make_page = timed_page
    try:
        for round_ in range(rounds + 1):
            passes: dict[int, int] = {}
            weasyprint.HTML(string=html, base_url=f"{base}/").render()
            if round_ == 0:
                times.clear()  # the first round loads fonts and warms caches
    finally:
        page_module.make_page = make_page
    return times


def main() -> None:
    args = arguments(__doc__)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        rendered, html_file, minimal = documents(args.issue, out)
        layouts = {"full document": bare_layout(rendered.layout_dir, out / "full")}
        for number, (name, rule) in enumerate(FEATURES.items()):
            layouts[name] = bare_layout(rendered.layout_dir, out / f"v{number}", "\n" + rule)
        pages = per_page(rendered.html, layouts["full document"], args.rounds)
        weasyprint = str(BIN / "weasyprint")
        runs: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, folder in layouts.items():
                command = [weasyprint, "-u", f"{folder}/", str(html_file), str(out / "x.pdf")]
                runs.setdefault(name, []).append(timed(command))
            minimal_run = timed([weasyprint, str(minimal), str(out / "y.pdf")])
            runs.setdefault("minimal", []).append(minimal_run)
    print(f"Layout of each page, ms (median of {args.rounds}, one process, warm):")
    for (number, pass_), values in sorted(pages.items()):
        again = "" if pass_ == 1 else f" (laid out again, pass {pass_})"
        print(f"  page {number}{again}: {statistics.median(values):6.1f}")
    full, base = statistics.median(runs["full document"]), statistics.median(runs["minimal"])
    print(f"\nWhole process, bare weasyprint, s (median of {args.rounds}, in turn):")
    print(f"  {'minimal document':42} {base:5.2f}")
    print(f"  {'full document':42} {full:5.2f}  {full / base:.2f}× minimal")
    for name in FEATURES:
        without = statistics.median(runs[name])
        print(
            f"  {'without ' + name:42} {without:5.2f}  {without / base:.2f}× minimal;"
            f" the feature costs {1000 * (full - without):4.0f} ms"
        )


if __name__ == "__main__":
    main()
