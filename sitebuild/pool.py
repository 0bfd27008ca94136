"""Run jobs in forked child processes, one child per job, as many at a time as there are cores.

A child starts from the parent's memory (NumPy already imported, so it starts in
milliseconds) and ends with its job, so nothing one job changes can reach another. A
child dies with its parent (even a parent killed with SIGKILL) and is killed when it runs
past its time limit, so a build never hangs and never leaves processes behind.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import selectors
import signal
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


class JobFailed(Exception):
    """A job's child died or ran out of time without reporting back."""


def die_with_parent(parent: int | None = None) -> None:
    """In a child: be killed when the parent dies (Linux). ``parent``, when given, is the pid the
    child expects as parent: if that one is already gone, exit now."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the time limit still bounds the child
        pass
    if parent is not None and os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _child(job: Callable[[], object], write_fd: int, parent: int) -> None:
    die_with_parent(parent)
    try:
        try:
            payload = pickle.dumps(("ok", job()))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent to report
            payload = pickle.dumps(("error", exc))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


def run(jobs: dict[str, Callable[[], object]], time_limit_s: float, workers: int | None = None,
        grace_s: float = 10) -> dict:
    """name -> what the job returned, the exception it raised, or a JobFailed.

    The parent kills a child that is still running ``time_limit_s`` + ``grace_s`` after it
    started (a job is expected to enforce its own limit first, with a better message).
    """
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    pending = sorted(jobs)
    running: dict[int, tuple[str, int, float, bytearray]] = {}  # fd -> (name, pid, deadline, data)
    results: dict[str, object] = {}
    parent = os.getpid()
    with selectors.DefaultSelector() as selector:
        while pending or running:
            while pending and len(running) < workers:
                name = pending.pop(0)
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read_fd)
                    _child(jobs[name], write_fd, parent)
                os.close(write_fd)
                running[read_fd] = (name, pid, time.monotonic() + time_limit_s + grace_s, bytearray())
                selector.register(read_fd, selectors.EVENT_READ)
            timeout = max(0.0, min(d for _, _, d, _ in running.values()) - time.monotonic())
            for key, _ in selector.select(timeout):
                name, pid, _, data = running[key.fd]
                chunk = os.read(key.fd, 1 << 20)
                if chunk:
                    data.extend(chunk)
                    continue
                selector.unregister(key.fd)
                os.close(key.fd)
                del running[key.fd]
                _, status = os.waitpid(pid, 0)
                results[name] = _outcome(name, data, status)
            now = time.monotonic()
            for fd, (name, pid, deadline, _) in list(running.items()):
                if now > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    selector.unregister(fd)
                    os.close(fd)
                    del running[fd]
                    results[name] = JobFailed(f"{name}: killed after {time_limit_s:g} s, the time limit "
                                              "(set DOCS_TIME_LIMIT_S to change it)")
    return results


def _outcome(name: str, data: bytearray, status: int) -> object:
    if not data:
        return JobFailed(f"{name}: the process running it died ({_describe(status)}) without a result")
    kind, value = pickle.loads(bytes(data))
    return value


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.WEXITSTATUS(status)}"
