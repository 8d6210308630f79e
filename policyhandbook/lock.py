"""One build at a time per project.

Every writer of handbook/ or site/ (``build.py build`` and ``site``, ``make serve``'s rebuilds, a plain
``mkdocs build``) holds the project's lock file, ``.build.lock``, while it writes: two builds started
together then run one after the other instead of deleting each other's half-written folders. A build
that finds the lock taken says so and waits. The lock is the kernel's (``flock``), so a build that is
killed releases it at once; nothing is left to clean up by hand.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".build.lock"
# Set for a child process (mkdocs, run by `build.py site`) of a build that holds the lock: the child
# writes only while its parent waits for it, so it must not wait for its parent's lock.
HELD_BY_PARENT = "POLICYHANDBOOK_BUILD_LOCK_HELD"

_held: dict[Path, int] = {}  # project -> how many times this process holds its lock (it may nest)
_fds: dict[Path, int] = {}  # project -> the open lock file


def _forget() -> None:
    """In a forked child (a PDF or render worker): close the inherited lock file, so the lock lasts
    as long as the build that took it, not as long as a worker outliving it."""
    for fd in _fds.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _fds.clear()
    _held.clear()


os.register_at_fork(after_in_child=_forget)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


def _acquire(fd: int, say: Callable[[str], None]) -> None:
    """Take the lock; if another build holds it, say which (its pid, once it has written it) and wait."""
    deadline = time.monotonic() + 0.5
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pid = _holder(fd)
            if pid or time.monotonic() > deadline:
                break
            time.sleep(0.01)  # the build that just took the lock is writing its pid
    say(f"build.py: another build is running{f' (pid {pid})' if pid else ''}; waiting for it to finish")
    fcntl.flock(fd, fcntl.LOCK_EX)


@contextlib.contextmanager
def build_lock(root: Path, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the project's build lock for the duration; waits (and says so) while another build holds it."""
    root = Path(root).resolve()
    if _held.get(root) or os.environ.get(HELD_BY_PARENT) == str(root):
        _held[root] = _held.get(root, 0) + 1
        try:
            yield
        finally:
            _held[root] -= 1
        return
    try:
        fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        # The project folder is not writable: this build cannot write handbook/ or site/ either,
        # and says so when it tries (nothing can be half-written by it meanwhile).
        yield
        return
    try:
        _acquire(fd, say)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[root], _fds[root] = 1, fd
        try:
            yield
        finally:
            _held.pop(root, None)
            _fds.pop(root, None)
    finally:
        os.close(fd)  # releases the lock


try:
    _LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here, not in a freshly forked child
except OSError:  # pragma: no cover - not Linux
    _LIBC = None
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Run in a child process (a PDF worker, mkdocs): the kernel kills it when the build that started
    it dies, so a killed build leaves no workers running on (Linux; elsewhere nothing happens)."""
    if _LIBC is not None and sys.platform.startswith("linux"):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def child_environment(root: Path, env: dict[str, str]) -> dict[str, str]:
    """The environment for a child process that writes for a build holding the lock."""
    return dict(env, **{HELD_BY_PARENT: str(Path(root).resolve())})
