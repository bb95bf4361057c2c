"""Every file the tool writes or reads at its edges goes through here.

* **Writes land where the user meant.** A regular file is replaced
  atomically (temporary file beside it, then ``rename``): a failed or
  interrupted command never leaves a half-written PDF or YAML file and never
  damages the previous one. A symbolic link is written *through*: the file
  it points to gets the new content, the link stays. Outputs that are not
  regular files are written through when that is what the user asked for
  (``-`` for standard output, ``/dev/stdout``, ``/dev/null``, a FIFO with a
  reader) and refused otherwise (block devices, sockets, folders); they are
  never replaced by a regular file.
* **Every OS error is a message.** :class:`FileError` is both a
  :class:`~calais_guide.errors.GuideError` (the CLI prints one line naming the
  path and what to do, exit 1) and an :class:`OSError` (callers that tolerate
  a failed write, such as caches, keep catching ``OSError``).
* **Nothing half-done.** Folders created for a write that fails are removed.
* **Writers take turns.** :func:`database_lock` is an advisory ``fcntl``
  lock on a database (``.calais-guide.lock`` in its folder); every command
  that changes entry files, the edition file or snapshots holds it, reads the
  files under it, and :func:`replace_if_unchanged` refuses to overwrite a
  file that changed since it was read.
* **Reads never hang and never trust ``stat()``.** :func:`read_limited`
  opens without blocking (a FIFO named like an entry file), refuses what is
  not a regular file and reads at most a given number of bytes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .cli_text import tr, tr_noop, tr_text
from .errors import GuideError

LOCK_FILE = ".calais-guide.lock"
"""Advisory lock file in a database (or build) folder; ignored by the loader."""
LOCK_WAIT_SECONDS = 60.0
"""How long a writer waits for another one before giving up with a message."""

_HINTS = {
    errno.ENOSPC: tr_noop("the disk is full: free some space, then run the command again"),
    errno.EDQUOT: tr_noop("the disk quota is used up: free some space, then run the command again"),
    errno.EROFS: tr_noop("the disk is read-only: choose a folder you can write to"),
    errno.EACCES: tr_noop(
        "no permission: choose a folder you can write to, or fix the permissions"
    ),
    errno.EPERM: tr_noop("not permitted: choose a folder you can write to, or fix the permissions"),
    errno.ENOENT: tr_noop("a folder on the way does not exist: create it or choose another path"),
    errno.ENOTDIR: tr_noop("a part of the path is a file, not a folder: choose another path"),
    errno.EISDIR: tr_noop("it is a folder: give a file name"),
    errno.ENAMETOOLONG: tr_noop("the name is too long: choose a shorter one"),
    errno.EEXIST: tr_noop("something is already there: choose another path"),
    errno.ENXIO: tr_noop("nothing is reading from it: start the reader first, or choose a file"),
    errno.EIO: tr_noop("the disk reported an error: check the disk, then run the command again"),
    errno.ELOOP: tr_noop("too many symbolic links: check the path"),
    errno.EXDEV: tr_noop("the file and its folder are on different disks: choose another path"),
    errno.EMFILE: tr_noop("too many open files: close other programs, then run the command again"),
    errno.EBUSY: tr_noop(
        "the file is busy: close the program using it, then run the command again"
    ),
    errno.ETXTBSY: tr_noop(
        "the file is busy: close the program using it, then run the command again"
    ),
}


class FileError(GuideError, OSError):
    """A file could not be read or written: one line naming the path and what to do.

    Also an ``OSError``, so code that tolerates failed writes keeps working.
    """

    exit_code = 1

    def __init__(self, message: str, code: int | None = None):
        GuideError.__init__(self, message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class FileChanged(GuideError):
    """A file changed on disk between the moment it was read and the write."""


def describe_os_error(exc: BaseException, path: Path | str | None, action: str = "write") -> str:
    """``cannot write PATH: Disk full: free some space...`` (one line)."""
    name = path if path is not None else getattr(exc, "filename", None)
    where = f" {name}" if name not in (None, "") else ""
    if isinstance(exc, OSError):
        reason = tr_text(exc.strerror) if exc.strerror else str(exc) or type(exc).__name__
        hint = tr_text(_HINTS.get(exc.errno or -1, tr_noop("check the path and the disk")))
    else:
        reason, hint = str(exc) or type(exc).__name__, tr("check the path")
    template = _ACTIONS.get(action, tr_noop("cannot {action}{where}: {reason}: {hint}"))
    return tr(template, action=action, where=where, reason=reason, hint=hint)


_ACTIONS = {
    "write": tr_noop("cannot write{where}: {reason}: {hint}"),
    "read": tr_noop("cannot read{where}: {reason}: {hint}"),
    "use": tr_noop("cannot use{where}: {reason}: {hint}"),
    "change": tr_noop("cannot change{where}: {reason}: {hint}"),
    "lock": tr_noop("cannot lock{where}: {reason}: {hint}"),
    "create the guide in": tr_noop("cannot create the guide in{where}: {reason}: {hint}"),
}
"""describe_os_error's sentence per action (each a whole sentence to translate)."""
STRERRORS = (
    tr_noop("No such file or directory"),
    tr_noop("Permission denied"),
    tr_noop("Read-only file system"),
    tr_noop("No space left on device"),
    tr_noop("Is a directory"),
    tr_noop("Not a directory"),
    tr_noop("File exists"),
    tr_noop("File name too long"),
    tr_noop("Operation not permitted"),
    tr_noop("Disk quota exceeded"),
)
"""The operating system's most common error texts (English from the C library):
translated when the command line is French."""


