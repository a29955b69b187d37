"""The site's records as the plain values its templates receive: mappings, lists and text."""

from __future__ import annotations

from dataclasses import asdict

from markupsafe import Markup

from bulletin.render.html import content_data
from bulletin.render.sandbox import TemplateFunction, given_containers, not_given
from bulletin.site.media import Media
from bulletin.site.records import Site, SiteArticle, SiteIssue, SiteRegion, group_by_year


class SiteData:
    """Every issue, article and region of a site once, as mappings that point at each other
    (an article at its issue and region, an issue at its neighbours); `site` holds them all.

    Each mapping names itself first (`key`, `slug`, `name`), so comparing two is quick.
    Nothing in them is a path, a record or an object with methods: `site.url(path)` and
    `body(article)` are functions the templates are given.
    """

    def __init__(self, site: Site, media: Media):
        self.media = media
        self.records: dict[int, SiteArticle] = {}  # an article's data → its record
        self.regions = {id(r): self._region(r) for r in site.regions}
        self.issues = {id(i): self._issue(i) for i in site.issues}
        self.articles: dict[int, dict] = {}
        for record in site.issues:
            self._fill_issue(record)
        for record in site.regions:
            region = self.regions[id(record)]
            region["articles"] = [self.article(a) for a in record.articles]
            region["years"] = group_by_year(
                region["articles"], lambda article: article["issue"]["issue"]["year"]
            )
        issues = [self.issue(i) for i in site.issues]
        base_url = site.base_url
        self.site = {
            "base_url": base_url,
            "publication": site.publication.model_dump(mode="python"),
            "issues": issues,
            "newest_first": issues[::-1],
            "latest": issues[-1],
            "regions": [self.region(r) for r in site.regions],
            "articles": [self.article(a) for a in site.articles],
            "years": group_by_year(issues[::-1], lambda issue: issue["issue"]["year"]),
            "updated": site.updated,
            "url": TemplateFunction("url", lambda path: base_url + path),
        }
        self.given = given_containers({"site": self.site})

    def issue(self, record: SiteIssue) -> dict:
        return self.issues[id(record)]

    def region(self, record: SiteRegion) -> dict:
        return self.regions[id(record)]

    def article(self, record: SiteArticle) -> dict:
        return self.articles[id(record)]

    def body(self, root: str) -> TemplateFunction:
        """`body(article)`: the article's HTML for a page `root` away from the top."""

        def body(article: object) -> Markup:
            record = self.records.get(id(article))
            if record is None:
                raise not_given("body")
            return self.media.body(record, root)

        return TemplateFunction("body", body)

    @staticmethod
    def _region(record: SiteRegion) -> dict:
        return {
            "name": record.name,
            "slug": record.slug,
            "path": record.path,
            "folder": record.folder,
            "articles": [],
            "years": [],
        }

    @staticmethod
    def _issue(record: SiteIssue) -> dict:
        pdf = record.pdf
        return {
            "key": record.key,
            "path": record.path,
            "date": record.date,
            "date_label": record.date_label,
            "updated": record.updated,
            "description": record.description,
            "labels": dict(record.labels),
            "pdf": None if pdf is None else {**asdict(pdf), "size_label": pdf.size_label},
        }

    def _fill_issue(self, record: SiteIssue) -> None:
        issue = self.issue(record)
        content, by_record = content_data(record.content)
        issue["content"] = content
        issue["issue"] = content["issue"]
        for article in record.articles:
            data = {
                "slug": article.slug,
                "path": article.path,
                "folder": article.folder,
                "title": article.title,
                "date": article.date,
                "date_label": article.date_label,
                "description": article.description,
                "summary": article.summary,
                "record": by_record[id(article.record)],
                "issue": issue,
                "region": self.region(article.region),
            }
            self.articles[id(article)] = data
            self.records[id(data)] = article
        issue["articles"] = [self.article(a) for a in record.articles]
        issue["sections"] = [
            (self.region(region), [self.article(a) for a in articles])
            for region, articles in record.sections
        ]
        issue["previous"] = None if record.previous is None else self.issue(record.previous)
        issue["next"] = None if record.next is None else self.issue(record.next)
