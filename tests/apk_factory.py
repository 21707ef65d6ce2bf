"""Real signed APKs for the tests: a binary manifest (pyaxml), a ZIP, zipalign, keytool keys and apksigner.

`build(folder)` makes every variant the tests read once and returns their paths by name; `missing_tools()` says
what is not installed (Debian: apksigner, zipalign, a JRE for keytool; PyPI: pyaxml). Nothing here is product code.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "cn.example.shop"
STORE_PASSWORD = "test-store-password"

# alias -> (keytool key options, distinguished name)
KEYS = {
    "release": (["-keyalg", "RSA", "-keysize", "2048"], "CN=Example Shop Release,O=Example Shop,C=CN"),
    "ec": (["-keyalg", "EC", "-groupname", "secp256r1"], "CN=Example Shop EC,O=Example Shop,C=CN"),
    "other": (["-keyalg", "RSA", "-keysize", "2048"], "CN=Someone Else,O=Other,C=CN"),
    # the subject Android's SDK gives every developer's debug keystore
    "debug": (["-keyalg", "RSA", "-keysize", "2048"], "CN=Android Debug,O=Android,C=US"),
}

# a stored (uncompressed) random asset that makes the "large" APK 5 MB, so a whole-file read would show
BIG_ASSET_BYTES = 5 * 1024 * 1024


def missing_tools() -> list[str]:
    """The tools building the APKs needs that are not installed."""
    missing = [tool for tool in ("apksigner", "zipalign", "keytool") if shutil.which(tool) is None]
    try:
        import pyaxml  # noqa: F401
    except ImportError:
        missing.append("pyaxml (pip)")
    return missing


def manifest(package: str | None = PACKAGE) -> bytes:
    """A binary AndroidManifest.xml for `package` (none when None), as aapt2 would compile it."""
    import pyaxml
    from lxml import etree

    package_attribute = f' package="{package}"' if package else ""
    xml = ('<manifest xmlns:android="http://schemas.android.com/apk/res/android"'
           f'{package_attribute} android:versionCode="1" android:versionName="1.0">'
           '<uses-sdk android:minSdkVersion="21"/><application android:label="Example Shop"/></manifest>')
    axml = pyaxml.AXML()
    axml.from_xml(etree.fromstring(xml.encode()))
    return axml.pack()


def _zip(path: Path, members: dict[str, bytes], stored: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        for name, data in (stored or {}).items():
            archive.writestr(name, data, zipfile.ZIP_STORED)
    return path


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@dataclass
class Factory:
    """Builds APK variants in one folder with one keystore."""

    folder: Path

    @property
    def keystore(self) -> Path:
        """The PKCS#12 keystore holding every key of KEYS."""
        return self.folder / "keys.p12"

    def make_keys(self) -> None:
        """Generate every key of KEYS with keytool."""
        for alias, (options, name) in KEYS.items():
            _run("keytool", "-genkeypair", "-noprompt", "-storetype", "PKCS12", "-keystore", str(self.keystore),
                 "-storepass", STORE_PASSWORD, "-alias", alias, *options, "-validity", "10000", "-dname", name)

    def certificate(self, alias: str) -> bytes:
        """The DER certificate of a key, as keytool exports it."""
        out = self.folder / f"{alias}.der"
        _run("keytool", "-exportcert", "-keystore", str(self.keystore), "-storepass", STORE_PASSWORD,
             "-alias", alias, "-file", str(out))
        return out.read_bytes()

    def unsigned(self, name: str, members: dict[str, bytes], stored: dict[str, bytes] | None = None) -> Path:
        """Zip and zipalign members into <name>.apk, unsigned."""
        raw = _zip(self.folder / f"{name}.zip", members, stored)
        aligned = self.folder / f"{name}.apk"
        _run("zipalign", "-p", "-f", "4", str(raw), str(aligned))
        raw.unlink()
        return aligned

    def sign(self, source: Path, name: str, *aliases: str, v1: bool = True, v2: bool = True,
             v3: bool = True) -> Path:
        """Sign source with apksigner (one signer per alias) into <name>.apk."""
        out = self.folder / f"{name}.apk"
        signers: list[str] = []
        for n, alias in enumerate(aliases):
            if n:
                signers.append("--next-signer")
            signers += ["--ks", str(self.keystore), "--ks-pass", f"pass:{STORE_PASSWORD}", "--ks-key-alias", alias]
        _run("apksigner", "sign", *signers, "--v1-signing-enabled", str(v1).lower(),
             "--v2-signing-enabled", str(v2).lower(), "--v3-signing-enabled", str(v3).lower(),
             "--out", str(out), str(source))
        Path(f"{out}.idsig").unlink(missing_ok=True)
        return out

    def rotated(self, source: Path, name: str, old: str, new: str) -> Path:
        """Sign source with a key rotated from old to new (v1 and v2 by old, v3 by new, with the lineage)."""
        lineage = self.folder / f"{name}.lineage"
        keys = {alias: ["--ks", str(self.keystore), "--ks-pass", f"pass:{STORE_PASSWORD}", "--ks-key-alias", alias]
                for alias in (old, new)}
        _run("apksigner", "rotate", "--out", str(lineage), "--old-signer", *keys[old], "--new-signer", *keys[new])
        out = self.folder / f"{name}.apk"
        _run("apksigner", "sign", *keys[old], "--next-signer", *keys[new], "--lineage", str(lineage),
             "--out", str(out), str(source))
        Path(f"{out}.idsig").unlink(missing_ok=True)
        return out


