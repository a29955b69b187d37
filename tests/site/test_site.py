"""The e-edition site: stable addresses, three issues, search and phone layout in a real browser,
feed and sitemap, incremental and atomic writes, and nothing that names a local file."""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import re
import shutil
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BuildError
from bulletin.operations.site import build_site
from bulletin.site.writer import MANIFEST
from tests.conftest import REPO, SAMPLE_ISSUE
from tests.corpus.build import png
from tests.outputs.test_web import ARTEFACTS, PHONE_WIDTH, _run_browser

runner = CliRunner()
BASE = "https://example.org/bri/"
# Occurs in one article only: the one added to the third issue.
UNIQUE = "量子通信走廊"
NEW_ARTICLE = "12-quantum"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def add_issue(content: Path, number: int, cumulative: int, print_date: str) -> Path:
    """A copy of the sample as another issue: its own numbers, date and titles."""
    folder = Path(shutil.copytree(SAMPLE_ISSUE, content / f"2024-{number:02d}"))
    (folder / "issue.yaml").write_text(
        f"year: 2024\nnumber: {number}\ncumulative: {cumulative}\nprint_date: {print_date}\n",
        encoding="utf-8",
    )
    for article in (folder / "articles").glob("*.md"):
        text = article.read_text(encoding="utf-8")
        text = re.sub(r"^title: (.*)$", rf"title: \1（第 {number} 期）", text, count=1, flags=re.M)
        article.write_text(text, encoding="utf-8")
    return folder


def add_unique_article(issue: Path) -> None:
    (issue / "images").mkdir()
    (issue / "images" / "corridor.png").write_bytes(png(40, 20))
    (issue / "articles" / f"{NEW_ARTICLE}.md").write_text(
        "---\nregion: 广东\ntitle: 广州谋划建设量子通信骨干网络\nsource: 南方日报\n"
        f"date: 2024-05-20\n---\n近日，广州提出建设{UNIQUE}，连接南沙与黄埔两大园区。\n\n"
        f"![{UNIQUE}示意图](images/corridor.png)\n\n## 下一步安排\n\n年内完成首段线路测试。\n",
        encoding="utf-8",
    )


def fake_pdfs(folder: Path, stems: list[str]) -> Path:
    folder.mkdir(exist_ok=True)
    for stem in stems:
        (folder / f"{stem}.pdf").write_bytes(f"%PDF-1.7\n% {stem}\n%%EOF\n".encode())
    return folder


def snapshot(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of a site with its inode and modification time: what a rewrite changes."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in site.rglob("*")
        if p.is_file()
    }


@dataclass
class Built:
    root: Path
    content: Path
    site: Path
    first: object
    second: object
    before: dict
    after: dict


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """Two issues built into a site; then a third issue added and the site rebuilt."""
    root = tmp_path_factory.mktemp("site")
    content = root / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "publication.yaml", content)
    shutil.copytree(SAMPLE_ISSUE, content / "2024-08")
    add_issue(content, 9, 283, "2024-05-09")
    pdfs = fake_pdfs(root / "pdfs", ["bri-2024-08-282", "bri-2024-09-283", "bri-2024-10-284"])
    site = root / "public" / "site"
    first = build_site(content, site, pdf_dir=pdfs, build_pdfs=False)
    before = snapshot(site)
    add_unique_article(add_issue(content, 10, 284, "2024-05-23"))
    second = build_site(content, site, pdf_dir=pdfs, build_pdfs=False)
    return Built(root, content, site, first, second, before, snapshot(site))


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_issue_and_article_has_a_stable_address(built):
    site = built.site
    for key in ("2024-08", "2024-09", "2024-10"):
        assert (site / key / "index.html").is_file()
        for number in range(1, 12):
            assert (site / key / f"{number:02d}" / "index.html").is_file()
    assert (site / "2024-10" / NEW_ARTICLE / "index.html").is_file()
    for page in ("index.html", "archive/index.html", "regions/index.html", "search/index.html"):
        assert (site / page).is_file(), page
    assert (site / "regions" / "广东" / "index.html").is_file()
    assert read(site, "2024-08/bri-2024-08-282.pdf").startswith("%PDF-")
    issue = read(site, "2024-08/index.html")
    assert 'href="../2024-08/bri-2024-08-282.pdf" type="application/pdf"' in issue
    assert 'href="../2024-08/01/">沪苏浙皖第一季度经济报告出炉</a>' in issue
    assert built.second.issues == 3 and built.second.articles == 34


