"""Where the package's own data lives, named once so that moving a module moves nothing else."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"
