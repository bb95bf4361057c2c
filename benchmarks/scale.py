"""A guide of 2,000 entries: validate and lookups, beside `python -c pass` of the same run.

Builds, in a temporary folder (never committed), a guide of N entries (default
2,000) from the built-in ones: copy k of an entry gets the id `<id>-<k>` and the
name `<name> <k>` (its parent renamed alike), and the edition lists them all.
Every third copy gets weekly hours on its places (Mon, Wed, Fri 09:00-12:00),
so that `list --open-now` has opening hours to work out, not only mobile teams.

Measures, as a volunteer types them (each a fresh `python -m calais_guide`):

- `validate` of the whole guide after one entry file changed (target: under
  3 s; the files read before come from the entry cache, see
  ``load.EntryCache``), and its first run, reading every file (no target);
- `find`, `show` and `list --open-now` with a warm cache (target: at most 5x
  `python -c pass`, median of interleaved runs);
- the first lookup after one entry file changed (cold cache: only that file is
  read again; target: under 2 s);
- the same lookups on the built-in guide (19 entries), for comparison with
  `benchmarks/lookup.py` (target: at most 4x).

The moment is fixed (`CALAIS_GUIDE_NOW`, a Monday at 15:00). Exits 1 when a
figure (wall time) misses its target. The processor time of each command
(user + system, median) is printed beside it: on a shared machine it says what
the wall time would be without the others.

    python benchmarks/scale.py [--entries 2000] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "entries"
NOW = "2023-03-06 15:00"

VALIDATE_TARGET_S = 3.0
WARM_TARGET_X = 5.0
COLD_TARGET_S = 2.0
SMALL_TARGET_X = 4.0

HOURS = '    schedules:\n      - {byday: [mo, we, fr], opens_at: "09:00", closes_at: "12:00"}\n'


def make_guide(target: Path, count: int) -> list[str]:
    """Write a guide of ``count`` entries into ``target``; return their ids in order."""
    target.mkdir(parents=True)
    sources = sorted(p for p in BUILTIN.glob("*.yaml") if p.name != "edition.yaml")
    ids = []
    for i in range(count):
        source = sources[i % len(sources)]
        k = i // len(sources) + 1
        new_id = f"{source.stem}-{k}"
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text)
        text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {k}", text)
        text = re.sub(r"(?m)^parent: (.*)$", rf"parent: \1-{k}", text)
        if k % 3 == 0:
            text = re.sub(r"(?m)^  - kind: (\w+)\n", lambda m: m[0] + HOURS, text)
        (target / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(new_id)
    edition = (BUILTIN / "edition.yaml").read_text(encoding="utf-8")
    order = "order:\n" + "".join(f"  - {i}\n" for i in ids)
    edition = re.sub(r"(?ms)^order:\n(?:  - .*?\n)+", lambda _: order, edition)
    (target / "edition.yaml").write_text(edition, encoding="utf-8")
    return ids


CPU: dict[str, list[float]] = {}
"""Label -> processor time (user + system) of each run: what the figure would
be without the other processes of a shared machine."""


def timed(cmd: list[str], env: dict[str, str], label: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr.decode()[-2000:]}")
    if label:
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        CPU.setdefault(label, []).append(used)
    return elapsed


def cpu(label: str) -> str:
    """`` (cpu 123.4 ms)`` for ``label``, if measured."""
    if label not in CPU:
        return ""
    return f"  (cpu {statistics.median(CPU[label]) * 1000:.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000, help="size of the generated guide")
    parser.add_argument("--runs", type=int, default=11, help="runs per lookup (median)")
    args = parser.parse_args()

    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="calais-guide-scale-"))
    try:
        big = work / "guide"
        ids = make_guide(big, args.entries)
        drop = ("NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE", "CALAIS_GUIDE_NO_CACHE")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(work / "cache"), CALAIS_GUIDE_NOW=NOW)
        guide = [python, "-m", "calais_guide"]
        subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "calais_guide")], env=env)

        # validate: exit 0 (warnings only) expected; 1 would mean the generated guide is wrong.
        validate = [*guide, "validate", "--entries", str(big)]
        validate_first = timed(validate, env, "validate first")  # reads every file
        validate_times = []
        edited = big / f"{ids[3]}.yaml"
        for round_ in range(3):
            # A coordinator's edit, then validate: only that file is read again.
            text = edited.read_text(encoding="utf-8")
            edited.write_text(text + f"# edited {round_}\n", encoding="utf-8")
            validate_times.append(timed(validate, env, "validate"))

        show_id = ids[len(ids) // 2]
        lookups = {
            "find eau": ["find", "eau"],
            "find medcin (typo)": ["find", "medcin"],
            f"show {show_id}": ["show", show_id],
            "list --open-now": ["list", "--open-now"],
        }
        first = timed([*guide, "find", "eau", "--entries", str(big)], env, "first")  # builds it
        timed([*guide, "find", "eau", "--entries", str(BUILTIN)], env)
        cases: list[tuple[str, list[str]]] = [("python -c pass", [python, "-c", "pass"])]
        for label, cmd in lookups.items():
            cases.append((f"{label} [{args.entries}]", [*guide, *cmd, "--entries", str(big)]))
        small = {k: v for k, v in lookups.items() if not k.startswith("show")}
        small["show salam"] = ["show", "salam"]
        for label, cmd in small.items():
            cases.append((f"{label} [19]", [*guide, *cmd, "--entries", str(BUILTIN)]))
        times: dict[str, list[float]] = {label: [] for label, _ in cases}
        cold: list[float] = []
        victim = big / f"{ids[7]}.yaml"
        for round_ in range(args.runs):
            for label, cmd in cases:
                times[label].append(timed(cmd, env, label))
            # One entry file changes (a volunteer's edit): the next lookup reads it again.
            text = victim.read_text(encoding="utf-8")
            victim.write_text(text + f"# edited {round_}\n", encoding="utf-8")
            cold.append(timed([*guide, "find", "eau", "--entries", str(big)], env, "cold"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(times["python -c pass"])
    misses = []
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} interleaved runs")
    print(f"{'python -c pass':42} {base * 1000:8.1f} ms{cpu('python -c pass')}")
    print(
        f"{f'validate [{args.entries}], first run (once)':42} {validate_first * 1000:8.1f} ms"
        f"  {validate_first / base:5.1f}x{cpu('validate first')}"
    )
    value = statistics.median(validate_times)
    verdict = "ok" if value < VALIDATE_TARGET_S else "OVER TARGET"
    if value >= VALIDATE_TARGET_S:
        misses.append("validate")
    print(
        f"{f'validate [{args.entries}] after 1 file changed':42} {value * 1000:8.1f} ms"
        f"  {value / base:5.1f}x  (target < {VALIDATE_TARGET_S:.0f} s) {verdict}{cpu('validate')}"
    )
    print(
        f"{'index built from nothing (once)':42} {first * 1000:8.1f} ms  {first / base:5.1f}x"
        f"{cpu('first')}"
    )
    for label, _ in cases[1:]:
        value = statistics.median(times[label])
        target = SMALL_TARGET_X if label.endswith("[19]") else WARM_TARGET_X
        ratio = value / base
        verdict = "ok" if ratio <= target else "OVER TARGET"
        if ratio > target:
            misses.append(label)
        print(
            f"{label:42} {value * 1000:8.1f} ms  {ratio:5.1f}x  (target <= {target:.0f}x) {verdict}"
            f"{cpu(label)}"
        )
    value = statistics.median(cold)
    verdict = "ok" if value < COLD_TARGET_S else "OVER TARGET"
    if value >= COLD_TARGET_S:
        misses.append("cold")
    print(
        f"{'find eau after 1 file changed (cold)':42} {value * 1000:8.1f} ms  {value / base:5.1f}x"
        f"  (target < {COLD_TARGET_S:.0f} s) {verdict}{cpu('cold')}"
    )
    if misses:
        print("missed: " + ", ".join(misses))
        sys.exit(1)
    print("every figure within its target")


if __name__ == "__main__":
    main()
