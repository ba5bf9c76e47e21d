"""Where the package's own data lives, named once so that moving a module moves nothing else."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents owner-only (0700): the data directory holds
    health data. A directory that already exists is left as its owner set it."""
    missing, probe = [], path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)  # exist_ok: another worker may race us
        directory.chmod(0o700)  # whatever the umask
    return path
