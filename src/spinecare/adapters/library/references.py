"""Load the reference registry from ``spinecare/content/references/*.yaml``.

Each area keeps its own file (triage, instruments, treatments, articles); ids
must be unique across all of them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from spinecare.clinical.evidence import ReferenceRegistry
from spinecare.paths import CONTENT_DIR

REFERENCES_DIR = CONTENT_DIR / "references"


def load_references(directory: Path = REFERENCES_DIR) -> ReferenceRegistry:
    """Read the registry. Reads the files each time: the application object holds the
    result (``Spinecare.references``)."""
    records = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise ValueError(f"{path.name}: expected a list of references")
        records.extend(data)
    return ReferenceRegistry.from_records(records)
