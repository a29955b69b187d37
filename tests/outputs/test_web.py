"""The e-edition: self-contained, every article there, and readable in a phone browser."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.render.html import qr_code, render_issue
from tests.conftest import REPO, SAMPLE_ISSUE

runner = CliRunner()
PHONE_WIDTH = 390
# Artefacts of the browser test (a screenshot) go here, outside git.
ARTEFACTS = REPO / "out" / "test-artefacts"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web") / "edition"
    result = runner.invoke(app, ["build", str(SAMPLE_ISSUE), "--web", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_edition_is_one_page_and_its_stylesheet(edition):
    files = sorted(str(p.relative_to(edition)) for p in edition.rglob("*") if p.is_file())
    assert files == ["assets/web.css", "index.html"]


def test_edition_makes_no_external_requests_and_needs_no_script(edition):
    html = (edition / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html
    loaded = re.findall(r'<(?:link|img|script|source|iframe)[^>]+(?:href|src)="([^"]+)"', html)
    assert loaded == ["assets/web.css"]
    css = (edition / "assets" / "web.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_edition_has_masthead_contents_articles_sources_and_sponsors(edition):
    html = (edition / "index.html").read_text(encoding="utf-8")
    content = load_issue(SAMPLE_ISSUE).content
    assert '<html lang="zh-CN">' in html
    assert "<h1>双周决策观察</h1>" in html
    assert "2024 年第 8 期（总第 282 期） · 4 月 25 日印发" in html
    for number, article in enumerate(content.articles, 1):
        assert f'<a href="#article-{number:02d}">{article.title}</a>' in html
        assert f'<article id="article-{number:02d}">' in html
        assert f"（{article.source} {article.date:%Y%m%d}）" in html
    for label in ("主办", "编辑", "统筹", "电话", "传真"):
        assert f"<dt>{label}</dt>" in html


def test_pdf_back_cover_qr_code_points_at_this_edition():
    content = load_issue(SAMPLE_ISSUE).content
    assert content.e_edition_url == "https://example.org/bri/2024-08/"
    html = render_issue(content).html
    back_cover = html[html.index('class="back-cover"') :]
    assert f'd="{qr_code(content.e_edition_url).path}"' in back_cover


# The page is measured in a 390 px wide frame: headless windows are at least 500 px wide.
PROBE = """<!DOCTYPE html><html><body>
<iframe id="phone" src="index.html" style="width: 390px; height: 844px; border: 0"></iframe>
<script>
document.getElementById("phone").addEventListener("load", () => {
  const frame = document.getElementById("phone");
  const page = frame.contentDocument, view = frame.contentWindow;
  const size = e => parseFloat(view.getComputedStyle(e).fontSize);
  const body = [...page.querySelectorAll("article p:not(.source):not(.to-top)")].map(size);
  const all = [...page.querySelectorAll("p, li, dd, dt, h1, h2, h3, h4")].map(size);
  const wide = [...page.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > view.innerWidth + 0.5).length;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({
    innerWidth: view.innerWidth,
    scrollWidth: page.documentElement.scrollWidth,
    articles: page.querySelectorAll("article").length,
    smallestBodyText: Math.min(...body),
    smallestText: Math.min(...all),
    elementsPastRightEdge: wide,
  });
  document.body.appendChild(out);
});
</script></body></html>"""


def _run_browser(browser: str, profile: Path, *arguments: str) -> str:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.stdout


def test_phone_browser_shows_everything_without_sideways_scrolling(edition, browser, tmp_path):
    probe = edition / "probe.html"
    probe.write_text(PROBE, encoding="utf-8")
    dom = _run_browser(
        browser,
        tmp_path / "profile",
        "--allow-file-access-from-files",
        "--window-size=800,1000",
        "--virtual-time-budget=3000",
        "--dump-dom",
        probe.as_uri(),
    )
    probe.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, dom[-500:]
    facts = json.loads(found.group(1))
    assert facts["innerWidth"] == PHONE_WIDTH
    assert facts["scrollWidth"] <= PHONE_WIDTH
    assert facts["elementsPastRightEdge"] == 0
    assert facts["articles"] == 11
    assert facts["smallestBodyText"] >= 16
    assert facts["smallestText"] >= 14

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "e-edition-390px.png"
    _run_browser(
        browser,
        tmp_path / "profile2",
        f"--window-size={PHONE_WIDTH},2400",
        f"--screenshot={shot}",
        (edition / "index.html").as_uri(),
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
