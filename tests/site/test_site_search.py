"""Site search in Chromium: Latin tokens found whole, Chinese still found, a page opened from
disk that says what to do, and `bulletin site --serve` on loopback until SIGTERM."""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bulletin.operations.site import build_site
from tests.conftest import REPO
from tests.outputs.test_web import _run_browser
from tests.site.mixed_text import mixed_content
from tests.site.test_site import REPORT, probe_report

# Typed as a reader would; "5G" used to find every article with "5 个" or "5 月" in it.
QUERIES = ["5G", "CVC", "eVTOL", "量子通信走廊"]

# Each query in its own frame, one after another; what each found is copied out.
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<img src="/__hold" alt="">
<script type="module">
REPORT
const facts = {};
for (const query of QUERIES) {
  const frame = document.createElement("iframe");
  frame.src = "/search/?q=" + encodeURIComponent(query);
  document.body.append(frame);
  const state = await new Promise((done) => {
    const waiting = setInterval(() => {
      const page = frame.contentDocument;
      const state = page && page.documentElement && page.documentElement.dataset.searched;
      if (state) { clearInterval(waiting); done(state); }
    }, 50);
  });
  const page = frame.contentDocument;
  facts[query] = {
    state: state,
    status: page.getElementById("search-status").textContent,
    paths: [...page.querySelectorAll("#search-results li a")]
      .map((a) => decodeURI(new URL(a.href).pathname)),
  };
}
report(facts);
</script></body></html>"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, Path]:
    """The sample issue and two issues of mixed text, built into a site."""
    root = tmp_path_factory.mktemp("mixed")
    content = mixed_content(root)
    build_site(content, root / "site", build_pdfs=False)
    return content, root / "site"


def holding(content: Path, query: str) -> set[str]:
    """The addresses of the articles whose title or text holds `query` as a whole token, in
    any letter case (the answer, worked out from the Markdown)."""
    token = re.compile(rf"(?<![a-z0-9]){re.escape(query.lower())}(?![a-z0-9])")
    return {
        f"/{article.parent.parent.name}/{article.stem}/"
        for article in content.glob("*/articles/*.md")
        if token.search(article.read_text(encoding="utf-8").lower())
    }


def test_latin_queries_find_whole_tokens_and_chinese_still_finds(mixed, browser, tmp_path):
    content, site = mixed
    probe = PROBE.replace("QUERIES", json.dumps(QUERIES)).replace("REPORT", REPORT)
    _address, facts = probe_report(site, probe, browser, tmp_path / "profile")
    expected = {
        "5G": {"/2024-09/01/", "/2024-10/01/"},  # not 5 个, 3.5GHz, 5 G, 第5届
        "CVC": {"/2024-08/03/", "/2024-09/04/"},  # not CVCA
        "eVTOL": {"/2024-09/03/", "/2024-10/02/"},  # EVTOL and evtol too
        "量子通信走廊": {"/2024-09/06/"},
    }
    for query in QUERIES:
        seen = facts[query]
        assert seen["state"] == "true", seen
        assert set(seen["paths"]) == expected[query], (query, seen)
        assert len(seen["paths"]) == len(expected[query])
        assert seen["status"] == f"找到 {len(expected[query])} 篇文章。"
    for query in ("5G", "CVC", "eVTOL"):
        assert holding(content, query) == expected[query], query


def test_the_search_page_opened_from_disk_says_to_serve_it(mixed, browser, tmp_path):
    _, built = mixed
    site = Path(shutil.copytree(built, tmp_path / "site"))
    english = site / "search" / "en.html"
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    english.write_text(page.replace('lang="zh-CN"', 'lang="en"', 1), encoding="utf-8")
    said = {}
    for name, file in (("zh", site / "search" / "index.html"), ("en", english)):
        dom = _run_browser(
            browser, tmp_path / f"profile-{name}", "--dump-dom", file.as_uri() + "?q=5G"
        )
        status = re.search(r'<p id="search-status"[^>]*>(.*?)</p>', dom, re.S)
        assert status, dom[-800:]
        said[name] = html.unescape(status.group(1))
        assert 'data-searched="from-disk"' in dom
    assert "从本机文件打开的页面无法载入搜索索引" in said["zh"]
    assert "bulletin site 内容目录 -o 网站目录 --serve" in said["zh"]
    assert said["en"].startswith("Search needs the site served over HTTP")
    assert "bulletin site CONTENT_DIR -o SITE_DIR --serve" in said["en"]


def test_site_serve_answers_on_loopback_and_stops_on_sigterm(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "publication.yaml", content)
    shutil.copytree(REPO / "content" / "2024-08", content / "2024-08")
    site = tmp_path / "site"
    command = [sys.executable, "-m", "bulletin", "site", str(content), "-o", str(site)]
    process = subprocess.Popen(
        [*command, "--no-pdfs", "--serve", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", first), (first, process.stderr)
        assert "1 issue, 11 articles" in process.stdout.readline()
        assert "Ctrl-C stops" in process.stdout.readline()
        with urllib.request.urlopen(first + "search/", timeout=30) as answer:
            assert answer.status == 200
            assert "全文搜索" in answer.read().decode("utf-8")
        with urllib.request.urlopen(first + "pagefind/pagefind.js", timeout=30) as answer:
            assert answer.status == 200
        for path, code in ((".bulletin-site.json", 404), ("../etc/passwd", 404)):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(first + path, timeout=30)
            assert refused.value.code in (code, 400), path
        other = urllib.request.Request(first, headers={"Host": "example.org"})
        with pytest.raises(urllib.error.HTTPError) as misdirected:
            urllib.request.urlopen(other, timeout=30)
        assert misdirected.value.code == 421
        with urllib.request.urlopen(first, timeout=30) as answer:
            assert b"<script" not in answer.read()  # no reload script: served as it is
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, errors
    # Stopped quietly: the sample's placeholder addresses are its only lines.
    assert all(line.startswith("warning: ") for line in errors.splitlines()), errors