def _central_directory(data: bytes) -> tuple[int, int, int]:
    """(end record offset, central directory size, central directory offset) of a ZIP without a comment."""
    end = len(data) - 22
    assert data[end:end + 4] == b"PK\x05\x06"
    size, offset = struct.unpack_from("<LL", data, end + 12)
    return end, size, offset


def splice(v1_signed: Path, v2_signed: Path, out: Path) -> Path:
    """The entries of a v1-signed APK (its META-INF) with the APK Signing Block of another APK.

    apksigner drops an APK's v1 signature when it adds v2 alone, and refuses to sign the schemes with different
    keys; so this APK is put together: its structure is real, its v2 signature does not verify.
    """
    one, two = v1_signed.read_bytes(), v2_signed.read_bytes()
    end, size, offset = _central_directory(one)
    _end2, _size2, offset2 = _central_directory(two)
    (block_size,) = struct.unpack_from("<Q", two, offset2 - 24)
    block = two[offset2 - block_size - 8:offset2]
    # the v1 entries, padded to 4096 as apksigner aligns the block, then the borrowed block, then the directory
    entries = one[:offset]
    entries += b"\0" * (-len(entries) % 4096)  # zip readers ignore bytes between entries and the block
    record = bytearray(one[end:])
    struct.pack_into("<L", record, 16, len(entries) + len(block))
    out.write_bytes(entries + block + one[offset:offset + size] + bytes(record))
    return out


