"""Region names: the known list, the order of an issue's sections, and suggestions for typos."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from bulletin.content.characters import code_points
from bulletin.i18n import _

# The 34 provincial-level divisions by their short names, in the order of GB/T 2260 codes.
PROVINCIAL_DIVISIONS = (
    "北京", "天津", "河北", "山西", "内蒙古",
    "辽宁", "吉林", "黑龙江",
    "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东",
    "河南", "湖北", "湖南", "广东", "广西", "海南",
    "重庆", "四川", "贵州", "云南", "西藏",
    "陕西", "甘肃", "青海", "宁夏", "新疆",
    "台湾", "香港", "澳门",
)  # fmt: skip
# News that spans several provinces (长三角, 京津冀, …) goes under 区域.
KNOWN_REGIONS = ("区域", *PROVINCIAL_DIVISIONS)

# Full official names and their suffixes, which editors often type: 广西壮族自治区 → 广西.
_SUFFIXES = re.compile(r"(?:特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")
_SPACES = re.compile(r"[\s\u3000]+")
_BRACKETS = "【】[]〔〕()（）"
_VARIANTS = {"臺灣": "台湾", "台灣": "台湾", "臺湾": "台湾", "廣東": "广东", "廣西": "广西"}
# A region marker and a title run together, as the back issues print them: 【江苏】标题.
_MARKED_TITLE = re.compile(
    r"^\s*[【\[〔(（]\s*(?P<region>[^】\]〕)）]+?)\s*[】\]〕)）]\s*(?P<title>\S.*)$"
)


def normalised(name: str) -> str:
    """A region name without spaces, brackets or administrative suffix: 【上 海市】 → 上海."""
    # NFKC first: a compatibility ideograph (U+FA45) looks like 海 (U+6D77) and is not it.
    bare = _SPACES.sub("", unicodedata.normalize("NFKC", name)).strip(_BRACKETS)
    bare = _VARIANTS.get(bare, bare)
    return _SUFFIXES.sub("", bare) if len(bare) > 2 else bare


def known_form(name: str) -> str | None:
    """The known region a name stands for when typed differently (上 海, 上海市), else None."""
    bare = normalised(name)
    return bare if bare in KNOWN_REGIONS and bare != name else None


def allowed_regions(*lists: Iterable[str] | None) -> list[str]:
    """The known regions, then every name the publication or the issue adds, each once."""
    names = list(KNOWN_REGIONS)
    for names_added in lists:
        names += [name for name in names_added or () if name not in names]
    return names


def suggestion(name: str, allowed: Sequence[str]) -> str | None:
    """The allowed region a mistyped name most likely means."""
    bare = normalised(name)
    if bare in allowed:
        return bare
    close = difflib.get_close_matches(bare, allowed, n=1, cutoff=0.5)
    return close[0] if close else None


def looks_the_same(name: str, form: str) -> bool:
    """Whether two different strings print alike (上 + U+FA45 and 上海)."""
    return name != form and unicodedata.normalize("NFKC", name) == form


def unlike(name: str, form: str) -> str:
    """上海 (U+4E0A U+FA45) is not 上海 (U+4E0A U+6D77): look-alikes told apart."""
    return _("{name} ({points}) is not {form} ({form_points}); type {form} again").format(
        name=name, points=code_points(name), form=form, form_points=code_points(form)
    )


def region_and_title(name: str, allowed: Sequence[str]) -> tuple[str, str] | None:
    """(region, title) when a region field holds a marker and a title: 【江苏】标题."""
    match = _MARKED_TITLE.match(name)
    if match is None:
        return None
    region = match["region"] if match["region"] in allowed else known_form(match["region"])
    return (region, match["title"].strip()) if region else None


def marked_title_message(region: str, title: str) -> str:
    return _(
        "the region and the title are written together; write region: {region} and "
        "title: {title} on lines of their own"
    ).format(region=region, title=title)


def unknown_region_message(name: str, allowed: Sequence[str]) -> str:
    if together := region_and_title(name, allowed):
        return marked_title_message(*together)
    if guess := suggestion(name, allowed):
        if looks_the_same(name, guess):
            return _("unknown region: {unlike}").format(unlike=unlike(name, guess))
        return _("unknown region {name}; did you mean {guess}?").format(
            name=repr(name), guess=guess
        )
    return _(
        "unknown region {name}; expected a provincial-level division (北京, 上海, …, 澳门), "
        "区域, or a region listed under regions: in publication.yaml or issue.yaml"
    ).format(name=repr(name))


def listed_region_problem(name: str) -> str | None:
    """Why a name listed under regions: is wrong: a known region typed another way."""
    if form := known_form(name):
        if looks_the_same(name, form):
            return _("region {unlike}").format(unlike=unlike(name, form))
        return _(
            "region {name} is written differently from the known region {form}; write {form}"
        ).format(name=repr(name), form=form)
    return None


def section_order(listed: Sequence[str], used: Iterable[str]) -> list[str]:
    """Regions in the listed order, then those the articles use that the list lacks, in the
    order the articles first use them."""
    order = list(dict.fromkeys(listed))
    order += [name for name in dict.fromkeys(used) if name not in order]
    return order
