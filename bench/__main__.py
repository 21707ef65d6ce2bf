"""Run every benchmark (or the ones named) and print a summary: `make bench`, `python -m bench [name ...]`.

Benchmarks report; they do not fail the build over a budget. The exit status is 1 only when a benchmark
itself crashed.
"""
from __future__ import annotations

import importlib
import sys
import time
import traceback

from bench import _support  # noqa: F401  (first: scratch data folder and fake AWS credentials)
from bench._support import Result

NAMES = ("cold_start", "first_requests", "table_ops", "step_cpu", "sweep", "pages", "load", "package_size")


def package_size(out=sys.stdout) -> list[Result]:
    """The deploy package's size, only when `make package` has built it (this never builds it)."""
    from bench.package_size import PACKAGE, ROOT, breakdown

    if not PACKAGE.exists():
        print(f"Deploy package: {PACKAGE.relative_to(ROOT)} not built (run `make package`); skipped", file=out)
        return [Result("deploy package (zipped)", "not built", "as small as possible", None)]
    total, files, entries = breakdown(PACKAGE)
    print(f"Deploy package: {PACKAGE.relative_to(ROOT)}: {total:,} bytes ({total / 2**20:.2f} MiB), {files} files;"
          f" largest entries (compressed):", file=out)
    for name, size in entries[:10]:
        print(f"  {size / 1024:9.0f} KiB  {name}", file=out)
    return [Result("deploy package (zipped)", f"{total / 2**20:.2f} MiB ({files} files)", "as small as possible",
                   None)]


def main(argv: list[str]) -> int:
    wanted = argv or list(NAMES)
    unknown = [name for name in wanted if name not in NAMES]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(NAMES)}", file=sys.stderr)
        return 2
    results: list[Result] = []
    crashed: list[str] = []
    started = time.perf_counter()
    for name in wanted:
        print(f"==== {name} ====", flush=True)
        t0 = time.perf_counter()
        try:
            if name == "package_size":
                results += package_size()
            else:
                results += importlib.import_module(f"bench.{name}").run()
        except Exception:  # noqa: BLE001  (a crashed benchmark is reported; the others still run)
            traceback.print_exc()
            crashed.append(name)
            results.append(Result(name, "CRASHED", "", False))
        print(f"({name}: {time.perf_counter() - t0:.1f} s)\n", flush=True)

    print("==== summary ====")
    width = max(len(r.name) for r in results)
    figure_width = max(len(r.figure) for r in results)
    budget_width = max(len(r.budget) for r in results)
    for r in results:
        verdict = {True: "ok", False: "OVER", None: "(reported)"}[r.ok]
        if r.figure == "CRASHED":
            verdict = "CRASHED"
        print(f"  {r.name:<{width}}  {r.figure:<{figure_width}}  budget {r.budget:<{budget_width}}  {verdict}")
    over = [r.name for r in results if r.ok is False and r.figure != "CRASHED"]
    print(f"  {len(over)} over budget{': ' + '; '.join(over) if over else ''}; "
          f"total {time.perf_counter() - started:.0f} s")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
