"""The artefact cache: read back what was built, rebuild what is stale or corrupt, and never
unpickle a file another user could have planted."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
import threading
from pathlib import Path

import pytest

from spinecare.adapters import artefact_cache
from spinecare.adapters.artefact_cache import ArtefactCache, compile_regexes
from spinecare.adapters.intake.lexicon import LexiconError, phrase_regexes, read_lexicon
from spinecare.adapters.library.search_index import build_index, load_index
from spinecare.settings import Settings


class Builder:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


class Planted:
    """Unpickling this touches a file: proof that a planted pickle was (not) loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.marker),))  # type: ignore[return-value]


def only_file(directory: Path) -> Path:
    files = [p for p in directory.iterdir() if p.suffix == ".pickle"]
    assert len(files) == 1, files
    return files[0]


def test_an_artefact_is_built_once_and_read_back_by_the_next_process(tmp_path: Path) -> None:
    build = Builder({"passages": [1, 2, 3]})
    first = ArtefactCache(tmp_path / "cache").load_or_build("thing", ["v1"], build, dict)
    # A new cache object over the same directory stands for the next process.
    second = ArtefactCache(tmp_path / "cache").load_or_build("thing", ["v1"], build, dict)
    assert first == second == {"passages": [1, 2, 3]}
    assert build.calls == 1


def test_the_directory_is_created_owner_only_and_files_are_0600_whatever_the_umask(
    tmp_path: Path,
) -> None:
    old = os.umask(0)
    try:
        ArtefactCache(tmp_path / "a" / "cache").load_or_build("thing", [], Builder([1]), list)
    finally:
        os.umask(old)
    for directory in (tmp_path / "a", tmp_path / "a" / "cache"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(only_file(tmp_path / "a" / "cache").stat().st_mode) == 0o600


def test_a_changed_input_rebuilds_and_removes_the_stale_file(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path)
    build = Builder(["old"])
    cache.load_or_build("thing", ["content v1"], build, list)
    stale = only_file(tmp_path)
    newer = Builder(["new"])
    assert cache.load_or_build("thing", ["content v2"], newer, list) == ["new"]
    assert newer.calls == 1
    assert not stale.exists()
    assert only_file(tmp_path) != stale


def test_the_key_covers_the_package_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = ArtefactCache(tmp_path)
    before = cache.key("thing", ["same content"])
    monkeypatch.setattr(artefact_cache.spinecare, "__version__", "999.0")
    assert cache.key("thing", ["same content"]) != before


def test_a_file_key_part_changes_with_the_file_contents(tmp_path: Path) -> None:
    source = tmp_path / "lexicon.yaml"
    source.write_text("a: 1\n")
    before = artefact_cache.file_parts([source])
    source.write_text("a: 2\n")
    assert artefact_cache.file_parts([source]) != before
    source.unlink()
    assert artefact_cache.file_parts([source]) == [str(source).encode(), b"<missing>"]


@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "empty", "other format"])
def test_a_corrupt_file_is_rebuilt_silently(tmp_path: Path, damage: str) -> None:
    cache = ArtefactCache(tmp_path)
    cache.load_or_build("thing", ["v1"], Builder([1, 2, 3]), list)
    path = only_file(tmp_path)
    blob = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip a byte":
        path.write_bytes(blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(pickle.dumps(("whatever", [9, 9, 9])))
    rebuild = Builder([1, 2, 3])
    assert ArtefactCache(tmp_path).load_or_build("thing", ["v1"], rebuild, list) == [1, 2, 3]
    assert rebuild.calls == 1
    # ... and the rebuilt file is whole again.
    again = Builder([0])
    assert ArtefactCache(tmp_path).load_or_build("thing", ["v1"], again, list) == [1, 2, 3]
    assert again.calls == 0


def test_a_file_of_the_wrong_type_or_key_is_not_used(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path)
    cache.load_or_build("thing", ["v1"], Builder({"a": 1}), dict)
    rebuild = Builder([1])
    assert cache.load_or_build("thing", ["v1"], rebuild, list) == [1]
    assert rebuild.calls == 1
    # A valid file copied under another key's name is refused: the key is inside too.
    key_v2 = cache.key("thing", ["v2"])
    os.replace(only_file(tmp_path), cache.path("thing", key_v2))
    assert cache.read("thing", key_v2) is None


def test_an_error_while_building_propagates_and_stores_nothing(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path / "cache")
    cache.load_or_build("thing", [], Builder([1]), list)  # the directory exists
    with pytest.raises(LexiconError):
        read_lexicon(tmp_path / "missing.yaml", cache=cache)
    assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == ["thing"]


@pytest.mark.parametrize("mode", [0o755, 0o770, 0o777, 0o707])
def test_a_directory_others_can_reach_is_never_read_nor_written(
    tmp_path: Path, mode: int,
) -> None:
    directory = tmp_path / "shared"
    directory.mkdir()
    directory.chmod(mode)
    honest = ArtefactCache(tmp_path / "private")
    key = honest.key("thing", ["v1"])
    # Someone who can write the directory plants a pickle with a valid header and key.
    marker = tmp_path / "planted-pickle-ran"
    payload = pickle.dumps((key, Planted(marker)))
    blob = artefact_cache.FORMAT + hashlib.blake2b(payload, digest_size=32).digest() + payload
    cache = ArtefactCache(directory)
    cache.path("thing", key).write_bytes(blob)
    build = Builder([1])
    assert cache.load_or_build("thing", ["v1"], build, list) == [1]
    assert build.calls == 1
    assert not marker.exists()
    assert [p.name for p in directory.iterdir()] == [cache.path("thing", key).name]
    assert stat.S_IMODE(directory.stat().st_mode) == mode  # left as its owner set it


def test_the_planted_pickle_would_have_run_if_the_checks_were_missing(tmp_path: Path) -> None:
    # The previous test means something only if the planted payload really runs code.
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Planted(marker)))
    assert marker.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_owned_by_another_user_is_not_read(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path)
    cache.load_or_build("thing", ["v1"], Builder([1]), list)
    os.chown(only_file(tmp_path), 12345, 12345)
    rebuild = Builder([2])
    assert ArtefactCache(tmp_path).load_or_build("thing", ["v1"], rebuild, list) == [2]
    assert rebuild.calls == 1


