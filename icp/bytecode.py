"""The deploy package's compiled bytecode: Zappa's `zip` callback adds a .pyc beside every .py it packed.

Zappa packs sources only (its excludes drop the build machine's __pycache__, whose timestamp-checked files
would not match the times the zip gives the sources). Without bytecode, every cold start compiles every
module it imports: twice the CPU of the first call. The files added here are *unchecked hash-based* pycs
(PEP 552): Python loads them without looking at the source's time or contents, which is what a read-only
/var/task holding exactly what was built needs. They are made by the Python that packs the zip, which
must be the runtime's (zappa_settings.json "runtime"; tests/test_zappa.py checks they agree).
"""
from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import tempfile
import zipfile

# where Lambda unpacks the package: the file names tracebacks show
TASK_ROOT = "/var/task"
# PEP 552 flags: bit 0 = hash-based, bit 1 = check the source; unchecked hash-based = 0b01
_UNCHECKED_HASH = (1).to_bytes(4, "little")


def pyc_name(source_name: str) -> str:
    """The archive name of a source's bytecode for this interpreter ("a/b.py" -> "a/__pycache__/b.cpython-311.pyc")."""
    return importlib.util.cache_from_source(source_name)


def bytecode(source: bytes, filename: str) -> bytes:
    """An unchecked hash-based pyc of `source`, compiled as if it were `filename`."""
    code = compile(source, filename, "exec", dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + _UNCHECKED_HASH + importlib.util.source_hash(source) + marshal.dumps(code)


def add_bytecode(zip_path: str) -> tuple[int, int]:
    """Rewrite the zip with a pyc for each .py that has none; return (pycs added, sources that do not compile)."""
    added = failed = 0
    directory = os.path.dirname(os.path.abspath(zip_path))
    fd, temporary = tempfile.mkstemp(suffix=".zip", dir=directory)
    os.close(fd)
    try:
        with zipfile.ZipFile(zip_path) as source, \
                zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            names = set(source.namelist())
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info, data, zipfile.ZIP_DEFLATED)
                if not info.filename.endswith(".py") or pyc_name(info.filename) in names:
                    continue
                try:
                    compiled = bytecode(data, f"{TASK_ROOT}/{info.filename}")
                except (SyntaxError, ValueError):
                    failed += 1  # a file no import can load anyway (e.g. a template for another Python)
                    continue
                pyc = zipfile.ZipInfo(pyc_name(info.filename), date_time=info.date_time)
                pyc.create_system, pyc.external_attr = info.create_system, info.external_attr
                target.writestr(pyc, compiled, zipfile.ZIP_DEFLATED)
                added += 1
        os.chmod(temporary, os.stat(zip_path).st_mode & 0o777)  # mkstemp made it owner-only
        os.replace(temporary, zip_path)
    except BaseException:
        os.unlink(temporary)
        raise
    return added, failed


def compile_bytecode(zappa_cli) -> None:
    """Zappa's `callbacks.zip` entry: add bytecode to the package just built (`zappa package|deploy|update`)."""
    runtime = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if zappa_cli.runtime != runtime:
        raise RuntimeError(f"bytecode is made by the packing Python ({runtime}); the stage runs {zappa_cli.runtime}")
    added, failed = add_bytecode(zappa_cli.zip_path)
    print(f"bytecode: {added} modules compiled for {runtime}, {failed} skipped (do not compile)")
