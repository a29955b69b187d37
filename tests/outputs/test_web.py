"""The e-edition: self-contained, every article there, and readable in a phone browser."""

from __future__ import annotations

import json
import os
import re
import shutil
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


# --- pictures of every kind travel inside the page; the folder is replaced whole ----------


def webp(width: int = 40, height: int = 20) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "WEBP")
    return buffer.getvalue()


CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><defs><linearGradient '
    'id="g"/></defs><rect fill="url(#g)" width="300" height="100"/></svg>'
)


def with_pictures(issue: Path) -> None:
    (issue / "images").mkdir(exist_ok=True)
    (issue / "images" / "photo.webp").write_bytes(webp())
    (issue / "images" / "chart.svg").write_text(CHART, encoding="utf-8")
    article = issue / "articles" / "01.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text + "\n![照片](images/photo.webp)\n\n![图表](images/chart.svg)\n", encoding="utf-8"
    )


def test_webp_and_svg_pictures_travel_inside_the_page(sample_copy, tmp_path):
    with_pictures(sample_copy)
    folder = tmp_path / "edition"
    done = runner.invoke(app, ["build", str(sample_copy), "--web", "-o", str(folder)])
    assert done.exit_code == 0, done.output
    html = (folder / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert [s.split(",")[0] for s in sources] == [
        "data:image/webp;base64",
        "data:image/svg+xml;base64",
    ]
    assert "file:" not in html and str(Path.home()) not in html and str(tmp_path) not in html


def test_a_picture_that_cannot_travel_inside_the_page_is_refused(
    sample_copy, tmp_path, monkeypatch
):
    with_pictures(sample_copy)
    monkeypatch.setattr("bulletin.render.markdown.published_kind", lambda data: None)
    folder = tmp_path / "edition"
    done = runner.invoke(app, ["build", str(sample_copy), "--web", "-o", str(folder)])
    assert done.exit_code == 1
    assert done.stderr == (
        f"{folder / 'index.html'}: web: a picture kept its local address; expected every "
        "picture inside the page (PNG, JPEG, GIF, WebP or SVG)\n"
    )
    assert not folder.exists()


def contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def build_web(issue: Path, folder: Path):
    return runner.invoke(app, ["build", str(issue), "--web", "-o", str(folder)])


def test_a_full_disk_leaves_the_previous_edition_whole(sample_copy, tmp_path, monkeypatch):
    import errno

    from bulletin.outputs import web

    # The publication's own layout, whose stylesheet then changes with the article.
    layout = Path(shutil.copytree(REPO / "layouts" / "default", tmp_path / "layouts" / "mine"))
    publication = tmp_path / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(text.replace("layout: default", "layout: mine"), encoding="utf-8")
    folder = tmp_path / "out" / "edition"
    assert build_web(sample_copy, folder).exit_code == 0
    (folder / "notes.txt").write_text("the editor's own", encoding="utf-8")
    before = contents(folder)
    css = layout / "web.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: red; }\n", encoding="utf-8")
    article = sample_copy / "articles" / "01.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    # The new stylesheet is written, then the page finds no space left.
    real = web.write_atomically
    calls = []

    def filling(path, data):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    monkeypatch.setattr(web, "write_atomically", filling)
    done = build_web(sample_copy, folder)
    assert done.exit_code == 1
    assert done.stderr == f"{folder / 'index.html'}: web: cannot write: No space left on device\n"
    assert len(calls) == 2
    assert contents(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["edition"]

    monkeypatch.setattr(web, "write_atomically", real)
    assert build_web(sample_copy, folder).exit_code == 0
    assert (folder / "index.html").read_bytes() != before["index.html"]
    assert (folder / "assets" / "web.css").read_bytes() == css.read_bytes()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "the editor's own"


def test_a_linked_edition_folder_is_written_in_place_and_stays_a_link(sample_copy, tmp_path):
    real = tmp_path / "www" / "2024-08"
    real.mkdir(parents=True)
    link = tmp_path / "edition"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):
        done = runner.invoke(app, ["build", str(sample_copy), "--web", "-o", str(link)])
        assert done.exit_code == 0, done.output
    assert link.is_symlink() and (real / "index.html").is_file()
    assert sorted(contents(real)) == ["assets/web.css", "index.html"]
    hidden = [p.name for folder in (tmp_path, real.parent) for p in folder.iterdir()]
    assert [name for name in hidden if name.startswith(".")] == []
