"""Pictures' resolution at their printed size: a warning for each under what the press needs."""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from bulletin.content.resources import as_written, image_references, resolve
from bulletin.errors import Problem
from bulletin.i18n import _

# What a print shop's preflight asks of every picture at its placed size, and below what
# `--strict` refuses one (a picture at 150–299 ppi looks soft; below 150 it looks blurred).
PRESS_PPI = 300
REFUSED_PPI = 150
# The default layout's figure rule (layouts/default/style.css, `.article-body figure img`):
# a picture is set at its natural size, one pixel per CSS pixel (96 to the inch), made
# smaller to fit the column (A4 less the 18 and 25 mm margins) and 120 mm of height.
CSS_PX_PER_INCH = 96
COLUMN_MM = 167.0
MAX_HEIGHT_MM = 120.0
MM_PER_INCH = 25.4
# EXIF orientations that turn the picture a quarter: the engine sets it upright.
QUARTER_TURNS = frozenset((5, 6, 7, 8))


@dataclass(frozen=True)
class Resolution:
    """One picture: its pixels, its printed size in millimetres, and its ppi there."""

    width: int
    height: int
    printed_mm: tuple[float, float]
    ppi: float

    @property
    def needed(self) -> tuple[int, int]:
        """The pixels a picture of this shape needs for 300 ppi: it prints as large as the
        layout allows it (a larger picture is no longer set at its natural size)."""
        width_mm, height_mm = fitted_mm(self.width * 1000, self.height * 1000)
        return (
            math.ceil(width_mm / MM_PER_INCH * PRESS_PPI),
            math.ceil(height_mm / MM_PER_INCH * PRESS_PPI),
        )


def fitted_mm(width: int, height: int) -> tuple[float, float]:
    """The printed size of a picture of `width` × `height` pixels under the figure rule."""
    natural_w = width / CSS_PX_PER_INCH * MM_PER_INCH
    natural_h = height / CSS_PX_PER_INCH * MM_PER_INCH
    scale = min(1.0, COLUMN_MM / natural_w, MAX_HEIGHT_MM / natural_h)
    return natural_w * scale, natural_h * scale


def resolution_of(width: int, height: int) -> Resolution:
    printed = fitted_mm(width, height)
    ppi = min(width / (printed[0] / MM_PER_INCH), height / (printed[1] / MM_PER_INCH))
    return Resolution(width, height, printed, ppi)


def pixel_size(handle) -> tuple[int, int] | None:
    """A raster picture's upright size in pixels, read from its header; None for a drawing
    (SVG) or anything Pillow cannot open (the image check names those)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(handle) as image:
            width, height = image.size
            turned = image.getexif().get(0x0112) in QUARTER_TURNS
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return (height, width) if turned else (width, height)


def _size_of(url: str, issue_dir: Path) -> tuple[int, int] | None:
    if url.lower().startswith("data:"):
        header, _comma, payload = url.partition(",")
        if ";base64" not in header:
            return None  # text: an SVG drawing
        try:
            return pixel_size(io.BytesIO(base64.b64decode(unquote(payload))))
        except ValueError:
            return None
    path, refused = resolve(url, issue_dir)
    if refused or path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return pixel_size(handle)
    except OSError:
        return None


def message(resolution: Resolution) -> str:
    """What the editor reads: the picture, its printed size and ppi, and what to do."""
    needed_w, needed_h = resolution.needed
    width_mm, height_mm = resolution.printed_mm
    return _(
        "{width} × {height} pixels at {printed_w} × {printed_h} mm print at {ppi} ppi; the "
        "press needs {needed}: replace it with a picture of at least {needed_w} × {needed_h} "
        "pixels"
    ).format(
        width=resolution.width,
        height=resolution.height,
        printed_w=f"{width_mm:.0f}",
        printed_h=f"{height_mm:.0f}",
        ppi=f"{math.floor(resolution.ppi)}",
        needed=PRESS_PPI,
        needed_w=needed_w,
        needed_h=needed_h,
    )


@dataclass(frozen=True)
class LowResolution:
    """A picture under 300 ppi where it prints: the warning, and whether --strict refuses it."""

    problem: Problem
    refused: bool


def resolution_problems(
    article_path: str, tokens, body_line: int, issue_dir: Path
) -> list[LowResolution]:
    """One line for each picture of an article that prints under 300 ppi."""
    found = []
    for reference in image_references(tokens, body_line):
        size = _size_of(reference.url, issue_dir)
        if size is None or min(size) <= 0:
            continue
        resolution = resolution_of(*size)
        if resolution.ppi >= PRESS_PPI:
            continue
        shown = as_written(reference.url)
        shown = shown if len(shown) < 80 else shown[:77] + "…"
        problem = Problem(article_path, reference.line, "image", f"{shown}: {message(resolution)}")
        found.append(LowResolution(problem, resolution.ppi < REFUSED_PPI))
    return found


def articles_resolution(paths: list[Path], issue_dir: Path) -> list[Problem]:
    """The same lines for some article files (those a Word draft just became), as `check`
    will say them; a file that does not load says nothing here (`check` names it)."""
    from bulletin.content.loader import display_path, load_article
    from bulletin.text.markdown import markdown_parser

    found: list[Problem] = []
    for path in paths:
        sources: list = []
        article = load_article(path, [], sources)
        if article is None or "![" not in article.body:
            continue
        tokens = markdown_parser().parse(article.body)
        body_line = sources[0].lines[("body",)]
        lows = resolution_problems(display_path(path), tokens, body_line, issue_dir)
        found += [low.problem for low in lows]
    return found
