"""`make test`: the whole suite as three pytest processes side by side, on the two cores.

- "build": the tests marked build: the session's two cold builds, the built site, the
  page notebooks and the fault suite. Its output streams here.
- "browser": the tests marked lab (the lab notebooks' claims), from the start; then those
  marked browser (Chromium), once the build process hands them its first site
  (DEEP_INIT_SITE_HANDOFF / DEEP_INIT_SITE_FROM, tests/support/building.py), while the build
  process executes the page notebooks and the faults.
- "claims": everything else (every page's claim tests, the machinery's unit tests), from
  the start, beside the builds.
The last two print their output when they end.

In one process the suite took 626 s on a 2-core machine, as three 533 s: there the browser
tests left a core idle while they waited on Chromium and for the network to go quiet, and
the page tests ran only while the builds did. With three, both cores stay busy (vmstat). Extra arguments go to every process (e.g. `-x`); for one file, run pytest itself.
Exits non-zero if any process does (pytest's 5, "no test collected", included).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NO_CACHE = ["-p", "no:cacheprovider"]  # one process writes .pytest_cache/, not three at once
GROUPS = {
    "build": ["-m", "build"],
    # The lab tests (60 CPU-s of notebook runs) fill the browser process's wait for its site:
    # in the claims process they left it running alone at the end, the other core idle.
    "browser": ["-m", "(browser or lab) and not build", *NO_CACHE],
    "claims": ["-m", "not build and not browser and not lab", *NO_CACHE],
}


def reaped(process: subprocess.Popen) -> tuple[int, float] | None:
    """(exit code, CPU seconds) once ``process`` has ended, else None. The CPU is user + system
    time of the process and of every child it waited for (builds, kernels, Chromium)."""
    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
    if pid == 0:
        return None
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime


def main(extra: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="deep-init-handoff-") as handoff:
        status = Path(handoff) / "status"
        logs = {name: tempfile.TemporaryFile("w+", encoding="utf-8") for name in ("browser", "claims")}
        env = {"browser": os.environ | {"DEEP_INIT_SITE_FROM": handoff}, "claims": dict(os.environ)}
        processes = {name: subprocess.Popen([*pytest, *GROUPS[name], *extra], cwd=PROJECT, env=env[name],
                                            stdout=logs[name], stderr=subprocess.STDOUT)
                     for name in ("browser", "claims")}
        processes["build"] = subprocess.Popen([*pytest, *GROUPS["build"], *extra], cwd=PROJECT,
                                              env=os.environ | {"DEEP_INIT_SITE_HANDOFF": handoff})
        codes, seconds, cpu = {}, {}, {}
        try:
            while len(codes) < len(processes):
                for name, process in processes.items():
                    if name not in codes and (ended := reaped(process)) is not None:
                        (codes[name], cpu[name]), seconds[name] = ended, time.perf_counter() - start
                if "build" in codes and not status.exists():  # the browser tests would wait for it
                    status.write_text("the build tests' process ended before it had a site to hand over",
                                      encoding="utf-8")
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()
        for name, log in logs.items():
            log.seek(0)
            print(f"\n===== the {name} tests (run beside the above) =====\n{log.read()}", flush=True)
            log.close()
    print("make test: " + ", ".join(f"{name} tests exit {codes[name]} (done at {seconds[name]:.0f} s, "
                                    f"{cpu[name]:.0f} CPU-s)" for name in GROUPS))
    return next((code for code in codes.values() if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