def test_a_file_others_can_write_is_not_read(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path)
    cache.load_or_build("thing", ["v1"], Builder([1]), list)
    only_file(tmp_path).chmod(0o666)
    rebuild = Builder([2])
    assert ArtefactCache(tmp_path).load_or_build("thing", ["v1"], rebuild, list) == [2]
    assert rebuild.calls == 1


def test_a_symlinked_file_is_not_followed(tmp_path: Path) -> None:
    cache = ArtefactCache(tmp_path / "cache")
    cache.load_or_build("thing", ["v1"], Builder([1]), list)
    real = only_file(tmp_path / "cache")
    elsewhere = tmp_path / "elsewhere.pickle"
    os.replace(real, elsewhere)
    real.symlink_to(elsewhere)
    assert cache.read("thing", cache.key("thing", ["v1"])) is None


def test_an_unwritable_place_means_no_cache_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    build = Builder([1])
    assert ArtefactCache(blocker / "cache").load_or_build("thing", [], build, list) == [1]
    assert ArtefactCache(blocker / "cache").load_or_build("thing", [], build, list) == [1]
    assert build.calls == 2


def test_concurrent_writers_and_readers_only_ever_see_whole_artefacts(tmp_path: Path) -> None:
    value = list(range(50_000))
    seen: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(15):
                cache = ArtefactCache(tmp_path)  # one per "process"
                key = cache.key("big", ["v1"])
                cache.write("big", key, value)
                seen.append(cache.read("big", key))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert seen and all(item == value for item in seen)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert not list(tmp_path.glob(".*.tmp"))


# ------------------------------------------------------------------ regular expressions

def test_cached_regex_programs_match_exactly_like_re_compile(tmp_path: Path) -> None:
    lexicon = read_lexicon()
    fresh = phrase_regexes(lexicon)
    phrase_regexes(lexicon, ArtefactCache(tmp_path))          # builds and stores
    cached = phrase_regexes(lexicon, ArtefactCache(tmp_path))  # reads the programs back
    assert [label for label, _ in cached] == [label for label, _ in fresh]
    texts = ["walking makes my legs ache", "I can't feel my bottom and can't pee",
             "no numbness, no fever, my legs are weak", "Pins and needles in BOTH feet"]
    for (_, a), (_, b) in zip(cached, fresh, strict=True):
        assert (a.pattern, a.flags, a.groupindex, a.groups) == \
            (b.pattern, b.flags, b.groupindex, b.groups)
        for text in texts:
            assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]


def test_regex_programs_that_the_engine_refuses_fall_back_to_compiling(tmp_path: Path) -> None:
    patterns = [r"(?<![\w'])leg(?:s)? ache", r"(?P<span>numb)ness"]
    cache = ArtefactCache(tmp_path)
    compile_regexes(patterns, re.IGNORECASE, cache, "phrases")
    key = only_file(tmp_path)
    stored_key, programs = pickle.loads(key.read_bytes()[len(artefact_cache.FORMAT) + 32:])
    broken = [(p[0], p[1], [999_999] * 8, *p[3:]) for p in programs]
    cache.write("phrases", stored_key, broken)
    compiled = compile_regexes(patterns, re.IGNORECASE, ArtefactCache(tmp_path), "phrases")
    assert [c.pattern for c in compiled] == patterns
    assert compiled[1].search("NUMBNESS").span("span") == (0, 4)


# ------------------------------------------------------------------ the real artefacts

def test_the_search_index_read_back_answers_like_a_fresh_one(tmp_path: Path) -> None:
    load_index(ArtefactCache(tmp_path))
    cached = load_index(ArtefactCache(tmp_path))
    fresh = build_index()
    for query in ("walking makes my legs ache", "pins and needles", "slipped disc"):
        assert cached.search(query, k=5) == fresh.search(query, k=5)
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["search"]


def test_the_lexicon_read_back_equals_a_fresh_parse(tmp_path: Path) -> None:
    read_lexicon(cache=ArtefactCache(tmp_path))
    assert read_lexicon(cache=ArtefactCache(tmp_path)) == read_lexicon()


def test_the_cache_directory_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPINECARE_CACHE_DIR", str(tmp_path / "c"))
    assert Settings.from_env().cache_dir == tmp_path / "c"
    monkeypatch.delenv("SPINECARE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings.from_env().cache_dir == tmp_path / "xdg" / "spinecare"
    assert Settings().cache_dir is None  # tests and embedders: nothing on disk
