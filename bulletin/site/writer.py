"""Writes a site beside the old one, carrying unchanged files over, then swaps the two at once."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from bulletin.atomic import new_folder_beside, swap_folder, written_in_place
from bulletin.content.loader import display_path
from bulletin.errors import BuildError
from bulletin.i18n import _

# Marks a folder as a site this command made (a folder without it is never replaced), and
# remembers what each issue's PDF was built from.
MANIFEST = ".bulletin-site.json"


class SiteWriter:
    """The new site is written into a hidden sibling folder of the target.

    The rule that makes a rebuild incremental: every file is rendered in memory and compared
    with the file at the same path in the current site; when the bytes are the same, the
    current file is carried over as a hard link (same inode and modification time, nothing
    rewritten), otherwise the new bytes are written. `commit` then swaps the two folders, so
    readers see the old site or the new one, never a mixture; files the new site lacks go
    with the old one.
    """

    def __init__(self, target: Path, content_dir: Path):
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self.removed: list[str] = []
        refuse_target(Path(target), Path(content_dir))
        # A link to the site's folder stays a link: the folder it leads to is replaced.
        try:
            self.target = written_in_place(Path(target))
        except OSError as error:
            raise cannot_write(error, Path(target)) from None
        self.previous = self.target if self.target.is_dir() else None
        self.manifest = read_manifest(self.previous)
        try:
            self.staging = new_folder_beside(self.target)
        except OSError as error:
            raise cannot_write(error, self.target.parent) from None

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.staging.exists():  # not committed: an error or Ctrl-C; the old site stays
            shutil.rmtree(self.staging, ignore_errors=True)

    def place(self, relative: str) -> Path:
        path = self.staging / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise BuildError(relative, "site", _("a path that leaves the site"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def old(self, relative: str) -> Path | None:
        if self.previous is None:
            return None
        path = self.previous / relative
        return path if path.is_file() and not path.is_symlink() else None

    def put(self, relative: str, data: bytes) -> None:
        """One file of the new site, written only when it differs from the current one."""
        path = self.place(relative)
        old = self.old(relative)
        try:
            if old is not None and old.stat().st_size == len(data) and old.read_bytes() == data:
                carry(old, path)
                self.unchanged.append(relative)
                return
            with open(path, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise cannot_write(error, path) from None
        self.written.append(relative)

    def put_file(self, relative: str, source: Path, *, move: bool = False) -> None:
        """A file copied (or moved, when it was made inside the new site) into the site."""
        path = self.place(relative)
        old = self.old(relative)
        try:
            if old is not None and same_bytes(old, source):
                carry(old, path)
                self.unchanged.append(relative)
                if move:
                    source.unlink()
                return
            if move:
                os.replace(source, path)
            else:
                shutil.copyfile(source, path)
        except OSError as error:
            raise cannot_write(error, path) from None
        self.written.append(relative)

    def keep(self, relative: str) -> None:
        """Carry a file of the current site over as it is (an up-to-date PDF)."""
        old = self.old(relative)
        if old is None:
            raise BuildError(relative, "site", _("expected it in the current site"))
        try:
            carry(old, self.place(relative))
        except OSError as error:
            raise cannot_write(error, self.staging / relative) from None
        self.unchanged.append(relative)

    def adopt(self, folder: str) -> None:
        """Files another program wrote into the new site (the search index): each one the
        same as in the current site is replaced by the current file."""
        for path in sorted((self.staging / folder).rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(self.staging).as_posix()
            old = self.old(relative)
            if old is not None and same_bytes(old, path):
                path.unlink()
                carry(old, path)
                self.unchanged.append(relative)
            else:
                self.written.append(relative)

    def pages_changed(self, suffix: str = ".html") -> bool:
        """Whether a page was written, or the current site has a page the new one lacks."""
        if self.previous is None or any(p.endswith(suffix) for p in self.written):
            return True
        kept = {p for p in self.unchanged if p.endswith(suffix)}
        current = self.previous.rglob(f"*{suffix}")
        return {p.relative_to(self.previous).as_posix() for p in current} != kept

    def keep_folder(self, folder: str) -> bool:
        """Carry a whole folder of the current site over; False when there is none."""
        old = self.previous / folder if self.previous is not None else None
        if old is None or not old.is_dir() or old.is_symlink():
            return False
        for path in sorted(old.rglob("*")):
            if path.is_file():
                self.keep(path.relative_to(self.previous).as_posix())
        return True

    def files(self) -> list[str]:
        return sorted(self.written + self.unchanged)

    def commit(self, manifest: dict) -> None:
        """Write the manifest, then put the new site in place of the old one in one step."""
        self.put(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        if self.previous is not None:
            kept = set(self.files())
            for path in self.previous.rglob("*"):
                relative = path.relative_to(self.previous).as_posix()
                if path.is_file() and relative not in kept:
                    self.removed.append(relative)
        try:
            swap_folder(self.staging, self.target)
        except OSError as error:
            raise cannot_write(error, self.target) from None
        # After the swap the staging path holds the old site (or nothing).
        shutil.rmtree(self.staging, ignore_errors=True)


def carry(old: Path, new: Path) -> None:
    """The current file, as it is, at its place in the new site (a hard link where the file
    system has them, else a copy keeping its modification time)."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def same_bytes(first: Path, second: Path) -> bool:
    if first.stat().st_size != second.stat().st_size:
        return False
    with open(first, "rb") as a, open(second, "rb") as b:
        while chunk := a.read(1 << 20):
            if chunk != b.read(len(chunk)):
                return False
    return True


def refuse_target(target: Path, content_dir: Path) -> None:
    """The site goes into a new folder, or one this command made; never over the content."""
    where = display_path(target)
    resolved, content = target.resolve(), content_dir.resolve()
    if content.is_relative_to(resolved) or resolved.is_relative_to(content):
        message = _("is or holds the content folder, or lies inside it; choose a folder beside it")
        raise BuildError(where, "output", message)
    if target.exists() and not target.is_dir():
        raise BuildError(where, "output", _("is a file; expected a folder for the site"))
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        message = _(
            "is a folder this command did not make (no {manifest}); it would be replaced as a "
            "whole, so choose a new or empty folder"
        ).format(manifest=MANIFEST)
        raise BuildError(where, "output", message)


def read_manifest(site: Path | None) -> dict:
    if site is None:
        return {}
    try:
        data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cannot_write(error: OSError, where: Path) -> BuildError:
    place = display_path(Path(error.filename)) if error.filename else display_path(where)
    return BuildError(
        place, "site", _("cannot write: {reason}").format(reason=error.strerror or error)
    )
