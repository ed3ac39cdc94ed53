"""Wheels for one VS Code target and one CPython version, fetched from the package index.

    python wheels.py fetch DEST TARGET PYTHON_VERSION REQUIREMENT...
        Downloads into DEST the wheels that REQUIREMENTs need on TARGET (a `vsce --target`, e.g.
        win32-x64) under CPython PYTHON_VERSION, with `pip download --platform --python-version
        --only-binary=:all:`, and writes DEST/wheels.json (the closure, as file names).
    python wheels.py unpack DEST WHEEL...
        Unpacks wheels into DEST as `pip install --target` lays them out.
    python wheels.py requires WHEEL
        Prints the wheel's Requires-Dist lines as JSON.

pip evaluates environment markers (`; python_version < "3.11"`) against the interpreter running
it, not the target: the closure is recomputed here from each wheel's own metadata under the
target's markers, and what pip missed is fetched with everything already chosen pinned.
Only the standard library and pip (whose vendored `packaging` reads requirements) are needed.
"""

from __future__ import annotations

import email.parser
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # a bare interpreter: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import (  # type: ignore[no-redef]
        canonicalize_name,
        parse_wheel_filename,
    )

# pip platform tags per target (several: pip expands only manylinux2014 and macOS versions), and
# the marker environment of a machine of that kind.
TARGETS: dict[str, tuple[list[str], dict[str, str]]] = {
    "linux-x64": (
        ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
        {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"},
    ),
    "linux-arm64": (
        ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
        {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "aarch64"},
    ),
    "darwin-x64": (
        ["macosx_10_15_x86_64"],
        {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "x86_64"},
    ),
    "darwin-arm64": (
        ["macosx_11_0_arm64"],
        {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"},
    ),
    "win32-x64": (
        ["win_amd64"],
        {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"},
    ),
}


def _environment(target: str, version: str) -> dict[str, str]:
    env = dict(TARGETS[target][1])
    env |= {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "os_name": "nt" if env["sys_platform"] == "win32" else "posix",
        "extra": "",
    }
    return env


def _requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def _applies(requirement: Requirement, env: dict[str, str]) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(env)


def _closure(
    roots: list[Requirement], wheels: dict[str, Path], env: dict[str, str]
) -> tuple[set[str], set[str]]:
    """The wheels the roots need under `env`, and the names needed but not downloaded."""
    needed: set[str] = set()
    missing: set[str] = set()
    todo = [r for r in roots if _applies(r, env)]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in needed or name in missing:
            continue
        if name not in wheels:
            missing.add(name)
            continue
        needed.add(name)
        for line in _requires(wheels[name]):
            dependency = Requirement(line)
            if _applies(dependency, env):
                todo.append(dependency)
    return needed, missing


def fetch(dest: Path, target: str, version: str, requirements: list[str]) -> None:
    platforms, _ = TARGETS[target]
    env = _environment(target, version)
    roots = [Requirement(r) for r in requirements]
    dest.mkdir(parents=True, exist_ok=True)
    wanted = [str(r) for r in roots if _applies(r, env)]
    for _ in range(5):
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                "--dest", str(dest), "--only-binary=:all:", "--implementation", "cp",
                "--python-version", version,
                *(arg for p in platforms for arg in ("--platform", p)),
                *wanted,
            ],
            check=True,
        )
        wheels = {canonicalize_name(parse_wheel_filename(w.name)[0]): w for w in dest.glob("*.whl")}
        needed, missing = _closure(roots, wheels, env)
        if not missing:
            files = sorted(wheels[n].name for n in needed)
            (dest / "wheels.json").write_text(json.dumps(files, indent=1) + "\n", encoding="utf-8")
            return
        # Fetch what pip's host-side markers skipped, keeping every version already chosen.
        pins = [f"{n}=={parse_wheel_filename(wheels[n].name)[1]}" for n in sorted(needed)]
        wanted = [*pins, *sorted(missing)]
    raise SystemExit(f"{target} cp{version}: the dependency closure did not settle")


def unpack(dest: Path, wheels: list[Path]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(dest)
        # `<name>.data/{purelib,platlib}` belong at the top; scripts and headers are not needed.
        for data in dest.glob("*.data"):
            for lib in ("purelib", "platlib"):
                if (data / lib).is_dir():
                    shutil.copytree(data / lib, dest, dirs_exist_ok=True)
            shutil.rmtree(data)


def main(argv: list[str]) -> None:
    command, dest, *rest = argv
    if command == "fetch":
        target, version, *requirements = rest
        fetch(Path(dest), target, version, requirements)
    elif command == "unpack":
        unpack(Path(dest), [Path(w) for w in rest])
    elif command == "requires":
        print(json.dumps(_requires(Path(dest))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
