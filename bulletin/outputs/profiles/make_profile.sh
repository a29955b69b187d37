#!/usr/bin/env bash
# make_profile.sh - rebuild FOGRA39-bulletin.icc, the CMYK output profile (FOGRA39, coated
# offset, ISO 12647-2:2004/Amd 1) that bulletin uses as the OutputIntent of PDF/X-4 press files.
#
# Needs only Debian packages and installs nothing itself:
#   argyll             colprof (ArgyllCMS), which computes the profile
#   icc-profiles-free  FOGRA39L.ti3 (the characterisation data) and sRGB.icc (gamut-mapping source)
#   python3            the post-processing step below (standard library only)
#
# Usage:  bash make_profile.sh [OUTPUT.icc]      (default: FOGRA39-bulletin.icc next to this script)
#
# Reproducible: colprof is deterministic apart from the ICC header's creation date, so this script
# sets that date to a fixed value (PROFILE_DATE below, or SOURCE_DATE_EPOCH when set). With the
# same package versions (argyll 2.3.1+repack-1.1+b1, icc-profiles-free 2.0.1+dfsg-1.1) two runs
# give identical bytes. The script also adds the charTargetTag ('targ') "ICCHDAT FOGRA39" that the
# ICC characterization data registry asks of profiles made from registered data.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/FOGRA39-bulletin.icc}"
TI3="${FOGRA39_TI3:-/usr/share/color/icc/FOGRA39L.ti3}"
SRGB="${SRGB_ICC:-/usr/share/color/icc/sRGB.icc}"

# The inputs this recipe was made and checked with (a mismatch is a warning, not an error).
TI3_SHA256="e44e6dfa81633588db98b5613a821d4a936d3d9438d2eb983083c3232df393fa"
SRGB_SHA256="2a92d4bae450b76d8b0aa42193df974d75f62738ecebf74f01c5e75b12a95796"
COLPROF_VERSION="2.3.1"

# Fixed ICC header date (UTC), the day this recipe was fixed; SOURCE_DATE_EPOCH overrides it.
PROFILE_DATE="2026-11-28T00:00:00Z"

DESCRIPTION="FOGRA39 (bulletin)"
COPYRIGHT="Derived from FOGRA39L.ti3 (Fogra characterisation data; Copyright Kai-Uwe Behrmann, zlib licence) with ArgyllCMS colprof; altered version, zlib licence, see LICENSE"
# -qm      medium quality: A2B cLUT 9^4, B2A cLUT 17^3; ~0.16 dE76 mean error against the data
# -nc      do not embed the 1617-patch .ti3 in the profile (a small 'targ' tag is added instead)
# -kr      black generation: Argyll's default linear K ramp from white (0) to black (max)
# -l330    total ink limit 330 % (as ISO Coated v2 / ECI for FOGRA39; the data itself goes to 400 %)
# -S sRGB  perceptual and saturation B2A tables gamut-mapped from sRGB (what bulletin converts)
# -cmt -dpp  CIECAM02 viewing conditions: typical monitor -> practical reflection print (ISO 3664 P2)
COLPROF_OPTS=(-v -qm -nc -kr -l330 -S "$SRGB" -cmt -dpp)

die() { echo "make_profile.sh: $*" >&2; exit 1; }

command -v colprof >/dev/null 2>&1 \
    || die "colprof not found; install the Debian package: apt-get install --no-install-recommends argyll"
[[ -r "$TI3" ]] \
    || die "$TI3 not found; install the Debian package: apt-get install icc-profiles-free"
[[ -r "$SRGB" ]] \
    || die "$SRGB not found; install the Debian package: apt-get install icc-profiles-free"
command -v python3 >/dev/null 2>&1 \
    || die "python3 not found; install the Debian package: apt-get install python3"

have_version="$(colprof 2>&1 | sed -n 's/^Create ICC profile, Version \([^ ]*\).*/\1/p' | head -n1 || true)"
[[ "$have_version" == "$COLPROF_VERSION" ]] \
    || echo "make_profile.sh: warning: colprof $have_version, recipe made with $COLPROF_VERSION; bytes may differ" >&2
