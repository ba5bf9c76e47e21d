"""Paths every test may need, named once so that moving a test file changes nothing."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = REPO_ROOT / "tests" / "data"
SHARED_DIR = REPO_ROOT.parent / "shared"
