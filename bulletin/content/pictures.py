"""Whether image bytes are a sound picture: its kind, its pixels counted before decoding, whole."""

from __future__ import annotations

import re
import warnings
from typing import BinaryIO

from bulletin.i18n import N_, _, n_

# Budgets. 50 megapixels is an A4 page at 600 dpi with room to spare; decoding one takes
# about 200 MB. The file itself may not be larger than this either.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_BYTES = 50 * 1024 * 1024

# Messages (translated where returned: _(NOT_AN_IMAGE)).
SVG_TOO_MUCH = N_(
    "an SVG drawing too large or too repetitive to print (over 2 MB, 20,000 elements or "
    "200 reused parts, or with a DTD); save it as a PNG"
)
SVG_PICTURE = N_("an SVG drawing holding a picture of its own; save it as a PNG")
NOT_AN_IMAGE = N_("not a PNG, JPEG, GIF, WebP or SVG image (corrupt, or another kind of file)")
DAMAGED = N_("the picture is incomplete or damaged; save it again from the original")
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
        return _svg_problem(handle)
    return _raster_problem(handle, kind)


# A drawing is read as XML without DTDs or entities; these bound what the engine would draw.
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_USES = 200


def _svg_problem(handle: BinaryIO) -> str | None:
    """An SVG drawing small enough to draw: no DTD, bounded elements and reuses, and no
    pictures of its own (they would escape the picture budget)."""
    from xml.etree.ElementTree import XMLPullParser

    data = handle.read(MAX_SVG_BYTES + 1)
    if len(data) > MAX_SVG_BYTES or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return _(SVG_TOO_MUCH)
    parser = XMLPullParser(events=("start",))
    elements = uses = 0
    try:
        parser.feed(data)
        for _event, element in parser.read_events():
            elements += 1
            tag = element.tag.rsplit("}", 1)[-1]
            uses += tag == "use"
            if tag == "image":
                return _(SVG_PICTURE)
            if elements > MAX_SVG_ELEMENTS or uses > MAX_SVG_USES:
                return _(SVG_TOO_MUCH)
        parser.close()
    except Exception:  # any parse error: not a drawing that can be trusted to print
        return _(DAMAGED)
    return None


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
