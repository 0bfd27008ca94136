import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# The snippets multiply small matrices, and make test runs three test processes on two cores
# (tools/run_tests.py): BLAS and torch's OpenMP threads would only fight over the cores. Set
# before anything imports NumPy or torch; notebook kernels and builds inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from building import BACKGROUND, ColdBuilds  # noqa: E402

_builds: dict[str, object] = {}


# Fixtures that need the session's cold builds. `make test` (tools/run_tests.py) runs the tests
# marked build, those marked browser and the rest in three processes, so a test that asks for a
# build without a mark would start two more cold builds in another process.
NEEDS_BUILDS = {"cold_builds", "built_site", "server", "views", "fault_run"}


def pytest_collection_modifyitems(session, config, items):
    unmarked = [item.nodeid for item in items
                if NEEDS_BUILDS & set(getattr(item, "fixturenames", ()))
                and not (item.get_closest_marker("build") or item.get_closest_marker("browser"))]
    if unmarked:
        raise pytest.UsageError("these tests use the session's builds but are marked neither build nor "
                                f"browser (pytest.mark.build): {unmarked}")


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
        handoff = os.environ.get("DEEP_INIT_SITE_HANDOFF")  # tools/run_tests.py: for the browser tests
        _builds["builds"] = ColdBuilds(_builds["root"], Path(handoff) if handoff else None)
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
