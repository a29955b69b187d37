"""Whether image bytes are a sound picture: its kind, its pixels counted before decoding, whole."""

from __future__ import annotations

import re
import warnings
from typing import BinaryIO

from bulletin.content.drawings import DAMAGED, MAX_SVG_BYTES, svg_problem
from bulletin.i18n import N_, _, n_

# Budgets. 50 megapixels is an A4 page at 600 dpi with room to spare; decoding one takes
# about 200 MB. The file itself may not be larger than this either.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_BYTES = 50 * 1024 * 1024

# Messages (translated where returned: _(NOT_AN_IMAGE)).
NOT_AN_IMAGE = N_("not a PNG, JPEG, GIF, WebP or SVG image (corrupt, or another kind of file)")
WEB_PAGE = N_("a web page (HTML), not a picture; save the picture itself as PNG or JPEG")
_SVG_ROOT = re.compile(
    rb"^(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*<svg[\s>]", re.DOTALL | re.IGNORECASE
)
_HTML = re.compile(rb"<html|<!doctype html|<body|<head", re.IGNORECASE)


def kind_of(head: bytes) -> str | None:
    """png, jpeg, gif, webp, svg or html from a file's first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _SVG_ROOT.match(text):
        return "svg"
    if text.startswith(b"<") and _HTML.search(text):
        return "html"
    return None


def picture_problem(handle: BinaryIO) -> str | None:
    """Why these bytes cannot be printed as a picture, or None when they can.

    Raster pictures are measured from their header before anything is decoded; Pillow's
    warnings (a decompression bomb among them) are errors; PNG and JPEG are read to their
    end, so a truncated file is found here rather than printed half grey.
    """
    head = handle.read(4096)
    handle.seek(0)
    kind = kind_of(head)
    if kind is None:
        return _(NOT_AN_IMAGE)
    if kind == "html":
        return _(WEB_PAGE)
    if kind == "svg":
        return svg_problem(handle.read(MAX_SVG_BYTES + 1))
    return _raster_problem(handle, kind)


# The type each kind is served as, in the e-edition's data: addresses and the site.
MEDIA_TYPES = {
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
    "gif": ("image/gif", ".gif"),
    "webp": ("image/webp", ".webp"),
    "svg": ("image/svg+xml", ".svg"),
}


def published_kind(data: bytes) -> tuple[str, str] | None:
    """The media type and file suffix of picture bytes that may be published, or None.

    A drawing is checked again here, on the very bytes published, so that a file changed
    after `check` cannot bring a script along.
    """
    kind = kind_of(data[:4096])
    if kind is None or kind not in MEDIA_TYPES or (kind == "svg" and svg_problem(data) is not None):
        return None
    return MEDIA_TYPES[kind]


def _raster_problem(handle: BinaryIO, kind: str) -> str | None:
    from PIL import GifImagePlugin, Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

    header_only = {
        "png": PngImagePlugin.PngImageFile,
        "jpeg": JpegImagePlugin.JpegImageFile,
        "gif": GifImagePlugin.GifImageFile,
        "webp": WebPImagePlugin.WebPImageFile,
    }[kind]
    size = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            size = header_only(handle).size  # the plug-in reads the header, decodes nothing
            if size[0] * size[1] > MAX_IMAGE_PIXELS:
                return _too_many_pixels(*size)
            handle.seek(0)
            with Image.open(handle) as image:
                if kind == "png":
                    image.verify()
                elif kind == "jpeg":  # decoded at 1/8 scale: every byte read, little memory
                    image.draft(image.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
                    image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            return _too_many_pixels(*size) if size else _(DAMAGED)
        except Exception:  # any failure of the decoder on these bytes means a broken file
            return _(DAMAGED)
    return None


def _too_many_pixels(width: int, height: int) -> str:
    megapixels = max(1, round(width * height / 1_000_000))
    return n_(
        "{width} × {height} pixels ({n} megapixel); expected at most {limit} megapixels "
        "(save a smaller copy of the picture)",
        "{width} × {height} pixels ({n} megapixels); expected at most {limit} megapixels "
        "(save a smaller copy of the picture)",
        megapixels,
    ).format(width=width, height=height, n=megapixels, limit=MAX_IMAGE_PIXELS // 1_000_000)
