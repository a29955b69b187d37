"""Every page and file of the site, rendered from the layout's site/ templates: path → bytes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from bulletin.data import layouts_dir
from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.render.layouts import environment, find_layout, layout_file
from bulletin.render.sandbox import render_template
from bulletin.site.media import Media
from bulletin.site.records import Site, SiteArticle
from bulletin.site.template_data import SiteData
from bulletin.version import __version__

SITE_TEMPLATES = "site"
SITE_ENTRY = f"{SITE_TEMPLATES}/base.html.j2"
BUNDLED_LAYOUT = "default"
FEED_ISSUES = 20
PAGE_FILE = "index.html"
# Every character XML 1.0 can carry; anything else makes a feed no reader can parse.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Assets:
    """The stylesheet and the search script, named by their content so browsers never keep
    an old one."""

    css: str
    js: str


@dataclass(frozen=True)
class Page:
    """What the head of a page says about it (title, description, address, kind, image)."""

    title: str
    share_title: str
    description: str
    path: str
    type: str = "website"
    image: str | None = None


def site_layout(layout: str, content_dir: Path) -> Path:
    """The layout holding the site's templates: the publication's, when it has a site/
    folder (layouts copied before the site existed do not), else the bundled one."""
    folder = find_layout(layout, content_dir)
    if (folder / SITE_ENTRY).is_file():
        return folder
    return (layouts_dir() / BUNDLED_LAYOUT).resolve()


def hashed(stem: str, suffix: str, data: bytes) -> str:
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"


class SiteRenderer:
    """Renders the pages of one site with one layout; every file is a path and its bytes."""

    def __init__(self, site: Site, media: Media, layout_dir: Path):
        self.site = site
        self.media = media
        self.env = environment(layout_dir)
        self.data = SiteData(site, media)
        self.files: dict[str, bytes] = {}
        css = layout_file(layout_dir, f"{SITE_TEMPLATES}/site.css").read_bytes()
        js = self.render("search.js.j2", {}).encode("utf-8")
        self.assets = Assets(hashed("assets/site", ".css", css), hashed("assets/search", ".js", js))
        self.files[self.assets.css] = css
        self.files[self.assets.js] = js

    def render(self, name: str, values: dict) -> str:
        # Plain values (site/template_data.py), within the template's budget.
        text = render_template(self.env, f"{SITE_TEMPLATES}/{name}", values, given=self.data.given)
        # The content's characters are checked where they are read; this is the writer's
        # own promise: no page, feed or sitemap holds what XML cannot carry.
        if found := NOT_XML.search(text):
            message = _("{code}, which XML cannot carry, would be written; remove it").format(
                code=f"U+{ord(found.group()):04X}"
            )
            raise BuildError(f"{SITE_TEMPLATES}/{name}", "site", message)
        return text

    def page(self, folder: str, template: str, page: Page, **values) -> None:
        root = "../" * (folder.count("/") + 1) if folder else ""
        html = self.render(
            template,
            {
                "site": self.data.site,
                "assets": asdict(self.assets),
                "generator": f"bulletin {__version__}",
                "root": root,
                "page": asdict(page),
                "body": self.data.body(root),
                **values,
            },
        )
        self.files[f"{folder}/{PAGE_FILE}" if folder else PAGE_FILE] = html.encode("utf-8")

    def all_files(self) -> dict[str, bytes]:
        site, name = self.site, self.site.publication.name
        home = f"{name} · {site.publication.subtitle}"
        self.page("", "home.html.j2", Page(home, home, site.latest.description, ""))
        archive = f"往期目录 · {name}"
        summary = f"{name}共 {len(site.issues)} 期、{len(site.articles)} 篇文章，按年份排列。"
        self.page("archive", "archive.html.j2", Page(archive, archive, summary, "archive/"))
        regions = f"按地区浏览 · {name}"
        summary = f"{name}各地区的文章：" + "、".join(r.name for r in site.regions)
        self.page("regions", "regions.html.j2", Page(regions, regions, summary, "regions/"))
        for region in site.regions:
            title = f"【{region.name}】 · {name}"
            summary = f"{name}中{region.name}的 {len(region.articles)} 篇文章，新近的在前。"
            page = Page(title, title, summary, region.path)
            self.page(region.folder, "region.html.j2", page, region=self.data.region(region))
        search = f"全文搜索 · {name}"
        summary = f"搜索{name}的全部文章。"
        self.page("search", "search.html.j2", Page(search, search, summary, "search/"))
        for issue in site.issues:
            title = issue.labels["title"]
            page = Page(title, title, issue.description, issue.path)
            self.page(issue.key, "issue.html.j2", page, issue=self.data.issue(issue))
            for index, article in enumerate(issue.articles):
                self.article_page(article, issue.articles, index)
        values = {"site": self.data.site, "generator": f"bulletin {__version__}"}
        issues = [self.data.issue(issue) for issue in site.newest_first[:FEED_ISSUES]]
        self.files["feed.xml"] = self.render("feed.xml.j2", {**values, "issues": issues}).encode()
        self.files["sitemap.xml"] = self.render("sitemap.xml.j2", values).encode()
        return self.files

    def article_page(self, article: SiteArticle, siblings: list[SiteArticle], index: int) -> None:
        name = self.site.publication.name
        page = Page(
            f"{article.title} · {name}",
            article.title,
            article.description,
            article.path,
            type="article",
            image=self.media.first_image(article),
        )
        previous = siblings[index - 1] if index > 0 else None
        following = siblings[index + 1] if index + 1 < len(siblings) else None
        values = {
            "article": self.data.article(article),
            "previous": None if previous is None else self.data.article(previous),
            "next": None if following is None else self.data.article(following),
        }
        self.page(article.folder, "article.html.j2", page, **values)