def test_home_and_archive_show_all_three_issues(built):
    home = read(built.site, "index.html")
    assert "最新一期：2024 年第 10 期（总第 284 期）" in home
    assert 'href="2024-10/12-quantum/">广州谋划建设量子通信骨干网络</a>' in home
    assert 'href="2024-09/">2024 年第 9 期（总第 283 期）</a>' in home
    assert 'href="2024-08/">2024 年第 8 期（总第 282 期）</a>' in home
    archive = read(built.site, "archive/index.html")
    assert '<h2 id="y2024">2024 年</h2>' in archive
    found = re.findall(r'href="\.\./(2024-\d\d)/">', archive)
    assert found == ["2024-10", "2024-09", "2024-08"]
    region = read(built.site, "regions/广东/index.html")
    assert region.count("广州出台绿色金融支持碳达峰行动实施方案") == 3
    assert 'href="../../2024-10/12-quantum/">广州谋划建设量子通信骨干网络</a>' in region
    assert 'href="../regions/%E5%B9%BF%E4%B8%9C/">广东</a>' in read(
        built.site, "regions/index.html"
    )


def test_feed_and_sitemap_parse_and_use_the_sites_address(built):
    feed = ET.parse(built.site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"{BASE}2024-10/",
        f"{BASE}2024-09/",
        f"{BASE}2024-08/",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2024-05-23T00:00:00+08:00"
    assert entries[0].findtext(f"{ATOM}title") == "双周决策观察 2024 年第 10 期（总第 284 期）"
    assert "广州谋划建设量子通信骨干网络" in entries[0].findtext(f"{ATOM}content")
    enclosure = entries[2].find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("href") == f"{BASE}2024-08/bri-2024-08-282.pdf"

    sitemap = ET.parse(built.site / "sitemap.xml").getroot()
    urls = [u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")]
    assert len(urls) == len(set(urls))
    assert all(url.startswith(BASE) and url.isascii() for url in urls)
    assert f"{BASE}2024-10/12-quantum/" in urls
    assert f"{BASE}regions/%E5%B9%BF%E4%B8%9C/" in urls
    assert len([u for u in urls if re.fullmatch(rf"{BASE}2024-\d\d/[^/]+/", u)]) == 34


def test_pages_carry_description_and_open_graph_tags(built):
    page = read(built.site, f"2024-10/{NEW_ARTICLE}/index.html")
    assert '<html lang="zh-CN">' in page
    assert '<meta property="og:title" content="广州谋划建设量子通信骨干网络">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{BASE}2024-10/{NEW_ARTICLE}/">' in page
    assert f'<link rel="canonical" href="{BASE}2024-10/{NEW_ARTICLE}/">' in page
    description = f"近日，广州提出建设{UNIQUE}，连接南沙与黄埔两大园区。"
    assert f'<meta name="description" content="{description}">' in page
    assert f'<meta property="og:description" content="{description}">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert re.fullmatch(rf"{BASE}media/[0-9a-f]{{16}}\.png", image)


def test_images_are_copied_under_content_hashed_names(built):
    picture = (built.content / "2024-10" / "images" / "corridor.png").read_bytes()
    (copied,) = (built.site / "media").iterdir()
    assert re.fullmatch(r"[0-9a-f]{16}\.png", copied.name)
    assert copied.read_bytes() == picture
    alt = f'alt="{UNIQUE}示意图"'
    assert f'src="../../media/{copied.name}" {alt}' in read(
        built.site, "2024-10/12-quantum/index.html"
    )
    assert f'src="../media/{copied.name}" {alt}' in read(built.site, "2024-10/index.html")


class Outline(HTMLParser):
    """Heading levels, images without alt text and scripts of one page."""

    def __init__(self):
        super().__init__()
        self.levels, self.bare_images, self.scripts = [], 0, 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        elif tag == "img" and not (values.get("alt") or "").strip():
            self.bare_images += 1
        elif tag == "script":
            self.scripts += 1


def test_headings_in_order_alt_text_and_no_script_but_search(built):
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        outline = Outline()
        outline.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(built.site).as_posix()
        assert outline.levels[0] == 1, name
        for before, after in zip(outline.levels, outline.levels[1:], strict=False):
            assert after <= before + 1, f"{name}: h{before} then h{after}"
        assert outline.bare_images == 0, name
        assert outline.scripts == (1 if name == "search/index.html" else 0), name


def test_no_file_names_a_local_path(built):
    local = [
        b"file://",
        str(built.root).encode(),
        str(REPO).encode(),
        str(Path.home()).encode() + b"/",
    ]
    for path in built.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [m for m in local if m in data], path.relative_to(built.site)


def test_a_new_issue_rewrites_only_what_changed(built):
    before, after = built.before, built.after
    same = {path for path in before if before[path] == after.get(path)}
    # The first two issues' articles and the first issue's page are not touched.
    old_articles = {p for p in before if re.fullmatch(r"2024-0[89]/[^/]+/index\.html", p)}
    assert old_articles and old_articles <= same
    assert "2024-08/index.html" in same and "2024-08/bri-2024-08-282.pdf" in same
    # The home page, the archive, the second issue (its "next issue" link) and the index do.
    for changed in ("index.html", "archive/index.html", "2024-09/index.html", "feed.xml"):
        assert changed not in same, changed
    allowed = re.compile(
        r"(2024-10/.*|pagefind/.*|media/.*|regions/.*|index\.html|archive/index\.html"
        r"|2024-09/index\.html|feed\.xml|sitemap\.xml)"
    )
    assert [p for p in built.second.written if not allowed.fullmatch(p)] == []
    assert set(built.second.written) | set(built.second.unchanged) == set(after)


def test_a_rebuild_of_unchanged_content_writes_nothing(built):
    result = build_site(built.content, built.site, pdf_dir=built.root / "pdfs", build_pdfs=False)
    assert result.written == [] and result.removed == []
    assert snapshot(built.site) == built.after


def test_a_failed_build_leaves_the_site_as_it_was(built, monkeypatch):
    def broken(folder):
        raise BuildError("pagefind", "search", "stopped for the test")

    monkeypatch.setattr("bulletin.operations.site.index_search", broken)
    article = built.content / "2024-10" / "articles" / "01.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("近日", "最近"), encoding="utf-8")
    try:
        with pytest.raises(BuildError, match="stopped for the test"):
            build_site(built.content, built.site, pdf_dir=built.root / "pdfs", build_pdfs=False)
    finally:
        article.write_text(text, encoding="utf-8")
    assert snapshot(built.site) == built.after
    assert sorted(p.name for p in built.site.parent.iterdir()) == ["site"]


def test_refuses_to_replace_a_folder_it_did_not_make(built, tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError, match=f"no {re.escape(MANIFEST)}"):
        build_site(built.content, mine, build_pdfs=False)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(BuildError, match="content folder"):
        build_site(built.content, built.content / "site", build_pdfs=False)


def test_command_line_with_another_address_warns_about_the_qr_code(built, tmp_path):
    target = tmp_path / "elsewhere"
    done = runner.invoke(
        app,
        [
            "site",
            str(built.content),
            "-o",
            str(target),
            "--no-pdfs",
            "--base-url",
            "https://e.cn/x",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "3 issues, 34 articles" in done.output
    assert "set e_edition_url: https://e.cn/x/{year}-{number:02d}/" in done.output
    feed = ET.parse(target / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == "https://e.cn/x/"
    assert not list(target.rglob("*.pdf"))
    assert json.loads(read(target, MANIFEST))["pdfs"] == {}


def test_office_pdf_is_built_once_then_kept(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "publication.yaml", content)
    shutil.copytree(SAMPLE_ISSUE, content / "2024-08")
    site = tmp_path / "site"
    first = build_site(content, site, jobs=1)
    assert first.pdfs.built == ["2024-08/bri-2024-08-282.pdf"]
    pdf = site / "2024-08" / "bri-2024-08-282.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(pdf)  # what an archive's ingest reads (the office PDF's, test_ingest.py)
    assert "/Filter" not in reader.trailer["/Root"]["/Metadata"] and len(reader.trailer["/ID"]) == 2
    made = pdf.stat().st_ino
    second = build_site(content, site, jobs=1)
    assert second.pdfs.kept == ["2024-08/bri-2024-08-282.pdf"] and second.pdfs.built == []
    assert pdf.stat().st_ino == made
    assert str(tmp_path).encode() not in pdf.read_bytes()


# --- in a real browser ----------------------------------------------------------------------


@contextlib.contextmanager
def serving(folder: Path, extra: dict[str, str]):
    """The site over HTTP on 127.0.0.1 (Pagefind loads its index with fetch), plus test pages
    kept out of the site; the server thread is stopped on the way out.

    A test page holds its own load event with an image from /__hold until it has written what
    it found and asked for /__release: --dump-dom then reads the page once the scripts are
    done, in real time (a virtual time budget can run out while Pagefind starts).
    """
    released = threading.Event()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *arguments, **options):
            super().__init__(*arguments, directory=str(folder), **options)

        def do_GET(self):
            if self.path in ("/__hold", "/__release"):
                if self.path == "/__release":
                    released.set()
                released.wait(timeout=HOLD_SECONDS)
                self.send_response(204)
                self.end_headers()
            elif self.path in extra:
                data = extra[self.path].encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                super().do_GET()

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


HOLD_SECONDS = 30
# What a test page's script ends with: its findings into the page, then the load let go.
REPORT = """
function report(facts) {
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(facts);
  document.body.appendChild(out);
  fetch("/__release");
}
"""


# Pages are measured in a 390 px wide frame (headless windows are at least 500 px wide); then
# the home page's first article link is clicked and the page it opens is read.
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="phone" style="width: 390px; height: 844px; border: 0"></iframe>
<img src="/__hold" alt="">
<script type="module">
REPORT
const frame = document.getElementById("phone");
const loaded = () => new Promise(done => frame.addEventListener("load", done, {once: true}));
function measure() {
  const page = frame.contentDocument, view = frame.contentWindow;
  const size = e => parseFloat(view.getComputedStyle(e).fontSize);
  const text = [...page.querySelectorAll("body *")]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  return {
    path: decodeURI(view.location.pathname),
    innerWidth: view.innerWidth,
    scrollWidth: page.documentElement.scrollWidth,
    pastRightEdge: [...page.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > view.innerWidth + 0.5).length,
    smallestText: Math.min(...text.map(size)),
    lang: page.documentElement.lang,
  };
}
const facts = {pages: []};
for (const path of PAGES) {
  const done = loaded();
  frame.src = "/" + path;
  await done;
  facts.pages.push(measure());
}
let done = loaded();
frame.src = "/";
await done;
const link = frame.contentDocument.querySelector(".latest .article-list a");
facts.clicked = link.textContent;
done = loaded();
link.click();
await done;
facts.opened = measure().path;
facts.title = frame.contentDocument.querySelector("h3.article-title").textContent;
report(facts);
</script></body></html>"""
PHONE_PAGES = [
    "",
    "2024-10/",
    f"2024-10/{NEW_ARTICLE}/",
    "2024-08/06/",
    "archive/",
    "regions/",
    "regions/%E5%B9%BF%E4%B8%9C/",
    "search/",
]


def test_phone_home_page_leads_to_an_article_without_sideways_scrolling(built, browser, tmp_path):
    probe = PROBE.replace("PAGES", json.dumps(PHONE_PAGES)).replace("REPORT", REPORT)
    with serving(built.site, {"/__probe.html": probe}) as address:
        dom = _run_browser(
            browser,
            tmp_path / "profile",
            "--window-size=800,1000",
            "--dump-dom",
            address + "__probe.html",
        )
        shot = tmp_path / "site-390px.png"
        _run_browser(
            browser,
            tmp_path / "profile2",
            f"--window-size={PHONE_WIDTH},1600",
            f"--screenshot={shot}",
            address,
        )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, dom[-500:]
    facts = json.loads(html.unescape(found.group(1)))
    assert len(facts["pages"]) == len(PHONE_PAGES)
    for page in facts["pages"]:
        assert page["innerWidth"] == PHONE_WIDTH, page
        assert page["scrollWidth"] <= PHONE_WIDTH, page
        assert page["pastRightEdge"] == 0, page
        assert page["smallestText"] >= 16, page
        assert page["lang"] == "zh-CN", page
    assert facts["clicked"] == "沪苏浙皖第一季度经济报告出炉（第 10 期）" == facts["title"]
    assert facts["opened"] == "/2024-10/01/"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTEFACTS / shot.name)  # to look at; outside git


# The search page in a phone-sized frame, with a query typed into its address; once the page
# says it has searched, the results are copied out.
SEARCH = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="phone" src="QUERY" style="width: 390px; height: 844px; border: 0"></iframe>
<img src="/__hold" alt="">
<script>
REPORT
const frame = document.getElementById("phone");
const waiting = setInterval(() => {
  const page = frame.contentDocument;
  const state = page && page.documentElement.dataset.searched;
  if (!state) return;
  clearInterval(waiting);
  report({
    state: state,
    status: page.getElementById("search-status").textContent,
    results: [...page.querySelectorAll("#search-results li")].map(item => ({
      href: item.querySelector("a").href,
      title: item.querySelector("a").textContent,
      meta: item.querySelector(".meta").textContent,
      marked: [...item.querySelectorAll("mark")].map(m => m.textContent).join(""),
    })),
    scrollWidth: page.documentElement.scrollWidth,
  });
}, 50);
</script></body></html>"""


def probe_report(site: Path, probe: str, browser: str, profile: Path) -> tuple[str, dict]:
    """Serve `site` with the page `probe` beside it, open that in Chromium, and return the
    address and what the probe reported (JSON in its <pre id="probe">)."""
    with serving(site, {"/__probe.html": probe}) as address:
        dom = _run_browser(
            browser, profile, "--window-size=800,1000", "--dump-dom", address + "__probe.html"
        )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, dom[-800:]
    return address, json.loads(html.unescape(found.group(1)))


def test_search_finds_the_one_article_with_its_issue_region_and_date(built, browser, tmp_path):
    query = "/search/?q=" + urllib.parse.quote(UNIQUE)
    probe = SEARCH.replace("QUERY", query).replace("REPORT", REPORT)
    address, facts = probe_report(built.site, probe, browser, tmp_path / "profile")
    assert facts["state"] == "true", facts
    assert facts["status"] == "找到 1 篇文章。"
    (result,) = facts["results"]
    assert result["href"] == f"{address}2024-10/{NEW_ARTICLE}/"
    assert result["title"] == "广州谋划建设量子通信骨干网络"
    assert result["meta"] == "2024 年第 10 期（总第 284 期） · 广东 · 2024 年 5 月 20 日"
    assert UNIQUE in result["marked"]
    assert facts["scrollWidth"] <= PHONE_WIDTH


def test_a_missing_pdf_folder_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from bulletin.cli import app

    result = CliRunner().invoke(
        app, ["site", str(REPO / "content"), "-o", str(tmp_path / "s"), "--pdf-dir", "nowhere"]
    )
    assert result.exit_code == 1
    assert result.stderr == "nowhere: pdf-dir: no such folder; expected the folder of the PDFs\n"