@contextlib.contextmanager
def os_errors(path: Path | str | None, action: str = "write") -> Iterator[None]:
    """Turn any ``OSError`` raised inside into a :class:`FileError` naming ``path``."""
    try:
        yield
    except FileError:
        raise
    except OSError as exc:
        raise FileError(describe_os_error(exc, path, action), exc.errno) from None


# -- writing -------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return tr("a folder")
    if stat.S_ISCHR(mode):
        return tr("a character device")
    if stat.S_ISBLK(mode):
        return tr("a block device (a disk)")
    if stat.S_ISFIFO(mode):
        return tr("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return tr("a socket")
    return tr("not a regular file")


def _is_system_path(path: Path) -> bool:
    text = str(path)
    return text.startswith(("/dev/", "/proc/", "/sys/"))


def resolve_target(target: Path) -> Path:
    """The file a write to ``target`` must change: symbolic links followed to
    their end (the link is kept, its target gets the content)."""
    if _is_system_path(target):
        return target
    if not os.path.islink(target):
        return target
    return Path(os.path.realpath(target))


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created (deepest last)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        if os.path.islink(current):  # a dangling link on the way: let mkdir say so
            break
        missing.append(current)
        current = current.parent
    created: list[Path] = []
    for path in reversed(missing):
        path.mkdir()
        created.append(path)
    return created


def _remove_created(created: list[Path]) -> None:
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            break


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on
    success, delete it (and any folder made for it) on any failure, including
    Ctrl-C. ``target`` must be a regular file or not exist (see :func:`write_bytes`)."""
    created = _make_parents(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    except BaseException:
        _remove_created(created)
        raise
    os.close(fd)
    tmp_path = Path(tmp)
    done = False
    try:
        yield tmp_path
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
        done = True
    finally:
        if not done:
            tmp_path.unlink(missing_ok=True)
            _remove_created(created)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_through(path: Path, data: bytes) -> None:
    """Write into an existing special file (device, FIFO) without replacing it.

    A FIFO is opened without blocking: with no reader it fails at once (ENXIO)
    instead of hanging.
    """
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            os.ftruncate(fd, 0)
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _write_stdout(data: bytes) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (tests): decode what we can
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        stream.write(data)
    sys.stdout.flush()


def write_bytes(target: Path, data: bytes, *, special: bool = False) -> None:
    """Write ``data`` to ``target``: atomically for a regular file (through a
    symbolic link to the file it names).

    ``special``: ``target`` is an output the user named, so ``-`` (standard
    output), character devices (``/dev/stdout``, ``/dev/null``) and FIFOs are
    written through. Otherwise (database files, caches) they are refused.
    Block devices, sockets and folders are always refused. Any OS error is a
    :class:`FileError` naming the path.
    """
    target = Path(target)
    if special and str(target) == "-":
        with os_errors("standard output"):
            _write_stdout(data)
        return
    with os_errors(target):
        real = resolve_target(target)
        try:
            mode: int | None = os.stat(real).st_mode
        except FileNotFoundError:
            mode = None
        except NotADirectoryError:
            mode = None  # mkdir below says which part is a file
        if mode is not None and not stat.S_ISREG(mode):
            through = stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)
            if special and through:
                _write_through(real, data)
                return
            what = tr("an output") if special else tr("a data file")
            raise FileError(
                tr(
                    "cannot write {target}: it is {kind}, which cannot be {what}: give the "
                    "path of a file{values}",
                    target=target,
                    kind=_kind(mode),
                    what=what,
                    values=tr(" (or '-' for standard output)") if special else "",
                ),
                errno.EISDIR if stat.S_ISDIR(mode) else None,
            )
        if mode is None and _is_system_path(real):
            # /proc and /dev are not places for new files; open() says why.
            _write_through(real, data)
            return
        with atomic_path(real) as tmp:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())


def write_text(target: Path, text: str, *, special: bool = False) -> None:
    """Write UTF-8 ``text`` to ``target`` (see :func:`write_bytes`)."""
    write_bytes(target, text.encode("utf-8"), special=special)


def output_file(output: Path | None, default: Path, *, folder: bool = False) -> Path:
    """Where an output goes: ``output`` (``-o``), or ``default``.

    An existing folder given as ``-o`` (or any ``-o`` when ``folder`` says
    several files are written) receives ``default``'s file name. A place where
    the file cannot be made (a file on the way, ``/proc``, a read-only
    folder) is refused here, with one line naming it, before anything is
    rendered.
    """
    if output is None:
        target = default
    elif str(output) == "-":
        if folder:
            raise FileError(tr("'-o -' (standard output) takes one file: give a folder"))
        return output
    else:
        with os_errors(output, "use"):
            target = output / default.name if folder or output.is_dir() else output
    check_place(target)
    return target


def output_folder(folder: Path) -> Path:
    """``folder`` if files can be written in it (or it can be made); else
    :class:`FileError` naming it, before anything is rendered."""
    with os_errors(folder, "use"):
        if folder.exists() and not folder.is_dir():
            raise FileError(
                tr(
                    "cannot write into {folder}: it is a file, not a folder: give a folder",
                    folder=folder,
                ),
                errno.ENOTDIR,
            )
    check_place(folder / "probe")
    return folder


def check_place(target: Path) -> None:
    """:class:`FileError` if file ``target`` clearly cannot be written: the
    nearest existing folder on its way is a file, is read-only, or is in
    ``/proc``, ``/sys`` or ``/dev`` (which hold no new files)."""
    with os_errors(target, "write"):
        real = resolve_target(target)
        if real.exists():
            return
        probe = real.parent
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir():
            raise FileError(
                tr(
                    "cannot write {target}: {probe} is a file, not a folder: choose another path",
                    target=target,
                    probe=probe,
                ),
                errno.ENOTDIR,
            )
        if _is_system_path(real):
            raise FileError(
                tr(
                    "cannot write {target}: {probe} holds no new files: choose another path",
                    target=target,
                    probe=probe,
                ),
                errno.ENOENT,
            )
        if not os.access(probe, os.W_OK | os.X_OK):
            raise FileError(
                tr(
                    "cannot write {target}: no permission to write in {probe}: choose a "
                    "folder you can write to",
                    target=target,
                    probe=probe,
                ),
                errno.EACCES,
            )


# -- reading -------------------------------------------------------------------


READ_WHATS = (
    tr_noop("file"),
    tr_noop("snapshot"),
    tr_noop("HSDS file"),
    tr_noop("logo"),
    tr_noop("translation file"),
)
"""The ``what`` of :func:`read_limited`'s callers, translated in its messages."""


def read_limited(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of regular file ``path``, at most ``limit`` of them.

    Never blocks (a FIFO or device is refused before any read), never trusts
    ``stat()`` for the size (``/proc`` files claim 0 bytes, ``/dev/zero`` never
    ends). Raises :class:`FileError` naming the path: not a regular file,
    unreadable, or over ``limit`` bytes.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    with os_errors(path, "read"):
        fd = os.open(path, flags)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise FileError(
                    tr(
                        "cannot read {path}: it is {kind}, not a {what}: give the path of a "
                        "regular file",
                        path=path,
                        kind=_kind(mode),
                        what=tr_text(what),
                    ),
                    errno.EISDIR if stat.S_ISDIR(mode) else None,
                )
            chunks: list[bytes] = []
            total = 0
            while total <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        finally:
            os.close(fd)
    if total > limit:
        raise FileError(
            tr(
                "cannot read {path}: it is over the {size} limit for a {what}: is it the "
                "right file?",
                path=path,
                size=_size(limit),
                what=tr_text(what),
            ),
            errno.EFBIG,
        )
    return b"".join(chunks)


def _size(limit: int) -> str:
    if limit >= 1 << 20:
        return f"{limit / (1 << 20):.0f} MB"
    return f"{limit // 1024} KB"


def file_kind(path: Path) -> str | None:
    """None for a regular file (through links); else what ``path`` is, in words
    (``a folder``, ``a FIFO (named pipe)``, ``a dangling symbolic link``...)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a dangling symbolic link" if os.path.islink(path) else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    return None if stat.S_ISREG(mode) else _kind(mode)


# -- locking -------------------------------------------------------------------

_held: dict[Path, list[int]] = {}
"""Locks this process holds: folder -> [file descriptor, depth]."""


@contextlib.contextmanager
def database_lock(
    root: Path, *, shared: bool = False, wait: float | None = None, required: bool = True
) -> Iterator[None]:
    """Hold the advisory lock of the database ``root``.

    Exclusive for writers, ``shared`` for readers that need a consistent view.
    Re-entrant within a process. Waits up to ``wait`` seconds (default
    :data:`LOCK_WAIT_SECONDS`) for another command, then refuses with a
    message. The lock file exists only while someone holds it (the last one
    out removes it), so a command leaves no file behind. A folder where the
    lock file cannot be made (read-only) is refused with the reason for a
    writer, nothing could be written there anyway; readers, and writers that
    do not ``require`` it, go on without (nobody can change that database).
    """
    key = Path(os.path.realpath(root))
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    if not key.is_dir():
        if shared or not required:
            yield
            return
        from .errors import NotFoundError

        raise NotFoundError(tr("no such folder: {root}", root=root))
    lock_path = key / LOCK_FILE
    fd = _acquire(
        root,
        lock_path,
        shared,
        LOCK_WAIT_SECONDS if wait is None else wait,
        optional=shared or not required,
    )
    if fd is None:
        yield
        return
    _held[key] = [fd, 1]
    try:
        yield
    finally:
        del _held[key]
        _release(fd, lock_path)


def _acquire(root: Path, lock_path: Path, shared: bool, wait: float, optional: bool) -> int | None:
    """Open and lock ``lock_path`` (the file, not a stale unlinked copy of it);
    None when it cannot be made and the caller may go on without (``optional``)."""
    import fcntl

    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    operation = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock_path, flags, 0o644)
        except OSError as exc:
            if optional:
                return None
            raise FileError(describe_os_error(exc, root, "change"), exc.errno) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FileError(
                    tr(
                        "cannot lock {root}: {lock_path} is not a regular file: remove it",
                        root=root,
                        lock_path=lock_path,
                    )
                )
            while True:
                try:
                    fcntl.flock(fd, operation)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise GuideError(
                            tr(
                                "{root} is being changed by another calais-guide command: "
                                "nothing was written; run this again when it has finished",
                                root=root,
                            )
                        ) from None
                    time.sleep(0.02)
                except OSError as exc:
                    if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                        break  # a file system without locks (some network shares)
                    raise FileError(describe_os_error(exc, lock_path, "lock"), exc.errno) from None
            try:
                same = os.stat(lock_path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            return fd
        os.close(fd)  # the holder before us removed that file: lock the current one


def _release(fd: int, lock_path: Path) -> None:
    """Unlock; the last holder removes the lock file (while still holding it)."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else holds it?
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
    except OSError:
        pass  # other readers still hold it: the last of them removes it
    finally:
        os.close(fd)


def holds_lock(root: Path) -> bool:
    """True while this process holds the lock of ``root``."""
    return Path(os.path.realpath(root)) in _held


def read_text_locked(path: Path, limit: int) -> tuple[bytes, str]:
    """Raw bytes and UTF-8 text of a database file (read under its lock)."""
    raw = read_limited(path, limit, "data file")
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            tr(
                "cannot read {path}: not UTF-8 text (byte 0x{raw} at offset {start}): "
                "save it as UTF-8 in your editor",
                path=path,
                raw=format(raw[exc.start], "02x"),
                start=exc.start,
            )
        ) from None


def replace_if_unchanged(path: Path, expected: bytes | None, text: str) -> None:
    """Write ``text`` to database file ``path`` unless it changed since it was
    read as ``expected`` (None: it must still not exist). Call under
    :func:`database_lock`; refuses with :class:`FileChanged` naming the file."""
    real = resolve_target(path)
    try:
        current: bytes | None = read_limited(real, max(len(expected or b""), 1 << 20) + 1)
    except FileError as exc:
        if exc.code == errno.ENOENT:
            current = None
        else:
            raise
    if current != expected:
        if expected is None:
            raise FileChanged(
                f"{path} was created by someone else while this command ran: "
                "nothing written; look at it, then run the command again"
            )
        raise FileChanged(
            f"{path} changed while this command ran (another command or an editor saved it): "
            "nothing written; run the command again"
        )
    write_text(path, text)
