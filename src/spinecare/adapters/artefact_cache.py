"""Built artefacts kept on disk between processes, keyed by what they were built from.

The CLI starts a new process for every command, and three things took most of its time
although they never change between two runs: the parsed intake lexicon, its ~800 phrase
regular expressions, and the knowledge base's search index. Each is built once and stored
here; the next process reads it back in a few milliseconds.

* **Key.** A SHA-256 over everything the artefact is built from: the content files, the
  source of the modules that build it, the package, Python and library versions. Edit an
  article, a lexicon phrase or the code that parses them and the key changes, so a stale
  artefact is never read (it is replaced, and the old file removed).
* **Never trusted blindly.** Artefacts are pickles, and unpickling runs code, so they are
  read only from a directory owned by this user and closed to everyone else (0700, created
  so, like the data directory) and only from files owned by this user that nobody else can
  write. A directory that fails the check is not used at all: the artefact is built in
  memory, as if there were no cache.
* **Atomic and concurrent.** A file is written under a temporary name in the same
  directory and moved into place with ``os.replace``, so a reader sees the old file, the
  new one or none, never half of one. Two processes that build at the same time both
  write a complete file; the last one wins and both are the same.
* **Corrupt or unreadable = absent.** Each file carries a digest of its contents; a file
  that is truncated, altered, of another format or another key, or that fails to unpickle
  is rebuilt silently. The cache only ever makes things faster: any problem with it means
  "build it", never an error.

Compiled regular expressions cannot be pickled (a pickled pattern is its source text and
is compiled again when loaded), so ``compile_regexes`` stores what CPython's compiler
produces instead, the pattern program, and hands it back to ``_sre.compile``. That is a
private interface of CPython: the program is keyed by the exact interpreter version and
the regex engine's magic number, ``_sre`` checks every program before it runs it, and
anything unexpected falls back to ``re.compile``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import pickle
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import spinecare

log = logging.getLogger(__name__)

T = TypeVar("T")

# Bump when the file layout below changes: every older file then misses.
FORMAT = b"spinecare-artefact-1\n"
_DIGEST_BYTES = 32
# Anything else than this user reading or writing the directory (or a file) disqualifies it.
_PRIVATE_BITS = 0o077


def file_parts(paths: Iterable[Path]) -> list[bytes]:
    """Key parts for files: each file's name and contents (a missing file counts too)."""
    parts: list[bytes] = []
    for path in paths:
        parts.append(str(path).encode())
        try:
            parts.append(path.read_bytes())
        except OSError:
            parts.append(b"<missing>")
    return parts