def build(folder: Path) -> dict[str, Path]:
    """Every APK variant the tests read, by name (apksigner runs a few at a time: each starts a JVM)."""
    from concurrent.futures import ThreadPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    factory = Factory(folder)
    factory.make_keys()
    app = {"AndroidManifest.xml": manifest(), "classes.dex": b"dex\n035\0" + bytes(104)}
    base = factory.unsigned("unsigned", app)
    big = factory.unsigned("big_unsigned", app, stored={"assets/big.bin": os.urandom(BIG_ASSET_BYTES)})
    no_package = factory.unsigned("no_package_unsigned", {**app, "AndroidManifest.xml": manifest(None)})
    signings = {
        "v1_v2_v3": lambda: factory.sign(base, "v1_v2_v3", "release"),
        "v1_only": lambda: factory.sign(base, "v1_only", "release", v2=False, v3=False),
        "v2_only": lambda: factory.sign(base, "v2_only", "release", v1=False, v3=False),
        "v3_only": lambda: factory.sign(base, "v3_only", "release", v1=False, v2=False),
        "ec": lambda: factory.sign(base, "ec", "ec"),
        "debug": lambda: factory.sign(base, "debug", "debug"),
        "two_signers": lambda: factory.sign(base, "two_signers", "release", "other", v3=False),
        "ec_v2_only": lambda: factory.sign(base, "ec_v2_only", "ec", v1=False, v3=False),
        "rotated": lambda: factory.rotated(base, "rotated", "release", "other"),
        "large": lambda: factory.sign(big, "large", "release"),
        "no_package": lambda: factory.sign(no_package, "no_package", "release"),
    }
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1)) as pool:
        futures = {name: pool.submit(make) for name, make in signings.items()}
        apks = {"unsigned": base, **{name: future.result() for name, future in futures.items()}}
    apks["schemes_differ"] = splice(apks["v1_only"], apks.pop("ec_v2_only"), folder / "schemes_differ.apk")
    data = apks["large"].read_bytes()
    (folder / "truncated.apk").write_bytes(data[:len(data) // 2])
    apks["truncated"] = folder / "truncated.apk"
    (folder / "text.apk").write_text("These are my release notes, not an app.\n" * 50)
    apks["text"] = folder / "text.apk"
    apks["no_manifest"] = factory.unsigned("no_manifest", {"classes.dex": app["classes.dex"]})
    apks["app_bundle"] = _zip(folder / "app_bundle.apk", {"base/manifest/AndroidManifest.xml": manifest(),
                                                          "BundleConfig.pb": b""})
    return apks


@dataclass(frozen=True)
class Printed:
    """What `apksigner verify --print-certs -v` says of an APK's first signer."""

    verifies: bool
    schemes: frozenset[str]
    signers: int
    md5: str
    sha1: str
    sha256: str
    key_algorithm: str


def apksigner_verify(path: Path, min_sdk: int | None = None) -> Printed:
    """Run `apksigner verify --print-certs -v` and read its answer (for Android min_sdk and later, when given:
    an APK without v1 verifies only from Android 7, API 24; one with v3 alone from Android 9, API 28)."""
    sdk = ["--min-sdk-version", str(min_sdk)] if min_sdk else []
    result = subprocess.run(["apksigner", "verify", "--print-certs", "-v", *sdk, str(path)], capture_output=True,
                            text=True)
    out = result.stdout

    def line(label: str) -> str:
        match = re.search(rf"^Signer #1 {label}: (.+)$", out, re.MULTILINE)
        return match.group(1).strip() if match else ""

    schemes = frozenset(s for s in ("v1", "v2", "v3")
                        if re.search(rf"Verified using {s} scheme.*: true", out))
    signers = re.search(r"Number of signers: (\d+)", out)
    return Printed(verifies=result.returncode == 0 and out.startswith("Verifies"), schemes=schemes,
                   signers=int(signers.group(1)) if signers else 0, md5=line("certificate MD5 digest"),
                   sha1=line("certificate SHA-1 digest"), sha256=line("certificate SHA-256 digest"),
                   key_algorithm=line("key algorithm"))


def fingerprints(der: bytes) -> tuple[str, str, str]:
    """(MD5, SHA-1, SHA-256) of a DER certificate as plain lower-case hex, as apksigner prints them."""
    return (hashlib.md5(der).hexdigest(), hashlib.sha1(der).hexdigest(), hashlib.sha256(der).hexdigest())


def release_apk(folder: Path) -> Path:
    """One release APK (v1+v2+v3, the release key) in folder, for the view and browser tests of the app order."""
    factory = Factory(folder)
    factory.make_keys()
    unsigned = factory.unsigned("unsigned", {"AndroidManifest.xml": manifest(), "classes.dex": b"dex\n035\0" + bytes(104)})
    return factory.sign(unsigned, "release", "release")
