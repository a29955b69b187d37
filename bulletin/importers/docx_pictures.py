"""A Word draft's pictures: read within the pixel budget before decoding, converted to PNG."""

from __future__ import annotations

import io

from ..i18n import _

MAX_PICTURE_PIXELS = 50_000_000  # 50 megapixels: far beyond print resolution for a column


def picture_too_large(data: bytes) -> str | None:
    """'20000 × 20000 pixels' when a picture is over the pixel budget (read from its header)."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return _("more than {n} pixels").format(n=f"{MAX_PICTURE_PIXELS:,}")
    except Exception:  # Pillow raises many kinds for data it cannot read; not ours to judge
        return None
    if width * height <= MAX_PICTURE_PIXELS:
        return None
    return _("{width} × {height} pixels").format(width=width, height=height)


def as_png(data: bytes) -> bytes:
    """A BMP or TIFF picture as PNG, which every output prints; b"" when it cannot be read."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, "PNG")
            return out.getvalue()
    except Exception:
        return b""
