"""Strict builds of one project copy, each in a child forked from a process that has
already imported mkdocs, the theme, the plugins and NumPy (tests/faults/test_faults.py).

A fault build then costs its build, not another ~1.3 s of imports. The server imports
only third-party packages, never the project's hooks or snippets, so every child loads
the copy's hooks and snippets from disk afresh, exactly as a new `mkdocs build` would;
the child runs mkdocs's own command line, so its output is the command's output.

    server = BuildServer(copy, env)         # python tests/support/build_server.py, cwd = copy
    code, output = server.build(site_dir)   # `mkdocs build --strict --site-dir SITE`
    server.close()
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

PRELOAD = (
    "mkdocs.__main__", "mkdocs.commands.build", "material.plugins.search.plugin",
    "mkdocs_jupyter.plugin", "numpy", "markdown", "pymdownx.arithmatex", "pymdownx.superfences",
    "pymdownx.highlight", "pymdownx.snippets", "latex2mathml.converter", "fontTools.subset",
)


class BuildServer:
    def __init__(self, copy: Path, env: dict[str, str]):
        self._process = subprocess.Popen(
            [sys.executable, __file__], cwd=copy, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )

    def build(self, site_dir: Path, timeout: float = 600, env: dict[str, str] | None = None) -> tuple[int, str]:
        """The build's exit code and output; ``env`` adds variables for this build only."""
        request = {"site_dir": str(site_dir), "timeout": timeout, "env": env or {}}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        reply = self._process.stdout.readline()
        if not reply:
            raise RuntimeError(f"the build server exited with code {self._process.wait()}")
        answer = json.loads(reply)
        return answer["code"], answer["output"]

    def close(self) -> None:
        self._process.stdin.close()
        self._process.wait(timeout=60)
        self._process.stdout.close()


def _child(site_dir: str, output_fd: int, env: dict[str, str]) -> None:
    """Become `mkdocs build --strict --site-dir SITE` with stdout and stderr in ``output_fd``."""
    os.setsid()
    os.environ.update(env)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    sys.argv = ["mkdocs", "build", "--strict", "--site-dir", site_dir]
    code = 1
    try:
        sys.modules["mkdocs.__main__"].cli(prog_name="mkdocs")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported in the output, like an uncaught error
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _build(site_dir: str, timeout: float, env: dict[str, str]) -> tuple[int, str]:
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(site_dir, output.fileno(), env)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                note = ""
                break
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code, note = -9, f"\n[killed after {timeout} s]"
                break
            time.sleep(0.02)
        output.seek(0)
        return code, output.read() + note


def serve() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        code, output = _build(request["site_dir"], request["timeout"], request["env"])
        sys.stdout.write(json.dumps({"code": code, "output": output}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
