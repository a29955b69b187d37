"""The WeasyPrint internals bulletin extends: checked before use, patched only while it works."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
import threading
from collections.abc import Callable, Iterator
from functools import cache

from ..errors import BuildError
from ..i18n import N_, _

SUPPORTED_WEASYPRINT = "70.0"

# Every internal the extension touches, with the parameters it relies on. A WeasyPrint
# release that renames or reshapes one of them must be re-checked against the typography
# tests before it is supported.
EXTENDED: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("weasyprint.text.line_break", "Layout.set_text", ("self", "text", "justify")),
    ("weasyprint.text.line_break", "Layout.get_first_line", ("self",)),
    ("weasyprint.text.line_break", "Layout.deactivate", ("self",)),
    (
        "weasyprint.text.line_break",
        "create_layout",
        ("text", "style", "context", "max_width", "justification_spacing"),
    ),
    ("weasyprint.text.line_break", "line_size", ("line", "style")),
    ("weasyprint.layout.inline", "text_align", ("context", "line", "available_width", "last")),
    ("weasyprint.layout.inline", "justify_line", ("context", "line", "extra_width")),
    ("weasyprint.layout.inline", "handle_leader", ("context", "line", "containing_block")),
    ("weasyprint.layout.leader", "leader_index", ("box",)),
    ("weasyprint.pdf.metadata", "uuid4", ()),
    (
        "weasyprint.pdf.metadata",
        "DocumentMetadata.include_in_pdf",
        ("self", "pdf", "variant", "version", "conformance", "compress"),
    ),
    ("weasyprint.text.ffi", "pango", None),
    ("weasyprint.text.ffi", "ffi", None),
    ("weasyprint.formatting_structure.boxes", "TextBox", None),
    # Balanced headlines (engine/headlines.py): the block layout that sets a headline's
    # lines, and the break test between its runs.
    (
        "weasyprint.layout.block",
        "block_container_layout",
        (
            "context",
            "box",
            "bottom_space",
            "skip_stack",
            "page_is_empty",
            "absolute_boxes",
            "fixed_boxes",
            "adjoining_margins",
            "first_letter_style",
            "first_line_style",
            "discard",
            "max_lines",
        ),
    ),
    ("weasyprint.text.line_break", "can_break_text", ("text", "lang")),
    ("weasyprint.formatting_structure.boxes", "TextBox.copy_with_text", ("self", "text")),
    # The tidy structure tree (engine/structure.py): the annotation each box of a link gets.
    ("weasyprint.formatting_structure.boxes", "Box.link_annotation", None),
    ("weasyprint.formatting_structure.boxes", "Box.is_leader", None),
)


class EngineMismatch(BuildError):
    """The installed WeasyPrint is not the one the Chinese line layout was built against."""


def _lookup(module_name: str, dotted: str):
    target = importlib.import_module(module_name)
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


IMPORT_FAILED = N_("WeasyPrint cannot be imported: {reason}")

# The shared libraries WeasyPrint opens at import, by the names a Linux loader knows them.
LINUX_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)


def _import_weasyprint():
    """Import WeasyPrint, skipping its library search where the loader finds the libraries.

    WeasyPrint tries several names per library, Windows names first; on Linux each miss
    makes cffi call ctypes.util.find_library, which runs gcc and ldconfig (16 processes,
    about 0.14 s of every build). When the loader opens the Linux names directly, the
    search is switched off for the import only, so the same names are found in one try.
    Anywhere else, or when one of them is not found, the import is WeasyPrint's own.
    """
    if "weasyprint" not in sys.modules and _loader_finds_linux_libraries():
        import ctypes.util

        find_library = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        finally:
            ctypes.util.find_library = find_library
    import weasyprint

    return weasyprint


def _loader_finds_linux_libraries() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        for name in LINUX_LIBRARIES:
            ctypes.CDLL(name)
    except OSError:
        return False
    return True


@cache
def engine_problems() -> tuple[str, ...]:
    """What differs between the installed WeasyPrint and the supported one (empty: none)."""
    try:
        weasyprint = _import_weasyprint()
    except Exception as error:  # OSError when Pango is missing, ImportError when uninstalled
        reason = f"{type(error).__name__}: {error}"
        return (_(IMPORT_FAILED).format(reason=reason),)
    problems = []
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        problems.append(_("version {version} is installed").format(version=weasyprint.__version__))
    for module_name, dotted, parameters in EXTENDED:
        try:
            found = _lookup(module_name, dotted)
        except (ImportError, AttributeError):
            problems.append(_("{name} is missing").format(name=f"{module_name}.{dotted}"))
            continue
        if parameters is None:
            continue
        try:
            actual = tuple(inspect.signature(found).parameters)
        except (TypeError, ValueError):
            actual = ()
        if actual != parameters:
            changed = f"{module_name}.{dotted}{inspect.signature(found)}"
            problems.append(_("{name} has changed").format(name=changed))
    return tuple(problems)


def require_supported_engine() -> None:
    """Fail in one line, naming both versions, before anything patches an unknown WeasyPrint."""
    problems = engine_problems()
    if problems:
        installed = _installed_version()
        raise EngineMismatch(
            "weasyprint",
            "engine",
            _(
                "WeasyPrint {installed} is installed, bulletin supports {supported} "
                "({problems}); install it with: {command}"
            ).format(
                installed=installed,
                supported=SUPPORTED_WEASYPRINT,
                problems="; ".join(problems),
                command=f"pip install 'weasyprint=={SUPPORTED_WEASYPRINT}'",
            ),
        )


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "(none)"


class ScopedPatches:
    """Replacements for engine internals, present only while at least one scope is open.

    The replacements themselves must fall back to the originals unless bulletin's own
    context variable says otherwise, so another thread using WeasyPrint at the same time
    still gets stock behaviour; the scope count only decides when they are in place.
    """

    def __init__(self, replacements: Callable[[], list[tuple[object, str, object]]]):
        self._replacements = replacements
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: list[tuple[object, str, object]] = []

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                for owner, name, replacement in self._replacements():
                    self._saved.append((owner, name, getattr(owner, name)))
                    setattr(owner, name, replacement)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    for owner, name, original in reversed(self._saved):
                        setattr(owner, name, original)
                    self._saved.clear()
