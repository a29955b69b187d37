"""Build the four Simplified Chinese subset fonts shipped in fonts/ from Debian's Noto CJK."""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
DEFAULT_OUT = Path(__file__).resolve().parent

COVERAGE_FILE = "coverage.txt"
CHECKSUM_FILE = "SHA256SUMS"
COVERAGE_HEADER = "# codepoints mapped by every font in fonts/ (made by build_fonts.py)"


@dataclass(frozen=True)
class FontSpec:
    """One output font: which collection it comes from and which face inside it."""

    source: str  # file name of the .ttc collection in the source directory
    family: str  # name ID 1 of the Simplified Chinese face to take from it
    output: str  # file name written to the output directory


FONT_SPECS = (
    FontSpec("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifSC-Regular.otf"),
    FontSpec("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "NotoSerifSC-Bold.otf"),
    FontSpec("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansSC-Regular.otf"),
    FontSpec("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansSC-Bold.otf"),
)

# Inclusive code point ranges added on top of GB 2312 and the 2013 general standard table.
EXTRA_RANGES = (
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0x2190, 0x2193),  # arrows ← ↑ → ↓
    (0x2460, 0x2473),  # circled numbers ① … ⑳
    (0x25A0, 0x25CF),  # basic geometric shapes ■ □ ▲ △ ○ ● …
    (0x3220, 0x3229),  # parenthesised ideographs ㈠ … ㈩
)

# Single symbols that are useful in bulletins (some already fall inside a range above).
EXTRA_CODEPOINTS = (
    0x00B7,  # · middle dot
    0x00D7,  # × multiplication sign
    0x00F7,  # ÷ division sign
    0x2014,  # — em dash
    0x2026,  # … ellipsis
    0x2030,  # ‰ per mille
    0x2103,  # ℃ degree Celsius
    0x2116,  # № numero sign
    0x2605,  # ★ black star
    0x2606,  # ☆ white star
)

# Never requested, even if a range above would include it.
EXCLUDED_CODEPOINTS = frozenset({0xFE0F})  # variation selector-16 (emoji presentation)


def gb2312_codepoints() -> set[int]:
    """Return every character of GB 2312, by decoding all two-byte codes 0xA1A1..0xFEFE."""
    chars: set[int] = set()
    for lead in range(0xA1, 0xFF):
        for trail in range(0xA1, 0xFF):
            try:
                text = bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.update(ord(char) for char in text)
    return chars


def general_standard_codepoints(unihan_path: Path) -> set[int]:
    """Return the characters of the 2013 Table of General Standard Chinese Characters (kTGH)."""
    chars: set[int] = set()
    with bz2.open(unihan_path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[1] == "kTGH":
                chars.add(int(fields[0].removeprefix("U+"), 16))
    return chars


def extra_codepoints() -> set[int]:
    """Return the Latin, punctuation and symbol code points requested besides the Han sets."""
    chars = set(EXTRA_CODEPOINTS)
    for first, last in EXTRA_RANGES:
        chars.update(range(first, last + 1))
    return chars


def requested_codepoints(unihan_path: Path) -> tuple[set[int], dict[str, int]]:
    """Return the full requested character set and the size of each component."""
    gb2312 = gb2312_codepoints()
    general = general_standard_codepoints(unihan_path)
    extra = extra_codepoints()
    chars = (gb2312 | general | extra) - EXCLUDED_CODEPOINTS
    counts = {
        "GB 2312": len(gb2312),
        "general standard (kTGH)": len(general),
        "symbols and Latin": len(extra - EXCLUDED_CODEPOINTS),
    }
    return chars, counts


def find_face_index(collection_path: Path, family: str) -> int:
    """Return the index of the face in a .ttc whose name ID 1 is exactly ``family``."""
    collection = TTCollection(str(collection_path), lazy=True)
    try:
        matches = [
            index
            for index, face in enumerate(collection.fonts)
            if face["name"].getDebugName(1) == family
        ]
    finally:
        collection.close()
    if len(matches) != 1:
        raise SystemExit(f"{collection_path}: expected one face named {family!r}, found {matches}")
    return matches[0]


def subset_options() -> subset.Options:
    """Return subsetter options that keep layout features, hinting and the full name table."""
    options = subset.Options()
    options.layout_features = ["*"]  # keep halt, vhal, palt, locl, vert, kern, ...
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.glyph_names = False
    options.hinting = True
    options.notdef_outline = True
    options.notdef_glyph = True
    options.desubroutinize = False
    options.bidi_closure = False  # map exactly the requested set (no extra mirrored ∋ or ≅)
    options.recalc_timestamp = False  # keep the source's head.modified: reproducible bytes
    return options


def align_cff_names(font: TTFont) -> None:
    """Give the CFF table the SC face's names instead of the collection's shared JP ones.

    All faces of a Noto CJK collection share one CFF table whose FontName, FamilyName,
    FullName and FDArray font names are those of the Japanese face. After subsetting,
    rename them after the name table (IDs 1, 2 and 6) so the PostScript name embedded
    in PDFs matches the face actually used.
    """
    names = font["name"]
    ps_name = names.getDebugName(6)
    family = names.getDebugName(1)
    full_name = f"{family} {names.getDebugName(2)}"
    cff = font["CFF "].cff
    old_ps_name = cff.fontNames[0]
    cff.fontNames[0] = ps_name
    top = cff.topDictIndex[0]
    top.FamilyName = family
    top.FullName = full_name
    for font_dict in getattr(top, "FDArray", ()):
        fd_name = getattr(font_dict, "FontName", "")
        if fd_name.startswith(old_ps_name):
            font_dict.FontName = ps_name + fd_name[len(old_ps_name) :]


def identity_charset(font_bytes: bytes) -> bytes:
    """Renumber the CIDs of a CID-keyed CFF font so that every glyph's CID is its glyph index.

    A PDF reader that follows ISO 32000 (Ghostscript, MuPDF, Acrobat, Adobe's print engine)
    takes the codes a PDF shows as CIDs and finds each glyph through the CFF charset; PDF
    writers such as WeasyPrint write glyph indices. The subsetter renumbers glyphs but keeps
    the source's CIDs, so the two disagree for almost every glyph. With an identity charset
    they agree, and they keep agreeing after WeasyPrint's own subsetting, which retains
    glyph indices. Only the CFF table changes: the other tables refer to glyphs by index and
    are copied byte for byte.
    """
    font = TTFont(io.BytesIO(font_bytes), lazy=True, recalcTimestamp=False)
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        raise SystemExit("expected a CID-keyed CFF font")
    old_order = font.getGlyphOrder()
    new_order = [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(old_order)))]
    charstrings = top.CharStrings
    charstrings.charStrings = {
        new: charstrings.charStrings[old] for old, new in zip(old_order, new_order, strict=True)
    }
    top.charset = new_order
    top.CIDCount = len(new_order)
    font.setGlyphOrder(new_order)
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def build_font(source_path: Path, family: str, out_path: Path, chars: set[int]) -> set[int]:
    """Subset one face of a collection to ``chars``, write it, and return the mapped code points."""
    face_index = find_face_index(source_path, family)
    font = TTFont(str(source_path), fontNumber=face_index, recalcTimestamp=False, lazy=False)
    try:
        wanted = sorted(chars & set(font.getBestCmap()))
        subsetter = subset.Subsetter(options=subset_options())
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        align_cff_names(font)
        subsetted = io.BytesIO()
        font.save(subsetted)
    finally:
        font.close()
    out_path.write_bytes(identity_charset(subsetted.getvalue()))
    with TTFont(str(out_path), lazy=True) as written:
        return set(written.getBestCmap())


