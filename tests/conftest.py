import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# The snippets multiply small matrices; BLAS threads would only fight over the cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from building import ColdBuilds  # noqa: E402

_builds: dict[str, object] = {}


def pytest_collection_finish(session):
    """Start the two cold builds early, so they run while the unit tests do."""
    if session.config.option.collectonly:
        return
    if any("cold_builds" in getattr(item, "fixturenames", ()) for item in session.items):
        _builds["root"] = Path(tempfile.mkdtemp(prefix="deep-init-builds-"))
        _builds["builds"] = ColdBuilds(_builds["root"])


def pytest_sessionfinish(session, exitstatus):
    """Stop the builds; keep the tested site where TESTED_SITE_DIR says, if every test passed
    (the workflow deploys that very build instead of building a third time)."""
    if "builds" not in _builds:
        return
    builds = _builds.pop("builds")
    builds.stop()
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
