"""Run one snippet the way both the build and the tests do.

A snippet is a plain script under ``snippets/``. It runs as ``__main__`` with
``snippets/`` on ``sys.path`` (so it may import the shared ``nets`` package), with
warnings turned into errors and its printed output captured. Its module-level names
are its results. Each run starts from the same state and leaves none behind:

- NumPy's error handling, print options and legacy global random state, matplotlib's
  rcParams, the working directory, ``sys.path`` and the environment are restored
  afterwards; a snippet that changes the working directory fails.
- It runs under a time limit (``config.time_limit_s()``), and ``sys.exit()`` is a failure,
  not a silent end of the build.
- The files it opens and the environment variables it reads are recorded (``reads``),
  so a cached result can be checked against them later.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from sitebuild import frameworks, imports
from sitebuild.config import PROJECT_DIR, SNIPPETS_DIR, time_limit_s


class SnippetError(Exception):
    """A snippet is missing or failed; the message starts with ``snippets/path:line:``."""


class SnippetTimeout(BaseException):
    """Raised inside a snippet that ran past the time limit (a BaseException, so a
    snippet's own ``except Exception`` cannot swallow it)."""


@dataclass
class SnippetResult:
    path: str
    stdout: str
    namespace: dict
    reads: dict = field(default_factory=dict)  # {"files": [paths], "env": {name: value or None}}


def snippet_path(rel_path: str) -> Path:
    """The file for ``rel_path`` (relative to snippets/), or a SnippetError."""
    path = (SNIPPETS_DIR / rel_path).resolve()
    if SNIPPETS_DIR not in path.parents or path.suffix != ".py":
        raise SnippetError(f"snippets/{rel_path}: not a .py file inside snippets/")
    if not path.is_file():
        raise SnippetError(f"snippets/{rel_path}: no such snippet")
    return path


def is_figure_snippet(path: Path | str) -> bool:
    return Path(path).name.startswith("plot_")


def _where(path: Path, line: int | None = None) -> str:
    where = f"snippets/{path.relative_to(SNIPPETS_DIR).as_posix()}"
    return f"{where}:{line}" if line else where


def _failing_line(exc: BaseException, path: Path) -> str:
    """``snippets/x.py:12`` for the innermost frame inside snippets/."""
    if isinstance(exc, SyntaxError) and exc.lineno and exc.filename == str(path):
        return _where(path, exc.lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        frame_path = Path(frame.filename).resolve()
        if SNIPPETS_DIR in frame_path.parents:
            return _where(frame_path, frame.lineno)
    return _where(path)


# ---------------------------------------------------------------- a clean state for every run


def _forget_snippet_modules() -> None:
    """Drop cached imports of snippets/ modules so an edited module is re-read."""
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(str(SNIPPETS_DIR)):
            del sys.modules[name]


@contextlib.contextmanager
def _restored_global_state():
    """Put back every piece of process-wide state a snippet could change."""
    import numpy as np

    cwd, path, environ = os.getcwd(), list(sys.path), dict(os.environ)
    errors, printing, random_state = np.geterr(), np.get_printoptions(), np.random.get_state()
    mpl = sys.modules.get("matplotlib")
    rc = mpl.rcParams.copy() if mpl else None
    try:
        yield
    finally:
        np.seterr(**errors)
        np.set_printoptions(**printing)
        np.random.set_state(random_state)
        if mpl is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # restoring deprecated keys warns
                mpl.rcParams.update(rc)
        elif "matplotlib" in sys.modules:  # first imported by this snippet: back to defaults
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sys.modules["matplotlib"].rcdefaults()
        sys.path[:] = path
        if os.environ != environ:
            os.environ.clear()
            os.environ.update(environ)
        changed_dir = os.getcwd() != cwd
        os.chdir(cwd)
        if changed_dir:
            raise SnippetError("changed the working directory (os.chdir): a snippet must not "
                               "depend on the current directory")


@contextlib.contextmanager
def _time_limit(path: Path, seconds: float):
    """Raise SnippetTimeout in the snippet after ``seconds`` (main thread only; the build's
    pool also kills a process that does not come back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise SnippetTimeout(f"{_where(path)}: still running after {seconds:g} s, the time limit "
                             "(set DOCS_TIME_LIMIT_S to change it)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- what a snippet reads


class _RecordingEnviron(MutableMapping):
    """os.environ that remembers which variables were read (values as they were)."""

    def __init__(self, real):
        self._real, self.read = real, {}

    def __getitem__(self, name):
        self.read[name] = self._real.get(name)
        return self._real[name]

    def __contains__(self, name):
        self.read[name] = self._real.get(name)
        return name in self._real

    def __iter__(self):
        self.read.update(self._real)  # iterating reads everything
        return iter(self._real)

    def __len__(self):
        return len(self._real)

    def __setitem__(self, name, value):
        self._real[name] = value

    def __delitem__(self, name):
        del self._real[name]

    def copy(self):
        return dict(self.items())


# Python's own files, the build machinery (in every key) and the system's libraries.
_IGNORED_READS = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}) + (
    str(Path(__file__).resolve().parent) + os.sep, "/usr/", "/proc/", "/sys/", "/dev/", "/etc/ld.so",
    "/etc/localtime",
)
_recording: list[set[str]] = []


def _audit(event: str, args: tuple) -> None:
    if not _recording or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
    if any(c in mode for c in "wax+"):
        return
    name = os.path.abspath(os.fsdecode(args[0]))
    if not name.startswith(_IGNORED_READS) and "__pycache__" not in name:
        _recording[-1].add(name)


_audit_installed = False


@contextlib.contextmanager
def _recorded_reads(reads: dict):
    """Fill ``reads`` with the files opened for reading and the environment variables read."""
    global _audit_installed
    if not _audit_installed:
        sys.addaudithook(_audit)  # hooks cannot be removed: it records only while a run is active
        _audit_installed = True
    files: set[str] = set()
    real_environ, environ = os.environ, _RecordingEnviron(os.environ)
    _recording.append(files)
    os.environ = environ  # noqa: B003 - swapped for a recorder, put back below
    try:
        yield
    finally:
        os.environ = real_environ  # noqa: B003
        _recording.pop()
        # matplotlib's font cache and style files are its own reads, not the snippet's
        mpl_dirs = tuple(str(Path(d).resolve()) for d in _matplotlib_dirs()) if "matplotlib" in sys.modules else ()
        reads["files"] = sorted(
            _project_relative(f) for f in files if os.path.isfile(f) and not f.startswith(mpl_dirs)
        )
        reads["env"] = dict(sorted(environ.read.items()))


def _matplotlib_dirs() -> list[str]:
    import matplotlib

    return [matplotlib.get_cachedir(), matplotlib.get_configdir(), matplotlib.get_data_path()]


def _project_relative(name: str) -> str:
    path = Path(name)
    return path.relative_to(PROJECT_DIR).as_posix() if path.is_relative_to(PROJECT_DIR) else name


# ---------------------------------------------------------------- running one snippet


@contextlib.contextmanager
def _shifted_seeds(shift: int):
    """Make ``np.random.default_rng(s)`` draw from another stream for every integer seed s
    (``frameworks.shifted_seeds`` does the same for torch and JAX).

    Tests use it to check that a snippet's claim holds for other seeds than the page's:
    seed s becomes the stream ``[s, shift]``, so two equal seeds in a snippet stay equal
    (a shared draw stays shared) and different ones stay independent.
    """
    if not shift:
        yield
        return
    import numpy as np

    page_default_rng = np.random.default_rng

    def default_rng(seed=None):
        if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seed = [int(seed), shift]
        return page_default_rng(seed)

    np.random.default_rng = default_rng
    try:
        yield
    finally:
        np.random.default_rng = page_default_rng


def _figure_theme(path: Path):
    """Figure snippets draw under the site's figure theme; others need no matplotlib theme."""
    if not is_figure_snippet(path):
        return contextlib.nullcontext()
    from sitebuild import figures

    return figures.figure_theme()


def run_snippet(rel_path: str, seed_shift: int = 0) -> SnippetResult:
    """Run ``snippets/<rel_path>`` fresh and return what it printed, defined and read.

    ``seed_shift`` (tests only) replaces every integer seed by another one; see _shifted_seeds.
    """
    path = snippet_path(rel_path)
    stdout = io.StringIO()
    reads: dict = {}
    limit = time_limit_s()
    frameworks.preload(frameworks.used_by(imports.all_imported_names(path)))  # before its clock and reads
    _forget_snippet_modules()
    try:
        with _restored_global_state(), frameworks.restored_state():
            sys.path.insert(0, str(SNIPPETS_DIR))
            with (_recorded_reads(reads), contextlib.redirect_stdout(stdout), warnings.catch_warnings(),
                  _figure_theme(path), _shifted_seeds(seed_shift), frameworks.shifted_seeds(seed_shift),
                  _time_limit(path, limit)):
                warnings.simplefilter("error")
                namespace = runpy.run_path(str(path), run_name="__main__")
    except SnippetError as exc:
        raise SnippetError(f"{_where(path)}: {exc}") from None
    except SnippetTimeout as exc:
        raise SnippetError(f"{exc} (at {_failing_line(exc, path)})") from None
    except SystemExit as exc:
        raise SnippetError(
            f"{_failing_line(exc, path)}: called sys.exit({exc.code!r}); a snippet is a plain script "
            "that runs to its end (no sys.exit, exit() or quit())") from None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - any failure of a snippet is reported, located
        raise SnippetError(f"{_failing_line(exc, path)}: {type(exc).__name__}: {exc}") from exc
    finally:
        _forget_snippet_modules()
    return SnippetResult(rel_path, stdout.getvalue(), namespace, reads)
