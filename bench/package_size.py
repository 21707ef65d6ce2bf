"""Deploy package size (DESIGN.md budget: as small as possible): the zip `make package` builds, and what fills it.

    python bench/package_size.py            # measure dist/icp-filing-dev.zip (built first when missing)
    python bench/package_size.py --build    # run `make package` first
"""
from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dist" / "icp-filing-dev.zip"


def breakdown(path: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """Return (zip bytes, files, [(top-level entry, compressed bytes)] largest first)."""
    sizes: collections.Counter[str] = collections.Counter()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        for info in infos:
            top = info.filename.split("/")[0]
            sizes["*.dist-info" if top.endswith(".dist-info") else top] += info.compress_size
    return path.stat().st_size, len(infos), sizes.most_common()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run `make package` first")
    parser.add_argument("--top", type=int, default=15, help="how many of the largest entries to list")
    args = parser.parse_args(argv)
    if args.build or not PACKAGE.exists():
        subprocess.run(["make", "package"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    total, files, entries = breakdown(PACKAGE)
    print(f"{PACKAGE.relative_to(ROOT)}: {total:,} bytes ({total / 2**20:.2f} MiB), {files} files")
    for name, size in entries[: args.top]:
        print(f"  {size / 1024:9.0f} KiB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
