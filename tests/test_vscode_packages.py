"""The five platform .vsix files `npm run package` builds (scripts/test builds them): each one's
compiled Python modules are built for its platform's machine and for the CPython version whose
directory holds them, and every supported CPython version has its own."""

from __future__ import annotations

import os
import re
import struct
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VSIX_DIR = REPO / "editors" / "vscode" / "vsix"
NEWEST_PYTHON = 14  # as in editors/vscode/scripts/bundle-python.mjs

# target -> (binary format, machine the binaries must be built for, file-name platform suffix)
TARGETS = {
    "linux-x64": ("elf", 62, r"x86_64-linux-gnu\.so"),  # EM_X86_64
    "linux-arm64": ("elf", 183, r"aarch64-linux-gnu\.so"),  # EM_AARCH64
    "darwin-x64": ("macho", 0x01000007, r"darwin\.so"),  # CPU_TYPE_X86_64
    "darwin-arm64": ("macho", 0x0100000C, r"darwin\.so"),  # CPU_TYPE_ARM64
    "win32-x64": ("pe", 0x8664, r"win_amd64\.pyd"),  # IMAGE_FILE_MACHINE_AMD64
}
COMPILED = re.compile(r"\.(so|pyd|dylib)$")


def _supported_tags() -> list[str]:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    oldest = re.search(r'^requires-python\s*=\s*">=\s*3\.(\d+)"', pyproject, re.M)
    assert oldest, "requires-python is not '>=3.N'"
    return [f"cp3{minor}" for minor in range(int(oldest.group(1)), NEWEST_PYTHON + 1)]


def _machines(data: bytes, fmt: str) -> set[int]:
    """The machine(s) a compiled module runs on, read from its header; empty if not `fmt`."""
    if fmt == "elf" and data[:4] == b"\x7fELF":
        order = "<" if data[5] == 1 else ">"
        return {struct.unpack_from(f"{order}H", data, 18)[0]}
    if fmt == "macho":
        if data[:4] == b"\xcf\xfa\xed\xfe":  # 64-bit, little-endian
            return {struct.unpack_from("<i", data, 4)[0]}
        if data[:4] == b"\xca\xfe\xba\xbe":  # universal: one slice per architecture
            count = struct.unpack_from(">I", data, 4)[0]
            return {struct.unpack_from(">i", data, 8 + 20 * i)[0] for i in range(count)}
    if fmt == "pe" and data[:2] == b"MZ":
        offset = struct.unpack_from("<I", data, 0x3C)[0]
        if data[offset : offset + 4] == b"PE\0\0":
            return {struct.unpack_from("<H", data, offset + 4)[0]}
    return set()


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_each_platform_vsix_carries_modules_built_for_it(target: str) -> None:
    vsix = VSIX_DIR / f"design-lsp-{target}.vsix"
    if not vsix.exists():
        message = f"{vsix.name} is not built (npm run package in editors/vscode; scripts/test)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    fmt, machine, suffix = TARGETS[target]
    with zipfile.ZipFile(vsix) as archive:
        manifest = archive.read("extension.vsixmanifest").decode("utf-8")
        assert f'TargetPlatform="{target}"' in manifest
        names = archive.namelist()
        compiled = [n for n in names if COMPILED.search(n)]
        assert compiled, "no compiled module at all: pydantic-core is one"
        for name in compiled:
            where = re.match(r"extension/bundled/native/(cp3\d+)/", name)
            assert where, f"{name}: a compiled module outside bundled/native/<cpython tag>/"
            tag = where.group(1)
            file = name.rsplit("/", 1)[1]
            # _x.cpython-312-x86_64-linux-gnu.so, _x.cpython-312-darwin.so, _x.cp312-win_amd64.pyd
            assert re.search(rf"\.(cpython-{tag[2:]}-|{tag}-){suffix}$", file) or re.search(
                r"\.abi3\.so$", file
            ), f"{name}: not a {tag} module for {target}"
            found = _machines(archive.read(name), fmt)
            assert machine in found, f"{name}: built for {found or 'another format'}, not {target}"
        for tag in _supported_tags():
            prefix = f"extension/bundled/native/{tag}/pydantic_core/"
            assert any(n.startswith(prefix) and COMPILED.search(n) for n in names), (
                f"{target}: no pydantic-core for {tag}"
            )
        assert "extension/bundled/libs/design_lsp/server.py" in names