[[ "$(sha256sum "$TI3" | cut -d' ' -f1)" == "$TI3_SHA256" ]] \
    || echo "make_profile.sh: warning: $TI3 differs from the recipe's copy; bytes will differ" >&2
[[ "$(sha256sum "$SRGB" | cut -d' ' -f1)" == "$SRGB_SHA256" ]] \
    || echo "make_profile.sh: warning: $SRGB differs from the recipe's copy; bytes will differ" >&2

if [[ -n "${SOURCE_DATE_EPOCH:-}" ]]; then
    stamp="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
else
    stamp="$PROFILE_DATE"
fi

work="$(mktemp -d)"
tmp_out="$(dirname "$OUT")/.$(basename "$OUT").tmp.$$"
trap 'rm -rf "$work" "$tmp_out"' EXIT
cp "$TI3" "$work/FOGRA39L.ti3"

echo "colprof ${COLPROF_OPTS[*]} -D \"$DESCRIPTION\" -C \"...\" -O colprof.icc FOGRA39L  (about a minute)"
if ! (cd "$work" && colprof "${COLPROF_OPTS[@]}" -D "$DESCRIPTION" -C "$COPYRIGHT" \
        -O colprof.icc FOGRA39L >colprof.log 2>&1); then
    tail -n 20 "$work/colprof.log" >&2
    die "colprof failed"
fi
grep -E 'ink limit|Profile check' "$work/colprof.log" || true

# Post-process: fixed header date, add 'targ' = "ICCHDAT FOGRA39", check the result.
python3 - "$work/colprof.icc" "$work/final.icc" "$stamp" <<'PY'
import struct
import sys
from datetime import datetime

src, dst, stamp = sys.argv[1:4]
data = bytearray(open(src, "rb").read())
if struct.unpack(">I", data[0:4])[0] != len(data) or data[36:40] != b"acsp":
    sys.exit("not an ICC profile: " + src)
if data[12:16] != b"prtr" or data[16:20] != b"CMYK" or data[20:24] != b"Lab ":
    sys.exit("expected an output (prtr) CMYK profile with a Lab PCS")
if any(data[84:100]):
    sys.exit("unexpected profile ID; this step would have to recompute it")

# 1. Header dateTimeNumber (bytes 24-35): year, month, day, hours, minutes, seconds as uint16.
when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
data[24:36] = struct.pack(">6H", when.year, when.month, when.day,
                          when.hour, when.minute, when.second)

# 2. charTargetTag, as the ICC registry asks of profiles made from registered data.
count = struct.unpack(">I", data[128:132])[0]
tags = [struct.unpack(">4sII", data[132 + 12 * i:144 + 12 * i]) for i in range(count)]
if any(sig == b"targ" for sig, _, _ in tags):
    sys.exit("colprof already wrote a 'targ' tag (was -nc dropped?)")
body = data[132 + 12 * count:]                # everything after the tag table, kept as is
shift = 12                                    # one more tag entry; keeps 4-byte alignment
while len(body) % 4:
    body += b"\0"
targ = b"text" + b"\0" * 4 + b"ICCHDAT FOGRA39\0"
targ_offset = 132 + 12 * (count + 1) + len(body)
table = b"".join(struct.pack(">4sII", sig, off + shift, size) for sig, off, size in tags)
table += struct.pack(">4sII", b"targ", targ_offset, len(targ))
out = bytearray(data[:128]) + struct.pack(">I", count + 1) + table + body + targ
while len(out) % 4:
    out += b"\0"
out[0:4] = struct.pack(">I", len(out))
open(dst, "wb").write(out)
PY

# Write next to the target under a temporary name, then rename (atomic on one file system).
cp "$work/final.icc" "$tmp_out"
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$OUT"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
sha256sum "$OUT"