def format_ranges(codepoints: set[int]) -> list[str]:
    """Collapse code points into sorted ``XXXX-YYYY`` / ``XXXX`` range strings."""
    lines: list[str] = []
    ordered = sorted(codepoints)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[start], ordered[end]
        lines.append(f"{first:04X}" if first == last else f"{first:04X}-{last:04X}")
        start = end + 1
    return lines


def write_coverage(out_dir: Path, codepoints: set[int]) -> Path:
    """Write coverage.txt listing the code points that every output font maps."""
    path = out_dir / COVERAGE_FILE
    path.write_text("\n".join([COVERAGE_HEADER, *format_ranges(codepoints)]) + "\n")
    return path


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(out_dir: Path, paths: list[Path]) -> Path:
    """Write SHA256SUMS (``sha256sum -c`` format) for the given files."""
    path = out_dir / CHECKSUM_FILE
    names = {item.name for item in paths}
    # Lines of files this script does not make (build_kai.py's face) are kept as they are.
    kept = [
        line
        for line in (path.read_text().splitlines() if path.is_file() else [])
        if line.partition("  ")[2] not in names and (out_dir / line.partition("  ")[2]).is_file()
    ]
    lines = kept + [f"{sha256_of(item)}  {item.name}" for item in paths]
    path.write_text("\n".join(sorted(lines, key=lambda line: line.partition("  ")[2])) + "\n")
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEFAULT_SOURCE_DIR,
        help="folder holding the Noto CJK .ttc collections (default: %(default)s)",
    )
    parser.add_argument(
        "--unihan",
        type=Path,
        default=DEFAULT_UNIHAN,
        help="Unihan_OtherMappings.txt(.bz2) with the kTGH field (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output folder (default: the folder of this script)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="fonts built in parallel; each needs about 300 MB of memory (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the fonts, coverage.txt and SHA256SUMS, then print a summary."""
    args = parse_args(argv)
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)

    chars, counts = requested_codepoints(args.unihan)
    parts = ", ".join(f"{name} {count}" for name, count in counts.items())
    print(f"requested {len(chars)} characters ({parts})")

    jobs = [
        (args.source_dir / spec.source, spec.family, args.out / spec.output, chars)
        for spec in FONT_SPECS
    ]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(build_font, *job) for job in jobs]
        mapped = [future.result() for future in futures]

    outputs = [args.out / spec.output for spec in FONT_SPECS]
    for spec, path, codepoints in zip(FONT_SPECS, outputs, mapped, strict=True):
        size_mb = path.stat().st_size / 1_000_000
        print(f"{spec.output:26} {len(codepoints):5} mapped  {size_mb:5.2f} MB  ({spec.family})")

    common = set.intersection(*mapped)
    coverage = write_coverage(args.out, common)
    write_checksums(args.out, [*outputs, coverage])
    print(f"{COVERAGE_FILE}: {len(common)} code points in every font")
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
