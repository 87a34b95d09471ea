#!/usr/bin/env python3
"""Brings jemalloc for the tests, the demo and the benchmarks: DL4J trains 1.8-3.2x slower on glibc's malloc (bench/results/model.txt).

Usage: preload.py DIRECTORY

Makes DIRECTORY/preload.so, the library the build's test JVMs get as LD_PRELOAD (see the parent pom):
  1. the machine's own libjemalloc.so.2 when it has one (apt-get install libjemalloc2);
  2. else Debian bookworm's libjemalloc2 package, downloaded once from the Debian registry, checked against the SHA-256
     of Debian's signed package index (pinned below), unpacked to DIRECTORY/libjemalloc.so.2;
  3. else (no network, another architecture) the C library itself, which every process has loaded already: preloading
     it changes nothing, so an offline build runs as before, only slower, and says so once.
Idempotent: a second run with preload.so in place does nothing.
"""
import hashlib
import io
import lzma
import os
import platform
import subprocess
import sys
import tarfile
import urllib.request

MIRROR = "http://deb.debian.org/debian/pool/main/j/jemalloc/"
PACKAGES = {  # machine -> (Debian architecture, file, SHA-256 from bookworm's Packages index)
    "x86_64": ("x86_64-linux-gnu", "libjemalloc2_5.3.0-1_amd64.deb",
               "a4117c23c5c8acf6c9678a6cb086f000b79476369da7efe8a78a70826956ad3d"),
    "aarch64": ("aarch64-linux-gnu", "libjemalloc2_5.3.0-1_arm64.deb",
                "866eba7688ec5cbb98200a05540c4909df6320557371b634b5d394cd32b9f252"),
}


def installed_jemalloc():
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in listing.splitlines():
        if line.strip().startswith("libjemalloc.so.2 ") and "=>" in line:
            path = line.split("=>", 1)[1].strip()
            if os.path.isfile(path):
                return path
    return None


def deb_member(deb, prefix):
    """The bytes of the member of an ar archive (a .deb) whose name starts with prefix."""
    if deb[:8] != b"!<arch>\n":
        raise ValueError("not an ar archive")
    offset = 8
    while offset + 60 <= len(deb):
        header = deb[offset:offset + 60]
        name = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        if name.startswith(prefix):
            return name, deb[offset + 60:offset + 60 + size]
        offset += 60 + size + (size % 2)
    raise ValueError("no " + prefix + " member")


def downloaded_jemalloc(directory):
    target = os.path.join(directory, "libjemalloc.so.2")
    if os.path.isfile(target):
        return target
    machine = platform.machine()
    if machine not in PACKAGES:
        raise ValueError("no pinned package for " + machine)
    triplet, name, sha256 = PACKAGES[machine]
    with urllib.request.urlopen(MIRROR + name, timeout=20) as response:
        deb = response.read()
    if hashlib.sha256(deb).hexdigest() != sha256:
        raise ValueError(name + " does not match its pinned SHA-256")
    member, data = deb_member(deb, "data.tar")
    if not member.endswith(".xz"):
        raise ValueError("unexpected " + member)
    with tarfile.open(fileobj=io.BytesIO(lzma.decompress(data))) as archive:
        library = archive.extractfile("./usr/lib/" + triplet + "/libjemalloc.so.2").read()
    partial = target + ".partial"
    with open(partial, "wb") as out:
        out.write(library)
    os.replace(partial, target)
    return target


def c_library():
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if os.path.basename(path).startswith("libc.so"):
                return path
    raise ValueError("no C library in /proc/self/maps")


def main(directory):
    os.makedirs(directory, exist_ok=True)
    link = os.path.join(directory, "preload.so")
    if os.path.exists(link):
        return 0
    chosen = installed_jemalloc()
    if chosen is None:
        try:
            chosen = downloaded_jemalloc(directory)
        except (OSError, ValueError, lzma.LZMAError, tarfile.TarError, KeyError) as failure:
            chosen = c_library()
            print("jemalloc unavailable (" + str(failure) + "): tests run on glibc's malloc, DL4J about 1.8-3.2x slower (mvn clean retries)",
                  file=sys.stderr)
    temporary = link + ".new"
    if os.path.lexists(temporary):
        os.remove(temporary)
    os.symlink(chosen, temporary)
    os.replace(temporary, link)
    print("preload: " + chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
