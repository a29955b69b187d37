"""The office PDF: A4 pages written atomically, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import BuildError


def write_atomically(target: Path, data: bytes) -> Path:
    """Write to a temporary file beside the target, flush it to disk, then rename over it."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise BuildError(f"{target}: output: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as error:
        # Also on Ctrl-C: the previous output stays and no temporary file is left behind.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise BuildError(f"{target}: output: cannot write: {error.strerror}") from None
        raise
    return target
