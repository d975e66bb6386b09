#!/usr/bin/env python3
"""Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK) so that it loads where the
system's libstdc++ lacks that version.

    weak_glibcxx.py LIB.so [VERSION]     (VERSION defaults to GLIBCXX_3.4.32)

TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13 and lists GLIBCXX_3.4.32 among the versions it needs from
libstdc++.so.6; Debian 12's libstdc++ stops at 3.4.30, so the dynamic loader refuses the library. The requirement comes
from a marker symbol only, none of the functions it calls: with the flag set the loader warns nothing and resolves the
rest as before. The entry is found with `readelf -V` (section file offset + the entry's offset in .gnu.version_r) and
its 16-bit vna_flags field (4 bytes into an Elf64_Vernaux) is or'ed with VER_FLG_WEAK = 0x2 in place. Idempotent.
"""
import re
import subprocess
import sys

VER_FLG_WEAK = 0x2


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path, version = argv[1], argv[2] if len(argv) == 3 else "GLIBCXX_3.4.32"
    text = subprocess.run(["readelf", "-V", "-W", path], check=True, capture_output=True, text=True).stdout
    section = re.search(r"Version needs section '\.gnu\.version_r'.*?\n.*?Offset: (0x[0-9a-fA-F]+)", text)
    if not section:
        print(f"{path}: no .gnu.version_r section", file=sys.stderr)
        return 1
    base = int(section.group(1), 16)
    entry = re.search(r"^\s*(0x[0-9a-fA-F]+):\s+Name: " + re.escape(version) + r"\s+Flags: (\S+)", text[section.end():], re.M)
    if not entry:
        print(f"{path}: needs no {version}; left as it is")
        return 0
    offset = base + int(entry.group(1), 16) + 4
    with open(path, "r+b") as f:
        f.seek(offset)
        flags = int.from_bytes(f.read(2), "little")
        f.seek(offset)
        f.write((flags | VER_FLG_WEAK).to_bytes(2, "little"))
    print(f"{path}: {version} marked weak (flags 0x{flags:x} -> 0x{flags | VER_FLG_WEAK:x} at file offset 0x{offset:x})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
