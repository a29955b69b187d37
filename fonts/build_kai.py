"""Build BulletinKai-Regular.ttf, the 楷体 face for emphasis, from Debian's LXGW WenKai."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from build_fonts import (
    CHECKSUM_FILE,
    DEFAULT_UNIHAN,
    gb2312_codepoints,
    general_standard_codepoints,
    sha256_of,
    subset_options,
)
from fontTools import subset
from fontTools.ttLib import TTFont

DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
DEFAULT_OUT = Path(__file__).resolve().parent
OUTPUT = "BulletinKai-Regular.ttf"
# The OFL forbids a modified font (a subset is one) to use the Reserved Font Names "霞鹜" and
# "LXGW": every name record that carries them is replaced by these.
FAMILY = "Bulletin Kai"
POSTSCRIPT = "BulletinKai-Regular"
RENAMED_IDS = {1: FAMILY, 3: POSTSCRIPT, 4: FAMILY, 6: POSTSCRIPT}
RESERVED = ("霞鹜", "LXGW")


def han_codepoints(unihan: Path) -> set[int]:
    """The ideographs of GB 2312 and of the 2013 general standard table: only Han characters
    are set in 楷体; punctuation, Latin and digits stay in the body face."""
    chars = gb2312_codepoints() | general_standard_codepoints(unihan)
    return {c for c in chars if "CJK UNIFIED IDEOGRAPH" in unicodedata.name(chr(c), "")}


def rename(font: TTFont) -> None:
    """Replace the family, full, unique and PostScript names; keep copyright and licence."""
    table = font["name"]
    for record in list(table.names):
        if record.nameID in RENAMED_IDS:
            table.setName(
                RENAMED_IDS[record.nameID],
                record.nameID,
                record.platformID,
                record.platEncID,
                record.langID,
            )
        elif record.nameID in (16, 17, 21, 22):
            table.removeNames(nameID=record.nameID)
    for record in table.names:
        text = record.toUnicode()
        if record.nameID not in (0, 13, 14) and any(name in text for name in RESERVED):
            raise SystemExit(f"name ID {record.nameID} still carries a reserved name: {text!r}")


# Spaces too: Pango sets a space in the face of the text around it and never looks for it
# in the next face, so a space inside emphasis (落实 2024 年) printed as a blank box.
SPACES = (0x0020, 0x00A0, 0x3000)


def build(source: Path, unihan: Path, out: Path) -> tuple[int, int]:
    font = TTFont(str(source), recalcTimestamp=False)
    wanted = sorted((han_codepoints(unihan) | set(SPACES)) & set(font.getBestCmap()))
    options = subset_options()
    options.hinting = False  # the source has no TrueType hinting worth keeping at print sizes
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    rename(font)
    font.save(str(out))
    return len(wanted), out.stat().st_size


def update_checksum(folder: Path, path: Path) -> None:
    """Add or replace this font's line in SHA256SUMS, leaving the other fonts' lines alone."""
    sums = folder / CHECKSUM_FILE
    lines = [
        line
        for line in (sums.read_text().splitlines() if sums.is_file() else [])
        if not line.endswith(f"  {path.name}")
    ]
    lines.append(f"{sha256_of(path)}  {path.name}")
    sums.write_text("\n".join(sorted(lines, key=lambda line: line.split("  ")[1])) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--unihan", type=Path, default=DEFAULT_UNIHAN)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    target = args.out / OUTPUT
    requested = len(han_codepoints(args.unihan)) + len(SPACES)
    mapped, size = build(args.source, args.unihan, target)
    update_checksum(args.out, target)
    print(
        f"{OUTPUT}: {mapped} of {requested} characters (ideographs and spaces) mapped, "
        f"{size / 1_000_000:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
