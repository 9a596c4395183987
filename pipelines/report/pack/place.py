"""Where a built pack goes: a folder that is the product's only where the product wrote.

A pack is built in a hidden staging folder beside its target and moved in when complete. The
target may be new, empty, or an earlier pack (its manifest.json is ours). An earlier pack's
manifest lists the files it wrote (`files`); a re-run replaces exactly those and keeps
whatever else the user put there (meeting notes, an attachments/ folder). Any other folder
is refused with a sentence, and a file the pack would write that an earlier pack did not
(the user's own `index.html`) stops the move before anything is touched (SPEC §12).

While the move runs, the target's manifest lists the old and the new files together, so a
run killed halfway still knows every file it may have written; staging folders of runs whose
process is gone are removed by the next run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.errors import PackTargetNotEmpty

# What `manifest.json` of every pack holds (pipelines/report/pack/manifest.py): how an earlier
# pack, the only folder a new pack may write into, is told from a folder of the user's.
MANIFEST_KEYS = frozenset({"parameters", "code_version", "packages"})
MANIFEST = "manifest.json"
# The files an earlier pack wrote before its manifest listed them.
UNLISTED_PACK_FILES = (
    "index.html", MANIFEST, "review.html", "review.ipynb", "data_quality.html",
    "data_quality.ipynb", "review.pdf",
)


def staging_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.building-{os.getpid()}"


@contextmanager
def scratch_dir(out: Path) -> Iterator[Path]:
    """A folder beside `out` for the run's working files that are not part of the pack (the
    KPI snapshot the pages share), removed when the run ends; a run killed midway leaves it
    to the next run into `out`, as it does its staging folder."""
    scratch = out.parent / f".{out.name}.scratch-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read_manifest(folder: Path) -> dict | None:
    """The manifest.json of a pack in `folder`, or None when there is none of ours."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.keys() >= MANIFEST_KEYS else None


def has_our_manifest(folder: Path) -> bool:
    return read_manifest(folder) is not None


def written_files(folder: Path) -> list[str]:
    """The files (relative, '/'-separated) the pack in `folder` wrote; [] when not a pack."""
    manifest = read_manifest(folder)
    if manifest is None:
        return []
    listed = manifest.get("files")
    if isinstance(listed, list) and all(isinstance(f, str) for f in listed):
        return [f for f in listed if _inside(f)]
    return [name for name in UNLISTED_PACK_FILES if (folder / name).is_file()]


def files_of(folder: Path) -> list[str]:
    """Every file under `folder`, relative and '/'-separated, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def _inside(relative: str) -> bool:
    path = Path(relative)
    return not path.is_absolute() and ".." not in path.parts and relative not in ("", ".")


def _file_on_the_way(out: Path) -> Path | None:
    """The first existing ancestor of `out` (or `out` itself) that is not a folder."""
    for path in (out, *out.parents):
        if path.exists() or path.is_symlink():
            return None if path.is_dir() and not path.is_symlink() else path
    return None


def check_target(out: Path) -> None:
    """Refuse a target that cannot hold a pack: under a file, or a folder that holds
    anything but an earlier pack (and the user's files beside it)."""
    blocker = _file_on_the_way(out)
    if blocker is not None:
        raise PackTargetNotEmpty(
            f"The pack folder {out} cannot be made because {blocker} is a file or a link, "
            "not a folder; give --out a folder path."
        )
    if not out.exists() or has_our_manifest(out) or not any(out.iterdir()):
        return
    raise PackTargetNotEmpty(
        f"The pack folder {out} already exists and is not an earlier review pack; "
        "give --out a new or empty folder, or the folder of an earlier pack to replace it."
    )


def remove_stale_staging(out: Path) -> list[Path]:
    """Delete the staging and scratch folders of earlier runs into `out` whose process is
    gone."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:building|old|scratch)-(\d+)")
    removed = []
    if not out.parent.is_dir():
        return removed
    for path in out.parent.iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink() and not _alive(int(match[1])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def move_into_place(building: Path, out: Path) -> None:
    """Move the complete pack `building` into `out`: replace what an earlier pack wrote there,
    keep everything else; refuse (and leave `out` as it was) when a file to write is the
    user's."""
    try:
        check_target(out)  # again: the notebooks ran for a while
        if not out.exists():
            building.rename(out)
            return
        ours = set(written_files(out))
        new = files_of(building)
        clash = next((f for f in new if _users(out, f, ours)), None)
        if clash:
            raise PackTargetNotEmpty(
                f"The pack folder {out} holds {clash}, which no earlier pack wrote; move it "
                "out of the folder and run the report again."
            )
    except PackTargetNotEmpty:
        shutil.rmtree(building, ignore_errors=True)
        raise
    manifest = json.loads((building / MANIFEST).read_text(encoding="utf-8"))
    _write_manifest(out, {**manifest, "files": sorted(ours | set(new))})
    for name in new:
        if name != MANIFEST:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(building / name, out / name)
    for name in sorted(ours - set(new)):
        _remove_ours(out, name)
    _write_manifest(out, manifest)
    shutil.rmtree(building, ignore_errors=True)


def _users(out: Path, name: str, ours: set[str]) -> bool:
    """True when writing `name` into `out` would replace something the pack did not write."""
    path = out / name
    if name not in ours and (path.exists() or path.is_symlink()):
        return True
    if path.is_dir() and not path.is_symlink():
        return True
    parents = Path(name).parents
    return any((out / p).exists() and not (out / p).is_dir() for p in parents if str(p) != ".")


def _remove_ours(out: Path, name: str) -> None:
    """Delete a file an earlier pack wrote, and its folders inside `out` left empty."""
    path = out / name
    if path.is_file() or path.is_symlink():
        path.unlink()
    for parent in path.parents:
        if parent == out or out not in parent.parents:
            break
        try:
            parent.rmdir()  # only when empty: the user's files in it stay
        except OSError:
            break


def _write_manifest(out: Path, manifest: dict) -> None:
    temporary = out / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str),
                         encoding="utf-8")
    os.replace(temporary, out / MANIFEST)
