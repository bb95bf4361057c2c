"""Work done in worker processes (one language per core), safely.

* **Errors come back as data.** An exception does not always survive the
  trip between processes (``DataError`` is rebuilt from its message alone and
  breaks the pool: ``BrokenProcessPool``). A worker returns its error as plain
  data (class, message, exit code, problems, suggestions) and the parent
  raises it again, so a multi-language build reports a data problem exactly
  as a one-language build does.
* **Temporary files go away.** Workers end without running ``atexit`` or
  finalizers, so the fontconfig folders (``calais-guide-fc-*``) and
  WeasyPrint's font folders (``weasyprint-*``) they make would stay behind.
  Workers get a private ``TMPDIR`` that the parent removes when the work
  ends, whether it succeeded, failed or was interrupted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import DataError, GuideError, NotFoundError


@contextlib.contextmanager
def private_tempdir() -> Iterator[Path]:
    """A fresh temporary folder used as ``TMPDIR`` (and ``tempfile.tempdir``)
    inside the block, removed with everything in it afterwards."""
    path = tempfile.mkdtemp(prefix="calais-guide-work-")
    old_env, old_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = path
    tempfile.tempdir = path
    try:
        yield Path(path)
    finally:
        if old_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_env
        tempfile.tempdir = old_dir
        shutil.rmtree(path, ignore_errors=True)


def _init_worker(tmp: str) -> None:
    os.environ["TMPDIR"] = tmp
    tempfile.tempdir = tmp


def error_to_data(exc: BaseException) -> dict[str, Any]:
    """An exception as plain data that always crosses a process boundary."""
    data: dict[str, Any] = {
        "module": type(exc).__module__,
        "name": type(exc).__qualname__,
        "message": str(exc),
        "exit_code": getattr(exc, "exit_code", 1),
    }
    if isinstance(exc, DataError):
        data["problems"] = list(exc.problems)
        data["root"] = exc.root
    if isinstance(exc, NotFoundError):
        data["suggestions"] = list(exc.suggestions)
    if isinstance(exc, OSError) and not isinstance(exc, GuideError):
        from .fileio import describe_os_error

        data["message"] = describe_os_error(exc, None, "write")
    return data


def error_from_data(data: dict[str, Any]) -> BaseException:
    """The exception :func:`error_to_data` described, as close to the original as
    it can be rebuilt (a GuideError with the same message and exit code otherwise)."""
    if "problems" in data:
        return DataError(data["problems"], data.get("root"))
    if "suggestions" in data:
        return NotFoundError(data["message"], data["suggestions"])
    import importlib

    try:
        cls = getattr(importlib.import_module(data["module"]), data["name"])
        if isinstance(cls, type) and issubclass(cls, GuideError):
            error = cls(data["message"])
            return error
    except Exception:  # noqa: BLE001 - a class that needs more than a message
        pass
    error = GuideError(data["message"])
    error.exit_code = data["exit_code"]
    return error


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    try:
        return True, fn(*args)
    except (GuideError, OSError) as exc:
        return False, error_to_data(exc)
    except Exception as exc:  # noqa: BLE001 - a bug: its traceback must reach the parent
        import traceback

        return False, {
            "bug": f"{type(exc).__name__}: {exc}\n" + "".join(traceback.format_exception(exc))
        }


def run_parallel(
    fn: Callable[..., Any], tasks: Sequence[tuple[Any, ...]], jobs: int
) -> Iterator[tuple[int, Any]]:
    """Run ``fn(*task)`` for every task in up to ``jobs`` worker processes;
    yield ``(index, result)`` as each finishes.

    The first error is raised in the parent as it was raised in the worker
    (the other tasks are cancelled). With one job or one task, everything runs
    in this process, with the same temporary-file guarantee.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            yield index, fn(*task)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with private_tempdir() as tmp:
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), initializer=_init_worker, initargs=(str(tmp),)
        )
        try:
            futures = {pool.submit(_call, fn, task): i for i, task in enumerate(tasks)}
            for future in as_completed(futures):
                ok, value = future.result()
                if not ok:
                    if "bug" in value:
                        raise RuntimeError("a worker process failed:\n" + value["bug"])
                    raise error_from_data(value)
                yield futures[future], value
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
