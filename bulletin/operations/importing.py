"""Import a file into content records, with the importer registered for what it is."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin.content.loader import ISSUE_FILE, PUBLICATION_FILE, display_path
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _
from bulletin.importers import importer_for
from bulletin.importers.result import ImportResult

__all__ = ["ImportResult", "import_source", "publication_target"]

# What a content folder holds besides its issue folders and publication.yaml.
CONTENT_EXTRAS = ("layouts",)


def import_source(
    source: Path,
    out: Path,
    *,
    publication: Path | None = None,
    replace: bool = False,
    include_hidden: bool = False,
) -> ImportResult:
    """A Word draft's articles added to the started issue `out`, or a plain-text back issue
    made into the new issue folder `out`; the importer is chosen by suffix, else content.
    A draft's hidden text is imported only with `include_hidden`."""
    source, out = Path(source), Path(out)
    importer = importer_for(source)
    if importer.name == "text" and source.is_file():  # only a back issue brings one
        publication = publication_target(out, publication)
    imported: ImportResult = importer.load().import_file(
        source, out, publication=publication, replace=replace, include_hidden=include_hidden
    )
    return imported


def publication_target(out: Path, publication: Path | None) -> Path:
    """Where a back issue's publication file goes: `--publication`, else beside the issue
    folder, where the loader looks for it, when that folder is a content folder (it has a
    publication.yaml, or holds only issues, or is new); otherwise the import is refused."""
    if publication is not None:
        return Path(publication)
    content_dir = Path(os.path.abspath(out)).parent
    target = content_dir / PUBLICATION_FILE
    if target.exists() or _content_folder(content_dir, Path(os.path.abspath(out)).name):
        return target
    # The usual layout: the content folder `content/` beside the project's other files.
    example = content_dir / "content" / out.name
    message = _(
        "{folder} is not a content folder (no publication.yaml, and it holds other files), "
        "so the publication file is not written there; import into a folder of the content "
        "folder, e.g. --out {example}, or name the file with --publication FILE.yaml"
    ).format(folder=display_path(content_dir), example=display_path(example))
    raise ContentError([Problem(display_path(out), None, "out", message)])


def _content_folder(folder: Path, issue_name: str) -> bool:
    """Whether `folder` is new, or holds nothing but issue folders (and layouts/)."""
    if not folder.is_dir():
        return not folder.exists()
    for entry in folder.iterdir():
        if entry.name == issue_name or entry.name.startswith(".") or entry.name in CONTENT_EXTRAS:
            continue
        if not (entry.is_dir() and (entry / ISSUE_FILE).is_file()):
            return False
    return True
