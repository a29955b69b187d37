"""Inspects the machine: engine, system libraries and fonts, with what to install if missing."""

from __future__ import annotations

import hashlib
import platform
from dataclasses import dataclass

from .fonts import COVERAGE_FILE, FONT_FILES, FONTS_DIR

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig"
MIN_PANGO = (1, 44)


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    remedy: str = ""


def _engine_findings() -> list[Finding]:
    try:
        from .typeset import TESTED_WEASYPRINT, engine_report
    except OSError as error:  # WeasyPrint could not load Pango
        return [
            Finding(
                "pango",
                False,
                f"cannot load the system libraries ({error})",
                f"apt-get install {DEBIAN_PACKAGES}",
            )
        ]
    report = engine_report()
    pango = tuple(int(part) for part in report["pango"].split(".")[:2])
    version = report["weasyprint"]
    return [
        Finding(
            "weasyprint",
            version in TESTED_WEASYPRINT,
            version
            + (
                ""
                if version in TESTED_WEASYPRINT
                else " (untested: the Chinese line layout is tested with "
                + ", ".join(TESTED_WEASYPRINT)
                + ")"
            ),
            "pip install 'weasyprint==" + TESTED_WEASYPRINT[-1] + "'",
        ),
        Finding(
            "pango",
            pango >= MIN_PANGO,
            report["pango"],
            "apt-get install libpango-1.0-0 (1.44 or newer)",
        ),
        Finding("harfbuzz", True, report["harfbuzz"]),
        Finding(
            "harfbuzz-subset",
            report["harfbuzz_subset"] == "yes",
            "present: fonts are subset fast"
            if report["harfbuzz_subset"] == "yes"
            else "missing: PDFs are written about 30x slower (fontTools fallback)",
            "apt-get install libharfbuzz-subset0",
        ),
    ]


def _font_findings() -> list[Finding]:
    sums_file = FONTS_DIR / "SHA256SUMS"
    expected = {}
    if sums_file.is_file():
        for line in sums_file.read_text().splitlines():
            digest, _, name = line.partition("  ")
            expected[name.strip()] = digest
    findings = []
    for name in (*FONT_FILES, COVERAGE_FILE.name):
        path = FONTS_DIR / name
        if not path.is_file():
            findings.append(
                Finding(
                    name, False, "missing", "restore fonts/ from git, or run fonts/build_fonts.py"
                )
            )
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        intact = expected.get(name) == digest
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        findings.append(
            Finding(
                name,
                intact,
                f"{size}, " + ("checksum ok" if intact else "checksum differs from SHA256SUMS"),
                "restore fonts/ from git (git checkout -- fonts/)",
            )
        )
    return findings


def _press_profile_finding() -> Finding:
    from .build import PRESS_PROFILE

    present = PRESS_PROFILE.is_file()
    return Finding(
        "press profile",
        present,
        f"{PRESS_PROFILE} ({PRESS_PROFILE.stat().st_size // 1024} KB)"
        if present
        else f"missing: {PRESS_PROFILE}; `build --press` needs --profile FILE.icc",
        "apt-get install libgs-common, then make setup",
    )


def diagnose() -> list[Finding]:
    python = platform.python_version()
    return [
        Finding("python", True, python),
        *_engine_findings(),
        *_font_findings(),
        _press_profile_finding(),
    ]
