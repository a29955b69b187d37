"""Inspects the machine: engine, libraries, fonts and press profile, with fixes for this install."""

from __future__ import annotations

import hashlib
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from bulletin.data import COVERAGE_NAME, EMPHASIS_FONT, FONT_FILES, fonts_dir, press_profile
from bulletin.i18n import N_, _

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig"
MIN_PANGO = (1, 44)


@dataclass(frozen=True)
class Finding:
    """One thing inspected: its name (a word to translate, or a program's or file's own)."""

    name: str
    ok: bool
    detail: str
    remedy: str = ""


def installation() -> str:
    """How bulletin was installed: "checkout" (a clone, editable), "pipx" or "pip"."""
    package = Path(__file__).resolve().parent.parent
    if (package.parent / "pyproject.toml").is_file() and (package.parent / "Makefile").is_file():
        return "checkout"
    if "pipx" in Path(sys.prefix).parts:
        return "pipx"
    return "pip"


def reinstall_advice() -> str:
    """The command that restores bulletin's own files, for this kind of installation."""
    return {
        "checkout": "git checkout -- fonts/ layouts/ bulletin/ && make setup",
        "pipx": "pipx reinstall bulletin",
        "pip": f"{Path(sys.executable).name} -m pip install --force-reinstall bulletin",
    }[installation()]


def engine_install_advice(version: str) -> str:
    return {
        "checkout": _("make setup (the Makefile pins it)"),
        "pipx": f"pipx inject bulletin 'weasyprint=={version}'",
        "pip": f"{Path(sys.executable).name} -m pip install 'weasyprint=={version}'",
    }[installation()]


def system_advice(packages: str) -> str:
    if installation() == "checkout":
        return _("make setup (installs them with apt-get as root), or: {command}").format(
            command=f"apt-get install {packages}"
        )
    return _("Debian/Ubuntu: {debian}; macOS: {mac}").format(
        debian=f"sudo apt-get install {packages}", mac="brew install pango harfbuzz"
    )


def _engine_findings() -> list[Finding]:
    from bulletin.engine.compat import IMPORT_FAILED, SUPPORTED_WEASYPRINT, engine_problems

    problems = engine_problems()
    if problems and problems[0].startswith(_(IMPORT_FAILED).partition("{")[0]):
        return [Finding("weasyprint", False, problems[0], system_advice(DEBIAN_PACKAGES))]
    findings = [
        Finding(
            "weasyprint",
            not problems,
            _installed_weasyprint()
            + (
                ""
                if not problems
                else " "
                + _("(bulletin supports {version}: {problems})").format(
                    version=SUPPORTED_WEASYPRINT, problems="; ".join(problems)
                )
            ),
            engine_install_advice(SUPPORTED_WEASYPRINT),
        )
    ]
    report = _system_libraries()
    pango = tuple(int(part) for part in report["pango"].split(".")[:2])
    findings += [
        Finding(
            "pango", pango >= MIN_PANGO, report["pango"], system_advice("libpango-1.0-0 (1.44+)")
        ),
        Finding("harfbuzz", True, report["harfbuzz"]),
        Finding(
            "harfbuzz-subset",
            report["harfbuzz_subset"] == "yes",
            _("present: fonts are subset fast")
            if report["harfbuzz_subset"] == "yes"
            else _("missing: PDFs are written about 30x slower (fontTools fallback)"),
            system_advice("libharfbuzz-subset0"),
        ),
    ]
    return findings


def _installed_weasyprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return _("not installed")


def _system_libraries() -> dict[str, str]:
    """Versions of Pango and HarfBuzz as WeasyPrint's bindings see them."""
    import ctypes
    import ctypes.util

    from weasyprint.text import ffi

    number = ffi.pango.pango_version()
    harfbuzz = "unknown"
    for name in ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz")):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.hb_version_string.restype = ctypes.c_char_p
        harfbuzz = library.hb_version_string().decode()
        break
    return {
        "pango": f"{number // 10000}.{number // 100 % 100}.{number % 100}",
        "harfbuzz": harfbuzz,
        "harfbuzz_subset": "yes" if ffi.harfbuzz_subset is not None else "no",
    }


def _font_findings() -> list[Finding]:
    folder = fonts_dir()
    sums_file = folder / "SHA256SUMS"
    expected = {}
    if sums_file.is_file():
        for line in sums_file.read_text().splitlines():
            digest, _gap, name = line.partition("  ")
            expected[name.strip()] = digest
    findings = []
    for name in (*FONT_FILES, EMPHASIS_FONT, COVERAGE_NAME):
        path = folder / name
        if not path.is_file():
            missing = _("missing from {folder}").format(folder=folder)
            findings.append(Finding(name, False, missing, reinstall_advice()))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        intact = expected.get(name) == digest
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        findings.append(
            Finding(
                name,
                intact,
                _("{size}, {checksum}").format(
                    size=size,
                    checksum=_("checksum ok") if intact else _("checksum differs from SHA256SUMS"),
                ),
                reinstall_advice(),
            )
        )
    return findings


def _press_profile_finding() -> Finding:
    profile = press_profile()
    present = profile.is_file()
    return Finding(
        N_("press profile"),
        present,
        f"{profile.name} ({profile.stat().st_size // 1024} KB)"
        if present
        else _("missing: {file}; `build --press` needs --profile FILE.icc").format(file=profile),
        reinstall_advice(),
    )


def diagnose() -> list[Finding]:
    return [
        Finding(
            "python",
            True,
            _("{version} ({kind} install)").format(
                version=platform.python_version(), kind=installation()
            ),
        ),
        *_engine_findings(),
        *_font_findings(),
        _press_profile_finding(),
    ]
