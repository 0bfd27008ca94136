"""`make test`: the whole suite as two pytest processes side by side, one per core.

- "site": the tests that need the session's cold builds (marked build or browser): the
  builds themselves, the built site, the fault suite and Chromium. Its output streams here.
- "claims": everything else (every page's claim tests, the machinery's unit tests). It
  runs while the first process builds and drives the browser; its output is printed when
  it ends.

In one process the suite kept a single core busy most of the time (109 % CPU over a CI
run), since the browser tests wait on Chromium and the page tests ran only while the builds
did. Extra arguments go to both processes (e.g. `-x`); for one file, run pytest itself.
Exits non-zero if either process does (pytest's 5, "no test collected", included).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GROUPS = {
    "site": ["-m", "build or browser"],
    # its own cache provider off: two processes would write .pytest_cache/ at once
    "claims": ["-m", "not build and not browser", "-p", "no:cacheprovider"],
}


def main(extra: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as claims_log:
        claims = subprocess.Popen([*pytest, *GROUPS["claims"], *extra], cwd=PROJECT, stdout=claims_log,
                                  stderr=subprocess.STDOUT, env=os.environ)
        try:
            site_code = subprocess.call([*pytest, *GROUPS["site"], *extra], cwd=PROJECT)
            site_seconds = time.perf_counter() - start
            claims_code = claims.wait()
        finally:
            if claims.poll() is None:
                claims.kill()
                claims.wait()
        claims_log.seek(0)
        print(f"\n===== the claim tests (run beside the above) =====\n{claims_log.read()}", flush=True)
    print(f"make test: site tests exit {site_code} ({site_seconds:.0f} s), claim tests exit {claims_code}; "
          f"{time.perf_counter() - start:.0f} s in all")
    return site_code or claims_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
