"""Pictures of the press PDF: RGB images separated into the output intent's CMYK, inks limited."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from bulletin.errors import BuildError
from bulletin.i18n import _

# Total area coverage, the sum of the four inks, that the press takes: 300 %. The bundled
# profile separates up to 330 % (dark sRGB colours reach 314 % through it).
MAX_INK = 3.0
INK_LIMIT = round(MAX_INK * 255)  # in 8-bit ink values, 0 to 4 × 255
# Relative colorimetric with black point compensation: colours the press can print keep
# their values (against the paper's white), the rest are clipped to the nearest printable
# one, and the shadows are scaled to the press's black instead of closing up. Perceptual
# would move every colour of a picture, in-gamut ones too, and differently per profile.
RGB_FAMILIES = ("/DeviceRGB", "/CalRGB", "/RGB")
# What a separated image keeps of the engine's: its masks, intent and what it belongs to.
KEPT_KEYS = ("/SMask", "/Mask", "/Intent", "/OC", "/Metadata", "/StructParent")


def separate_pictures(writer: PdfWriter, profile: Path) -> int:
    """Replace every RGB image of the pages (and of the forms they draw) by its separation
    into the profile's CMYK, within 300 % ink, losslessly compressed; return how many.

    An image keeps its size, soft mask and place in the file; /Interpolate is left off.
    """
    transforms = _Transforms(profile)
    seen: set[int] = set()
    count = 0
    todo = [page.get("/Resources") for page in writer.pages]
    while todo:
        resources = todo.pop()
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for name in list(xobjects):
            reference = xobjects.raw_get(name)
            image = reference.get_object()
            key = reference.idnum if isinstance(reference, IndirectObject) else id(image)
            if key in seen:
                continue
            seen.add(key)
            if image.get("/Subtype") == "/Form":
                todo.append(image.get("/Resources"))
                continue
            source = _rgb_source(image) if image.get("/Subtype") == "/Image" else None
            separated = (
                _separated(image, transforms.to_cmyk(source)) if source is not None else None
            )
            if separated is None:  # not RGB, or nothing the decoder can read: as it was
                continue
            if isinstance(reference, IndirectObject):
                writer._replace_object(reference, separated)  # shared by every user
            else:
                xobjects[NameObject(name)] = separated
            count += 1
    return count


def _rgb_source(image):
    """None for an image that is not RGB; else the ICC profile bytes its colour space names,
    or b"" for plain RGB (taken as sRGB, the colour space of the screen and the web)."""
    space = image.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    if image.get("/ImageMask") in (True,) or space is None:  # BooleanObject(False) is truthy
        return None
    if isinstance(image.get("/Mask"), ArrayObject):  # colour keys, in RGB values
        return None
    if isinstance(space, str):
        return b"" if space in RGB_FAMILIES else None
    family = space[0] if len(space) else None
    if family == "/ICCBased":
        stream = space[1].get_object()
        return stream.get_data() if stream.get("/N") == 3 else None
    if family == "/CalRGB":
        return b""
    if family == "/Indexed":
        base = space[1].get_object()
        return b"" if base in RGB_FAMILIES else None
    return None


class _Transforms:
    """The littleCMS transforms of one build, from each source profile into the press's."""

    def __init__(self, profile: Path):
        try:
            self.press = Path(profile).read_bytes()
        except OSError as error:
            reason = _("cannot read: {reason}").format(reason=error.strerror or error)
            raise BuildError(profile, "profile", reason) from None
        self.profile = profile

    def to_cmyk(self, source: bytes):
        transform = _transform(self.press, source)
        if transform is None:
            raise BuildError(
                self.profile,
                "profile",
                _("cannot separate pictures through it; name a CMYK output .icc profile"),
            )

        def apply(picture):
            from PIL import ImageCms

            return limit_ink(ImageCms.applyTransform(picture.convert("RGB"), transform))

        return apply


@functools.lru_cache(maxsize=8)
def _transform(press: bytes, source: bytes):
    """RGB (sRGB, or the image's own profile) → the press's CMYK; None when the press profile
    is not a CMYK one littleCMS can separate into. Cached: building one takes ~10 ms."""
    from PIL import ImageCms

    try:
        output = ImageCms.ImageCmsProfile(io.BytesIO(press))
        if source:
            try:
                origin = ImageCms.ImageCmsProfile(io.BytesIO(source))
            except (OSError, ImageCms.PyCMSError):
                origin = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        else:
            origin = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        return ImageCms.buildTransform(
            origin,
            output,
            "RGB",
            "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
    except (OSError, ImageCms.PyCMSError):
        return None


def limit_ink(cmyk):
    """Where C+M+Y+K passes 300 %, C, M and Y are scaled down in proportion (K, the
    picture's detail, kept); the sum of the rounded-down inks stays within the limit."""
    from PIL import Image, ImageMath

    c, m, y, k = cmyk.split()
    cmy = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"], c=c, m=m, y=y)
    if ImageMath.lambda_eval(lambda a: a["s"] + a["k"], s=cmy, k=k).getextrema()[1] <= INK_LIMIT:
        return cmyk
    room = ImageMath.lambda_eval(lambda a: a["min"](a["s"], INK_LIMIT - a["k"]), s=cmy, k=k)
    whole = ImageMath.lambda_eval(lambda a: a["max"](a["s"], 1), s=cmy)
    # Integer arithmetic: ink × room / whole, rounded down, is the ink itself where it fits.
    scaled = [
        ImageMath.lambda_eval(
            lambda a: a["convert"](a["x"] * a["r"] / a["w"], "L"), x=ink, r=room, w=whole
        )
        for ink in (c, m, y)
    ]
    return Image.merge("CMYK", [*scaled, k])


def _separated(image, to_cmyk):
    """The image XObject of the separated pixels, its rows Flate-compressed with PNG
    predictors (lossless: a JPEG of them would come back over the ink limit); None when
    the image cannot be decoded."""
    try:
        picture = image.decode_as_image()
    except Exception:  # pypdf and Pillow raise many types for an image they cannot decode
        return None
    if picture is None:
        return None
    cmyk = to_cmyk(picture)
    width, height = cmyk.size
    stream = DecodedStreamObject()
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject("/DeviceCMYK"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/DecodeParms"): DictionaryObject(
                {
                    NameObject("/Predictor"): NumberObject(15),
                    NameObject("/Colors"): NumberObject(4),
                    NameObject("/BitsPerComponent"): NumberObject(8),
                    NameObject("/Columns"): NumberObject(width),
                }
            ),
        }
    )
    for key in KEPT_KEYS:
        if key in image:
            stream[NameObject(key)] = image.raw_get(key)
    stream.set_data(png_rows(cmyk))
    return stream.flate_encode()


def png_rows(cmyk) -> bytes:
    """The rows of the four 8-bit channels, each with the PNG filter that suits it (PNG
    filters RGBA byte by byte exactly as a PDF Predictor 15 with /Colors 4 reads them)."""
    from PIL import Image

    as_rgba = Image.frombytes("RGBA", cmyk.size, cmyk.tobytes())
    buffer = io.BytesIO()
    as_rgba.save(buffer, "PNG", compress_level=0)  # filtered, stored: compressed once, above
    data = buffer.getvalue()
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        if data[position + 4 : position + 8] == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    return zlib.decompress(b"".join(chunks))
