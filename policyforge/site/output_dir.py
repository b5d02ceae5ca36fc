"""The output folder: which ``site_dir`` is acceptable, the build folder, and the atomic swap.

The build stays in its lane:

* ``site_dir`` may not be the project root or hold it, and may not be, hold or sit inside the
  policy source or the docs folder: replacing it would delete the policy, its released versions
  or the lock (:func:`check_site_dir`). Nor may it be a folder holding ``mkdocs.yml``,
  ``policy.yaml``, ``versions.lock`` or ``pyproject.toml`` (another project, or its sources).
* A ``site_dir`` that is a symbolic link is refused unless the project allows it; then the
  folder it points to is replaced (and must pass the same checks).
* Earlier ``consent.<hash>.js`` banners are carried over only when they are regular files
  directly inside the previous ``consent/`` folder; links are skipped with a warning, never
  followed (:func:`keep_previous_banners`).
* Dotfiles at the top of the previous site (``.git`` of a gh-pages worktree, ``.nojekyll``) are
  kept, as ``mkdocs build`` keeps them (:func:`swap_in`).
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..source.options import ProjectOptions

__all__ = ["check_site_dir", "keep_previous_banners", "new_build_dir", "site_dir_of", "swap_in"]

log = logging.getLogger("policyforge")

# a first stage (in the original's language or another), or a second stage
_HASHED_BANNER = re.compile(r"consent(?:\.settings|\.[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)?\.[0-9a-f]{10}\.js")
MAX_BANNER_BYTES = 1024 * 1024  # a banner is ~20 KB; anything larger in consent/ is not one of ours
# Files a built site never holds at its top: their presence means site_dir points at sources.
_SOURCE_MARKERS = ("mkdocs.yml", "mkdocs.yaml", "policy.yaml", "versions.lock", "pyproject.toml")


def site_dir_of(options: ProjectOptions) -> Path:
    """The folder the build replaces: ``site_dir`` itself, or where it points when it is an allowed link.

    Raises :class:`BuildError` when ``site_dir`` is a link the project does not allow, or when
    the folder is one the build must never replace (see :func:`check_site_dir`).
    """
    site_dir = Path(os.path.abspath(options.site_dir))
    if site_dir.is_symlink() and not options.allow_symlinked_site_dir:
        raise BuildError(
            f"site_dir {options.display(site_dir)} is a symbolic link (to {os.readlink(site_dir)}); the build "
            "replaces the whole folder, so it refuses to follow a link",
            hint="Point site_dir (or --site-dir) at a real folder, or set `allow_symlinked_site_dir: true` in "
            "the policyforge plugin options to replace the folder the link points to.",
        )
    real = site_dir.resolve()
    check_site_dir(options, real)
    return real


def check_site_dir(options: ProjectOptions, site_dir: Path) -> None:
    """Refuse a ``site_dir`` whose replacement would delete the project's sources."""
    site_dir = site_dir.resolve()
    root = options.root.resolve()
    reason = ""
    if site_dir == root:
        reason = "is the project folder"
    elif site_dir in root.parents:
        reason = f"contains the project folder {root}"
    else:
        sources = [("the policy source", options.source), ("the docs folder", options.docs_dir)]
        for label, folder in sources:
            if folder is None:
                continue
            folder = folder.resolve()
            shown = options.display(folder)
            if site_dir == folder:
                reason = f"is {label} ({shown})"
            elif folder in site_dir.parents:
                reason = f"sits inside {label} ({shown})"
            elif site_dir in folder.parents:
                reason = f"contains {label} ({shown})"
            if reason:
                break
    if not reason and site_dir.is_dir():
        marker = next((name for name in _SOURCE_MARKERS if (site_dir / name).exists()), None)
        if marker is not None:
            reason = f"holds {marker}, so it is a source folder (of this or another project), not a built site"
    if reason:
        raise BuildError(
            f"site_dir {options.display(site_dir)} {reason}: building there would delete it",
            hint="The build replaces site_dir as a whole; use a folder of its own, e.g. site/.",
        )


def keep_previous_banners(previous: Path, target: Path) -> None:
    """Carry earlier ``consent.<hash>.js`` files over, so snippets pinned to them keep working.

    Only regular files directly in ``previous`` are copied, opened without following links;
    a link (to ``/proc/self/environ``, say) is skipped with a warning.
    """
    if previous.is_symlink():
        log.warning("%s is a symbolic link: earlier banners in it are not carried over", previous)
        return
    if not previous.is_dir():
        return
    for entry in sorted(os.scandir(previous), key=lambda e: e.name):
        if not _HASHED_BANNER.fullmatch(entry.name) or (target / entry.name).exists():
            continue
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            log.warning("skipped %s: not a regular file (links are never followed into the site)", entry.path)
            continue
        data = _read_regular(Path(entry.path))
        if data is None:
            log.warning("skipped %s: not a regular file of at most %d bytes", entry.path, MAX_BANNER_BYTES)
            continue
        (target / entry.name).write_bytes(data)


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (opened with O_NOFOLLOW) of a banner's size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BANNER_BYTES:
            return None
        return handle.read(MAX_BANNER_BYTES + 1)[:MAX_BANNER_BYTES]


def new_build_dir(site_dir: Path) -> Path:
    """A fresh temporary sibling of ``site_dir`` to build into (same filesystem, so the swap is a rename).

    Its name carries this process's id, so a later build can tell a killed build's leftovers
    from a build that is still running.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.{os.getpid()}.", suffix=".tmp", dir=site_dir.parent))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def _carry_dotfiles(old: Path, new: Path) -> list[str]:
    """Move the top-level dotfiles of the previous site into the new one (never over a generated one)."""
    if old.is_symlink() or not old.is_dir():
        return []
    moved = []
    for entry in sorted(os.listdir(old)):
        if entry.startswith(".") and not os.path.lexists(new / entry):
            os.rename(old / entry, new / entry)
            moved.append(entry)
    return moved


def swap_in(new: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new``: one atomic exchange on Linux, else two renames.

    Readers never see a half-written site; with the exchange there is no moment without one.
    The previous site's top-level dotfiles move into the new one first (and back if the swap fails).
    """
    new.chmod(0o755)
    moved: list[str] = []
    try:
        moved = _carry_dotfiles(site_dir, new)
        if site_dir.exists() and _exchange(new, site_dir):
            shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous site
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.{os.getpid()}.", suffix=".tmp", dir=site_dir.parent))
            if site_dir.exists():
                os.replace(site_dir, old / "site")
            os.rename(new, site_dir)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        for entry in moved:
            if os.path.lexists(new / entry) and site_dir.is_dir():
                os.rename(new / entry, site_dir / entry)
        raise BuildError(f"could not replace {site_dir}: {exc}") from exc
    _remove_leftovers(site_dir)


def _remove_leftovers(site_dir: Path) -> None:
    """Remove the temporary directories of builds that were killed (their process is gone)."""
    own = re.compile(rf"\.{re.escape(site_dir.name)}\.(\d+)\.[^.]+\.tmp")
    for stale in site_dir.parent.iterdir():
        match = own.fullmatch(stale.name)
        if match is None:
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and _alive(pid):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
