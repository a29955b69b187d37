"""Article images in the site: checked by the one file-origin policy, named by their content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from bulletin.content.loader import display_path
from bulletin.content.pictures import NOT_AN_IMAGE, published_kind
from bulletin.content.resources import check_image, image_problems, image_references, resolve
from bulletin.errors import BuildError, ContentError, Problem
from bulletin.i18n import _
from bulletin.render.markdown import article_body_html
from bulletin.site.records import Site, SiteArticle

MEDIA_FOLDER = "media"
# A local address left in a page would break once the site is uploaded, and show the
# editor's folders to every reader: a page holding one is never written.
LOCAL_ADDRESS = "file://"
# Images are named by what they are (content/pictures.py), not by what their file is called.


@dataclass
class Media:
    """The site's images: site path → file in an issue folder, and each article's images."""

    files: dict[str, Path] = field(default_factory=dict)
    # Per article: each image file (by its file URI) → its path in the site.
    addresses: dict[int, dict[str, str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _bodies: dict[tuple[int, str], str] = field(default_factory=dict, repr=False)

    def first_image(self, article: SiteArticle) -> str | None:
        return next(iter(self.addresses.get(id(article), {}).values()), None)

    def body(self, article: SiteArticle, root: str) -> Markup:
        """The article's HTML for a page `root` away from the site's top (e.g. "../../")."""
        key = (id(article), root)
        if key not in self._bodies:
            published = self.addresses.get(id(article), {})

            def image_src(path: Path) -> str:
                # Every image of the article was gathered; one that was not stays local,
                # and the check below refuses the page.
                site_path = published.get(path.as_uri())
                return root + site_path if site_path else path.as_uri()

            self._bodies[key] = article_body_html(
                article.record, article.issue.issue_dir, image_src=image_src
            )
        html = self._bodies[key]
        if LOCAL_ADDRESS in html:
            message = _("an image kept its local address; expected every image in the site")
            raise BuildError(display_path(article.file), "image", message)
        return Markup(html)


def images_with_text(tokens: list) -> list[str]:
    """The description (alt text) of every image of an article, in order."""
    found = []
    for block in tokens:
        for child in block.children or []:
            if child.type == "image":
                found.append("".join(c.content for c in child.children or []).strip())
    return found


def gather_media(site: Site) -> Media:
    """Check every article's images and name each by its content; all problems at once."""
    media = Media()
    problems: list[Problem] = []
    for article in site.articles:
        issue_dir = article.issue.issue_dir
        where = display_path(article.file)
        refused = image_problems(where, article.tokens, article.body_line, issue_dir)
        if refused:
            problems += refused
            continue
        references = image_references(article.tokens, article.body_line)
        descriptions = images_with_text(article.tokens)
        addresses = media.addresses.setdefault(id(article), {})
        for reference, description in zip(references, descriptions, strict=True):
            if not description:
                message = _(
                    "{image}: no description; readers who cannot see it hear the text in "
                    "![…](…), e.g. ![2024 年一季度增速对比图](images/chart.png)"
                ).format(image=reference.url)
                media.warnings.append(Problem(where, reference.line, "image", message))
            path, _refused = resolve(reference.url, issue_dir)
            if path is None:
                continue  # inline data: the page carries the image itself
            data = path.read_bytes()
            kind = published_kind(data)
            if kind is None:  # changed since it was checked: checked again, it is refused
                reason = check_image(reference.url, issue_dir) or _(NOT_AN_IMAGE)
                problems.append(
                    Problem(where, reference.line, "image", f"{reference.url}: {reason}")
                )
                continue
            suffix = kind[1]
            digest = hashlib.sha256(data).hexdigest()[:16]
            site_path = f"{MEDIA_FOLDER}/{digest}{suffix}"
            media.files[site_path] = path
            addresses[path.as_uri()] = site_path
    if problems:
        raise ContentError(problems)
    return media
