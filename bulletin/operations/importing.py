"""Import a file into content records, with the importer registered for what it is."""

from __future__ import annotations

from pathlib import Path

from bulletin.importers import importer_for
from bulletin.importers.result import ImportResult

__all__ = ["ImportResult", "import_source"]


def import_source(
    source: Path, out: Path, *, publication: Path | None = None, replace: bool = False
) -> ImportResult:
    """A Word draft's articles added to the started issue `out`, or a plain-text back issue
    made into the new issue folder `out`; the importer is chosen by suffix, else content."""
    source, out = Path(source), Path(out)
    importer = importer_for(source).load()
    imported: ImportResult = importer.import_file(
        source, out, publication=publication, replace=replace
    )
    return imported
