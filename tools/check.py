"""`make check`: the contributor's loop, under a minute on a warm cache.

1. ruff over the whole tree;
2. the claim tests of what you changed (git: modified and new files): a page or its
   snippets -> tests/pages/test_<page>.py; snippets/nets -> tests/pages/test_nets_mlp.py; the build
   machinery -> its own tests; plus tests/pages/test_docs.py (every page's rules);
3. an incremental strict build (the cache re-runs only what changed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def changed_files() -> list[str]:
    def git(*args: str) -> list[str]:
        out = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=True).stdout
        return [line for line in out.splitlines() if line]

    return sorted(set(git("diff", "--name-only", "HEAD")) | set(git("ls-files", "--others", "--exclude-standard")))


def tests_for(path: str) -> set[str]:
    parts = path.split("/")
    if parts[0] == "snippets" and len(parts) > 2:
        return {"tests/pages/test_nets_mlp.py" if parts[1] == "nets" else f"tests/pages/test_{parts[1]}.py"}
    if parts[0] == "docs" and path.endswith(".md") and len(parts) == 2:
        return {f"tests/pages/test_{Path(path).stem.replace('-', '_')}.py"}
    if parts[0] == "tests" and parts[-1].startswith("test_"):
        return {path}
    if parts[0] in ("sitebuild", "hooks"):
        return {"tests/build/test_sitebuild.py", "tests/build/test_notebooks.py"}
    return set()


def main() -> int:
    changed = changed_files()
    tests = sorted({t for path in changed for t in tests_for(path) if (PROJECT / t).is_file()})
    steps = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-m", "not build and not browser",
         "tests/pages/test_docs.py", *tests],
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(PROJECT / ".cache" / "site-check")],
    ]
    print(f"changed: {len(changed)} files; claim tests: {', '.join(tests) or 'none'}")
    for step in steps:
        print("$", " ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)), flush=True)
        if subprocess.run(step, cwd=PROJECT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1")).returncode:
            return 1
    print("check passed: open a pull request (CI runs `make test`, the whole suite)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
