"""Work handed to a forked child process, so it runs on the other core while this process goes on."""

from __future__ import annotations

import multiprocessing as mp
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")
_PENDING = object()


def can_fork() -> bool:
    """Whether a child may be forked here: fork exists and no other thread runs.

    Forking a process that runs other threads (``mkdocs serve``'s watcher)
    can copy a lock some thread holds, so there the work is done in place.
    """
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


class Later(Generic[T]):
    """``make()`` computed in a forked child while the caller goes on; :meth:`get` waits for its value.

    The child starts with this process's memory as it is (nothing is
    pickled on the way in); its value comes back pickled through a pipe.
    Where forking is not safe (:func:`can_fork`) or ``fork`` is false, the
    value is made at once, here. A child that fails or dies leaves the work
    to :meth:`get`, which makes the value here: a bug then raises in this
    process, with its own traceback, as it would without the child.
    """

    def __init__(self, make: Callable[[], T], fork: bool = True):
        self._make: Callable[[], T] | None = make
        self._value: object = _PENDING
        self._proc = self._receive = None
        if not (fork and can_fork()):
            self._value, self._make = make(), None
            return
        ctx = mp.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_make_into, args=(make, send), daemon=True)
        self._proc.start()
        send.close()

    @property
    def forked(self) -> bool:
        """Whether the value is being (or was) made by a child process."""
        return self._proc is not None

    def get(self) -> T:
        """The value, waiting for the child if it is still at work."""
        if self._value is _PENDING:
            try:
                ok, value = self._receive.recv()
            except EOFError:  # the child died before it could answer
                ok, value = False, None
            self._proc.join()
            self._receive.close()
            self._value = value if ok else self._make()
            self._make = None
        return self._value  # type: ignore[return-value]


    def cancel(self) -> None:
        """Stop a child whose value nobody will ask for (the build failed); a value already taken stays."""
        if self._value is _PENDING and self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._receive.close()
            self._value = self._make = None


def in_two(n: int, minimum: int, part: Callable[[int, int], T]) -> tuple[T, T]:
    """``part(0, half)`` here while a forked child makes ``part(half, n)``, from ``minimum`` items; else all here.

    Below ``minimum`` (forking would cost more than it saves) the second part is ``part(n, n)``.
    """
    half = n // 2 if n >= minimum else n
    later = Later(lambda: part(half, n), fork=half < n)
    return part(0, half), later.get()


def _make_into(make: Callable, conn) -> None:
    """The child's side of :class:`Later`: make the value and send it back, or say that it failed."""
    try:
        value = make()
    except BaseException:  # reported by making the value again in the parent
        conn.send((False, None))
    else:
        conn.send((True, value))
    conn.close()
