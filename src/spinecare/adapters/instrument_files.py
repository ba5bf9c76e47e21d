"""The instrument files: the shipped definitions and a clinic's imported licensed wording.

Built-in definitions come from ``content/instruments/*.yaml`` (``load_definitions``). A
clinic's imported licensed wording (a FHIR Questionnaire stored by ``spinecare instruments
import``) lives under ``<data_dir>/instruments/<id>.questionnaire.json``. This module only
reads and writes those files; parsing is ``clinical.instruments.parse`` and the use cases
(catalogue, scoring, change, licence import, FHIR responses) are
``spinecare.services.instruments.InstrumentService``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from spinecare.clinical.instruments import InstrumentDefinition, parse_definition
from spinecare.paths import CONTENT_DIR, private_dir

INSTRUMENTS_DIR = CONTENT_DIR / "instruments"
INSTRUMENT_IDS = ("odi", "ndi", "rmdq", "zcq", "startback", "mjoa", "nrs")
LICENSED_SUFFIX = ".questionnaire.json"


class UnknownInstrument(KeyError):
    def __init__(self, instrument_id: str):
        self.instrument_id = instrument_id
        super().__init__(instrument_id)

    def __str__(self) -> str:
        return (
            f"unknown instrument '{self.instrument_id}'; choose one of: {', '.join(INSTRUMENT_IDS)}"
        )


def load_definitions(directory: Path = INSTRUMENTS_DIR) -> dict[str, InstrumentDefinition]:
    """Every ``*.yaml`` definition in ``directory``, in the public order (odi ndi rmdq zcq
    startback mjoa nrs, then any other by name). Reads the files each time it is called:
    hold the result (``InstrumentService`` does)."""
    found: dict[str, InstrumentDefinition] = {}
    for path in sorted(directory.glob("*.yaml")):
        definition = parse_definition(yaml.safe_load(path.read_text(encoding="utf-8")))
        if definition.id != path.stem:
            raise ValueError(f"{path.name}: id '{definition.id}' must match the file name")
        found[definition.id] = definition
    order = {iid: n for n, iid in enumerate(INSTRUMENT_IDS)}
    return dict(sorted(found.items(), key=lambda kv: order.get(kv[0], len(order))))


def licensed_dir(data_dir: Path) -> Path:
    return data_dir / "instruments"


def licensed_path(instrument_id: str, data_dir: Path) -> Path:
    return licensed_dir(data_dir) / f"{instrument_id}{LICENSED_SUFFIX}"


def licensed_stamp(data_dir: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What the stored licence files look like now (name, inode, mtime, size): cheap (one
    directory scan, no file read). An import writes a new file and renames it into place,
    so the inode changes even within one clock tick."""
    try:
        entries = list(os.scandir(licensed_dir(data_dir)))
    except FileNotFoundError:
        return ()
    stamp = []
    for entry in entries:
        if entry.name.endswith(LICENSED_SUFFIX):
            info = entry.stat()
            stamp.append((entry.name, info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(sorted(stamp))


def read_licensed(instrument_id: str, data_dir: Path) -> tuple[Any, Path] | None:
    """The stored licensed Questionnaire (parsed JSON) for ``instrument_id`` and its path,
    or None when the clinic has not imported one."""
    path = licensed_path(instrument_id, data_dir)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")), path


def write_licensed(questionnaire: Any, path: Path) -> None:
    """Store a validated licensed Questionnaire atomically (temp file + rename), in an
    owner-only directory: the data directory holds health data."""
    private_dir(path.parent)  # 0700, the data directory too if this creates it
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(questionnaire, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
