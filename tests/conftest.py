import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# The snippets multiply small matrices; BLAS threads would only fight over the cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from building import BACKGROUND, ColdBuilds  # noqa: E402

_builds: dict[str, object] = {}


def pytest_collection_finish(session):
    """Start the two cold builds early, so they run while the unit tests do, and the work a
    test module asks to run in the background (start_in_background: the fault suite, which
    waits for the builds, then uses the cores the other tests leave idle)."""
    if session.config.option.collectonly:
        return
    by_module: dict = {}
    for item in session.items:
        by_module.setdefault(getattr(item, "module", None), []).append(item)
    starters = {module: getattr(module, "start_in_background", None) for module in by_module}
    if any(starters.values()) or any("cold_builds" in getattr(i, "fixturenames", ()) for i in session.items):
        _builds["root"] = Path(tempfile.mkdtemp(prefix="deep-init-builds-"))
        _builds["builds"] = ColdBuilds(_builds["root"])
    session.config.stash[BACKGROUND] = {
        module.__name__: start(_builds["builds"], by_module[module]) for module, start in starters.items() if start
    }


def pytest_sessionfinish(session, exitstatus):
    """Stop the builds; keep the tested site where TESTED_SITE_DIR says, if every test passed
    (the workflow deploys that very build instead of building a third time)."""
    background = session.config.stash.get(BACKGROUND, {}).values()
    for work in background:
        work.stop()  # no new work; a run still waiting for the builds returns when they stop
    if "builds" not in _builds:
        return
    builds = _builds.pop("builds")
    builds.stop()
    for work in background:
        work.close()
    keep = os.environ.get("TESTED_SITE_DIR")
    if keep and exitstatus == 0 and builds.finished_ok():
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(builds.sites[0], keep, symlinks=False)
    shutil.rmtree(_builds.pop("root"), ignore_errors=True)


@pytest.fixture(scope="session")
def cold_builds(tmp_path_factory) -> dict:
    """{"sites": [2 paths], "caches": [...], "results": [(exit code, output)] * 2, "sources_before"}."""
    if "builds" not in _builds:  # collected without the hook (e.g. a plugin filtered items later)
        _builds["root"] = tmp_path_factory.mktemp("builds")
        _builds["builds"] = ColdBuilds(_builds["root"])
    return _builds["builds"].wait()
