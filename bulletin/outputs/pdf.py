"""The office PDF: A4 pages written atomically, so a reader never sees half a file."""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_atomically
from ..errors import BuildError


def write_pdf(target: Path, data: bytes) -> Path:
    """Put the PDF at `target`, creating its folder; a failure leaves any previous PDF intact."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(target, data)
    except OSError as error:
        raise BuildError(f"{target}: output: cannot write: {error.strerror or error}") from None
