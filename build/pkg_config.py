#!/usr/bin/env python3
"""Turns pkg-config output into a JSON list GN can read with exec_script.

Output: [cflags, libs, lib_dirs, ldflags]. Include directories become -isystem flags so
that third-party headers never trip our -Werror warnings.
"""
import json
import subprocess
import sys


def main(argv):
    modules = argv[1:]
    try:
        cflags = subprocess.check_output(
            ["pkg-config", "--cflags"] + modules, text=True).split()
        libs_out = subprocess.check_output(
            ["pkg-config", "--libs"] + modules, text=True).split()
    except (OSError, subprocess.CalledProcessError) as error:
        sys.stderr.write("pkg-config failed for %s: %s\n"
                         "Run build/install-build-deps.sh first.\n" %
                         (" ".join(modules), error))
        return 1
    out_cflags = []
    for flag in cflags:
        if flag.startswith("-I"):
            out_cflags += ["-isystem", flag[2:]]
        else:
            out_cflags.append(flag)
    libs, lib_dirs, ldflags = [], [], []
    for flag in libs_out:
        if flag.startswith("-l"):
            libs.append(flag[2:])
        elif flag.startswith("-L"):
            lib_dirs.append(flag[2:])
        elif "--push-state" in flag or "--pop-state" in flag:
            # GN reorders flags; a state push/pop pair would end up adjacent and useless.
            continue
        else:
            ldflags.append(flag)
    json.dump([out_cflags, libs, lib_dirs, ldflags], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
