"""The site's safety: drawings that could run code are refused, the feed and sitemap are always
valid XML, the site's address is a clean URL, and a link to the site's folder stays a link."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BuildError, ContentError
from bulletin.operations.site import build_site
from bulletin.site.addresses import clean_address
from tests.conftest import IssueFactory

runner = CliRunner()
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
# A chart as drawing programs save one: a gradient, a clip path, a reused marker, a style.
CLEAN_SVG = (
    SVG + 'width="400" height="200"><defs><linearGradient id="g"/><clipPath id="c"><rect '
    'width="400" height="200"/></clipPath><circle id="m" r="3"/></defs><style>.bar{fill:'
    'url(#g);font-family:"\\5FAE\\8F6F\\96C5\\9ED1"}</style><rect class="bar" clip-path='
    '"url(#c)" width="300" height="100"/><use xlink:href="#m" x="10" y="10"/></svg>'
)
ACTIVE_SVGS = {
    "script": (SVG + "><script>alert(document.domain)</script></svg>", "<script>"),
    "onload": (
        SVG + 'onload="alert(document.domain)"><rect width="4" height="4"/></svg>',
        "onload",
    ),
    "external href": (SVG + '><use xlink:href="https://example.com/x.svg#a"/></svg>', "href"),
    "foreignObject": (
        SVG + '><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
        "<foreignObject>",
    ),
    "javascript link": (
        SVG + '><a href=" java&#9;script:alert(1)"><text>x</text></a></svg>',
        "href",
    ),
    "css url": (SVG + "><style>rect{fill:u\\72l(https://example.com/t)}</style></svg>", "url()"),
    "xml-stylesheet": (
        '<?xml version="1.0"?><?xml-stylesheet href="https://example.com/x.css"?>' + SVG + "/>",
        "<?xml-stylesheet?>",
    ),
}
ACTIVE = (
    "an SVG drawing that could run code or fetch another file ({what}); a picture may hold "
    "only its drawing: save it as a PNG, or remove that from the drawing"
)


@pytest.fixture
def factory(tmp_path, monkeypatch) -> IssueFactory:
    """A small issue in tmp_path/content (its publication.yaml beside it); the site goes in
    tmp_path/site."""
    monkeypatch.chdir(tmp_path)
    return IssueFactory(tmp_path / "content")


def site_of(factory: IssueFactory, target: Path | None = None, **options):
    target = target or factory.root.parent / "site"
    return build_site(factory.root, target, build_pdfs=False, **options)


def with_picture(factory: IssueFactory, name: str, data: bytes | str) -> None:
    factory.write(f"images/{name}", data.encode() if isinstance(data, str) else data)
    factory.article("02", body=f"图如下。\n\n![示意图](images/{name})\n")


@pytest.mark.parametrize("case", ACTIVE_SVGS)
def test_a_drawing_that_could_run_code_is_refused_by_check_and_the_site(factory, case):
    drawing, what = ACTIVE_SVGS[case]
    with_picture(factory, "chart.svg", drawing)
    line = f"content/2024-08/articles/02.md:9: image: images/chart.svg: {ACTIVE.format(what=what)}"
    checked = runner.invoke(app, ["check", "--strict", "content/2024-08"])
    assert checked.exit_code == 1
    assert line in checked.stderr.splitlines(), checked.stderr
    with pytest.raises(ContentError) as refused:
        site_of(factory)
    assert line in refused.value.lines()
    assert not (factory.root.parent / "site").exists()


def test_a_plain_drawing_and_a_webp_are_published_under_their_kind(factory):
    with_picture(factory, "chart.svg", CLEAN_SVG)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "WEBP")
    factory.write("images/photo.webp", buffer.getvalue())
    factory.article("03", body="照片。\n\n![照片](images/photo.webp)\n")
    site_of(factory)
    media = sorted(p.suffix for p in (factory.root.parent / "site" / "media").iterdir())
    assert media == [".svg", ".webp"]


def test_an_undated_article_builds(factory):
    factory.article("02", date="")
    site_of(factory)
    page = (factory.root.parent / "site" / "2024-08" / "02" / "index.html").read_text("utf-8")
    assert '<p class="source">（上海证券报）</p>' in page
    assert "<time" not in page.split('class="byline"')[1].split("</p>")[0]
    region = (factory.root.parent / "site" / "regions" / "上海" / "index.html").read_text("utf-8")
    assert "标题02" in region


def test_a_title_xml_cannot_carry_is_named_by_check_and_stops_the_site(factory):
    factory.article("02", title='"标题\\uFFFF"')
    line = (
        "content/2024-08/articles/02.md:3: title: a code point that is not a character "
        "(U+FFFF), which XML (the site's feed and sitemap, the PDF's metadata) cannot carry; "
        "remove it"
    )
    checked = runner.invoke(app, ["check", "content/2024-08"])
    assert checked.exit_code == 1 and line in checked.stderr.splitlines(), checked.stderr
    with pytest.raises(ContentError) as refused:
        site_of(factory)
    assert line in refused.value.lines()
    assert not (factory.root.parent / "site").exists()


def test_the_feed_parses_with_every_character_xml_can_carry(factory):
    factory.article("02", title='"标题 <&>\\"\' ]]> \\uFFFD \\U0001F600"')
    site_of(factory)
    site = factory.root.parent / "site"
    feed = ET.parse(site / "feed.xml").getroot()
    content = feed.find(f"{ATOM}entry").findtext(f"{ATOM}content")
    assert "标题 &lt;&amp;&gt;&#34;&#39; ]]&gt; \ufffd \U0001f600" in content
    ET.parse(site / "sitemap.xml")


def test_the_writers_refuse_what_xml_cannot_carry_whatever_reaches_them(factory, monkeypatch):
    from bulletin.site import records

    real = records.SiteArticle.title
    monkeypatch.setattr(records.SiteArticle, "title", property(lambda a: real.fget(a) + "\uffff"))
    with pytest.raises(BuildError) as refused:
        site_of(factory)
    assert "U+FFFF, which XML cannot carry, would be written" in str(refused.value)
    assert not (factory.root.parent / "site").exists()


BAD_ADDRESSES = {
    "https://example.org/bri/\n": "U+000A in the address",
    "https://example.org/b ri/": "U+0020 SPACE in the address",
    "https://example.org/\u202ebri/": "U+202E RIGHT-TO-LEFT OVERRIDE in the address",
    "https://example.org/bri/#top": "a #fragment in the address",
    "https://example.org/bri/?x=1": "a ?query in the address",
    "ftp://example.org/bri/": "expected an http:// or https:// address",
    "https:///bri/": "no host name in the address",
    "https://editor:secret@example.org/": "a user name or password (before @) in the address",
    "https://example.org:99999/": "not an address (a port or [host] that is not one)",
    'https://example.org/"onmouseover=x/': "'\"' in the address, which an address cannot carry",
    "https://exa_mple.org/": "'exa_mple.org' is not a host name",
}


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_a_base_url_that_is_not_a_clean_http_address_is_refused(factory, address):
    done = runner.invoke(app, ["site", "content", "-o", "site", "--no-pdfs", "--base-url", address])
    assert done.exit_code == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"--base-url: base_url: {BAD_ADDRESSES[address]}"), line
    assert not Path("site").exists()


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("https://example.org/bri", "https://example.org/bri/"),
        ("HTTPS://Example.ORG", "https://example.org/"),
        ("http://127.0.0.1:8000/x/", "http://127.0.0.1:8000/x/"),
        ("https://例子.中国/简报/", "https://xn--fsqu00a.xn--fiqs8s/%E7%AE%80%E6%8A%A5/"),
    ],
)
def test_a_clean_base_url_is_written_as_an_absolute_ascii_address(given, written):
    assert clean_address(given) == (written, "")


def test_a_linked_site_folder_is_written_in_place_and_stays_a_link(factory, tmp_path):
    real = tmp_path / "www" / "bri"
    real.parent.mkdir()
    link = tmp_path / "public"
    link.symlink_to(real, target_is_directory=True)  # dangling until the first build
    for _ in range(2):
        factory.article("02", body=f"第 {_} 次。\n")
        site_of(factory, link)
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert (real / "index.html").is_file() and (real / "feed.xml").is_file()
    assert "第 1 次" in (real / "2024-08" / "02" / "index.html").read_text("utf-8")
    hidden = [p.name for folder in (tmp_path, real.parent) for p in folder.iterdir()]
    assert [name for name in hidden if name.startswith(".")] == []


def test_a_link_to_a_folder_it_did_not_make_is_refused_and_left_alone(factory, tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    link = tmp_path / "public"
    link.symlink_to(mine)
    with pytest.raises(BuildError, match="did not make"):
        site_of(factory, link)
    assert link.is_symlink() and (mine / "notes.txt").read_text("utf-8") == "keep me"


def test_the_site_address_comes_from_an_e_edition_url_holding_the_slug(factory):
    """`bulletin init` writes e_edition_url with {slug}: the site fills it in, as the QR code
    does, before the address is checked (it was refused for its '{')."""
    publication = factory.root / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    text = text.replace(
        "e_edition_url: https://example.org/bri/{year}-{number:02d}/",
        "slug: bri\ne_edition_url: https://example.org/{slug}/{year}-{number:02d}/",
    )
    publication.write_text(text, encoding="utf-8")
    done = site_of(factory)
    feed = ET.parse(done.target / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text.startswith("https://example.org/bri/")