class ArtefactCache:
    """Pickled artefacts in ``directory``, one file per artefact name and key."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._usable: bool | None = None

    def __repr__(self) -> str:
        return f"ArtefactCache({str(self.directory)!r})"

    # ------------------------------------------------------------------ the public calls

    def key(self, name: str, parts: Iterable[bytes | str]) -> str:
        """The content key of artefact ``name`` built from ``parts``."""
        digest = hashlib.sha256()
        for part in (FORMAT, name, spinecare.__version__, sys.version,
                     sys.implementation.cache_tag or "", *parts):
            data = part.encode() if isinstance(part, str) else part
            # Length-prefixed, so two different lists of parts never hash alike.
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def load_or_build(
        self, name: str, parts: Iterable[bytes | str], build: Callable[[], T],
        expect: type | tuple[type, ...],
    ) -> T:
        """The stored artefact for ``(name, parts)``, or ``build()`` (then stored).

        ``expect`` is the type the artefact must have; anything else read from the file
        counts as corrupt. Errors from ``build`` propagate (a bad lexicon stays an error).
        """
        key = self.key(name, parts)
        found = self.read(name, key)
        if isinstance(found, expect):
            return found  # type: ignore[return-value]
        value = build()
        self.write(name, key, value)
        return value

    def path(self, name: str, key: str) -> Path:
        return self.directory / f"{name}-{key[:40]}.pickle"

    # ------------------------------------------------------------------ reading

    def read(self, name: str, key: str) -> Any | None:
        """The artefact stored under ``(name, key)``, or None (absent, stale, corrupt or
        not safe to read)."""
        if not self._directory_is_private(create=False):
            return None
        try:
            fd = os.open(self.path(name, key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not _private(info) or not stat.S_ISREG(info.st_mode):
                log.warning("artefact cache: %s is not private to this user; not read",
                            self.path(name, key))
                return None
            with os.fdopen(fd, "rb") as handle:
                fd = -1
                blob = handle.read()
        except OSError:
            return None
        finally:
            if fd >= 0:
                os.close(fd)
        return _unpack(blob, key)

    # ------------------------------------------------------------------ writing

    def write(self, name: str, key: str, value: object) -> bool:
        """Store ``value`` atomically; False (and nothing stored) if that cannot be done."""
        if not self._directory_is_private(create=True):
            return False
        try:
            payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an artefact that cannot be pickled is simply not cached
            log.debug("artefact cache: %s cannot be pickled", name, exc_info=True)
            return False
        blob = FORMAT + hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest() + payload
        target = self.path(name, key)
        try:
            # mkstemp creates the file 0600 with O_EXCL: nobody else can have it open.
            fd, temp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=self.directory)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(temp, target)
        except OSError:
            log.debug("artefact cache: cannot write %s", target, exc_info=True)
            _unlink(Path(temp))
            return False
        self._remove_stale(name, keep=target)
        return True

    def _remove_stale(self, name: str, keep: Path) -> None:
        """Older keys of the same artefact: superseded, so removed (best effort)."""
        for old in self.directory.glob(f"{name}-*.pickle"):
            if old != keep and re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{40}}\.pickle",
                                            old.name):
                _unlink(old)

    # ------------------------------------------------------------------ the directory

    def _directory_is_private(self, *, create: bool) -> bool:
        if self._usable:
            return True
        try:
            if create and not self.directory.exists():
                _private_dir(self.directory)
            info = os.stat(self.directory, follow_symlinks=False)
        except OSError:
            return False
        usable = stat.S_ISDIR(info.st_mode) and _private(info)
        if not usable and self._usable is None:
            log.warning("artefact cache: %s is not a directory private to this user (mode "
                        "0700); built artefacts are not cached there", self.directory)
        self._usable = usable
        return usable


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid() and not info.st_mode & _PRIVATE_BITS


def _private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents owner-only (0700), whatever the umask."""
    missing, probe = [], path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)  # exist_ok: another process may race us
        directory.chmod(0o700)


def _unpack(blob: bytes, key: str) -> Any | None:
    head = len(FORMAT) + _DIGEST_BYTES
    if len(blob) <= head or not blob.startswith(FORMAT):
        return None
    payload = blob[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST_BYTES).digest() != blob[len(FORMAT):head]:
        return None
    try:
        stored_key, value = pickle.loads(payload)
    except Exception:  # a class renamed since, a truncated file that slipped through …
        return None
    return value if stored_key == key else None


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ---------------------------------------------------------------------- regular expressions

def compile_regexes(
    patterns: Sequence[str], flags: int, cache: ArtefactCache | None, name: str,
) -> list[re.Pattern[str]]:
    """``[re.compile(p, flags) for p in patterns]``, with the compiled programs read from
    (or stored in) ``cache``. The result matches exactly what ``re.compile`` gives."""
    if cache is None:
        return [re.compile(p, flags) for p in patterns]
    try:  # CPython's regex compiler and engine (private modules: see the module docstring)
        _sre = importlib.import_module("_sre")
        _compiler = importlib.import_module("re._compiler")
        _parser = importlib.import_module("re._parser")
    except ImportError:  # another Python implementation: no programs to keep
        return [re.compile(p, flags) for p in patterns]

    def build() -> list[tuple[Any, ...]]:
        programs = []
        for pattern in patterns:
            tree = _parser.parse(pattern, flags)
            # The opcodes are int subclasses that do not pickle; plain ints are the same code.
            code = [int(op) for op in _compiler._code(tree, flags)]
            groupindex = dict(tree.state.groupdict)
            indexgroup: list[str | None] = [None] * tree.state.groups
            for group, index in groupindex.items():
                indexgroup[index] = group
            programs.append((pattern, flags | tree.state.flags, code, tree.state.groups - 1,
                             groupindex, tuple(indexgroup)))
        return programs

    parts = [str(flags), str(getattr(_sre, "MAGIC", "")), str(getattr(_sre, "CODESIZE", "")),
             *patterns]
    try:
        programs = cache.load_or_build(name, parts, build, list)
        compiled = [_sre.compile(*program) for program in programs]
        if [c.pattern for c in compiled] == list(patterns):
            return compiled
    except Exception:  # a program _sre refuses, an interpreter that changed the interface
        log.debug("artefact cache: compiled patterns unusable; compiling afresh", exc_info=True)
    return [re.compile(p, flags) for p in patterns]
