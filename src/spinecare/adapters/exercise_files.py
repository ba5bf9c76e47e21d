"""Read the exercise library from ``content/exercises/`` (one YAML and one SVG per exercise,
plus ``avoid.yaml``) and check it with the core (``clinical.exercise.parse_library``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from spinecare.clinical.evidence import ReferenceRegistry
from spinecare.clinical.exercise import ExerciseLibrary, LibraryError, parse_library
from spinecare.paths import CONTENT_DIR

EXERCISES_DIR = CONTENT_DIR / "exercises"
AVOID_FILE = "avoid.yaml"
SVG_NS = "{http://www.w3.org/2000/svg}"


def check_svg(text: str, name: str) -> None:
    """An illustration must parse as SVG and carry a <title> and a <desc> (screen readers)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise LibraryError(f"{name}: not well-formed XML ({exc})") from None
    if root.tag != f"{SVG_NS}svg" or root.get("role") != "img" or not root.get("viewBox"):
        raise LibraryError(f"{name}: must be an <svg> with role=\"img\" and a viewBox")
    for part in ("title", "desc"):
        element = root.find(f"{SVG_NS}{part}")
        if element is None or not (element.text or "").strip():
            raise LibraryError(f"{name}: needs a non-empty <{part}>")


def load_library(references: ReferenceRegistry, directory: Path = EXERCISES_DIR
                 ) -> tuple[ExerciseLibrary, dict[str, str]]:
    """The checked library and each exercise's SVG text by id. Reads the files each time:
    the service holds the result. Raises ``LibraryError``."""
    records = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == AVOID_FILE:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("id") != path.stem:
            raise LibraryError(f"{path.name}: expected one exercise whose id is '{path.stem}'")
        records.append(data)
    avoid = yaml.safe_load((directory / AVOID_FILE).read_text(encoding="utf-8")) or []
    if not isinstance(avoid, list):
        raise LibraryError(f"{AVOID_FILE}: expected a list")
    library = parse_library(records, avoid, references)
    svgs = {}
    for exercise in library.exercises:
        path = directory / exercise.illustration
        if not path.is_file():
            raise LibraryError(f"exercise '{exercise.id}': missing illustration {path.name}")
        text = path.read_text(encoding="utf-8")
        check_svg(text, path.name)
        svgs[exercise.id] = text
    return library, svgs
