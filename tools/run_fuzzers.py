#!/usr/bin/env python3
"""Runs the libFuzzer targets of //fuzz for a bounded time each.

For each target NAME (every fuzz/corpus/NAME/ directory, or the one given) the seed corpus
is copied to a temporary directory, so the tree stays clean, and out/Fuzz/NAME runs on it
with fuzz/dicts/NAME.dict for --seconds. A crash, leak, sanitizer report, timeout (10 s on
one input) or out-of-memory is a finding (leaks inside system libraries listed in
fuzz/lsan_suppressions.txt excepted): its input is kept in out/Fuzz/findings/NAME/ and
the script exits non-zero. Prints each target's execs, execs/s and coverage (libFuzzer's
final cov: and ft:).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def list_targets():
    corpus_root = os.path.join(ROOT, "fuzz", "corpus")
    return sorted(name for name in os.listdir(corpus_root)
                  if os.path.isdir(os.path.join(corpus_root, name)))


def run_target(out_dir, name, seconds):
    binary = os.path.join(out_dir, name)
    dictionary = os.path.join(ROOT, "fuzz", "dicts", name + ".dict")
    seeds = os.path.join(ROOT, "fuzz", "corpus", name)
    for path in (binary, dictionary):
        if not os.path.exists(path):
            return {"name": name, "error": "missing " + os.path.relpath(path, ROOT)}
    with tempfile.TemporaryDirectory(prefix="prewarm-fuzz-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(seeds, corpus)
        artifacts = os.path.join(tmp, "artifacts")
        os.mkdir(artifacts)
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        env.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(
            ROOT, "fuzz", "lsan_suppressions.txt"))
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        command = [binary, "-max_total_time=%d" % seconds, "-timeout=10",
                   "-rss_limit_mb=2048", "-print_final_stats=1",
                   "-dict=" + dictionary, "-artifact_prefix=" + artifacts + "/",
                   corpus]
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=env, text=True, errors="replace")
        log = proc.stdout
        result = {"name": name, "returncode": proc.returncode}
        execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
        speed = re.search(r"stat::average_exec_per_sec:\s*(\d+)", log)
        coverage = re.findall(r"cov: (\d+) ft: (\d+)", log)
        result["execs"] = int(execs.group(1)) if execs else 0
        result["execs_per_sec"] = int(speed.group(1)) if speed else 0
        result["cov"], result["ft"] = coverage[-1] if coverage else ("?", "?")
        findings = os.listdir(artifacts)
        if proc.returncode != 0 or findings:
            kept = os.path.join(out_dir, "findings", name)
            os.makedirs(kept, exist_ok=True)
            for finding in findings:
                shutil.copy(os.path.join(artifacts, finding), kept)
            with open(os.path.join(kept, "log.txt"), "w") as f:
                f.write(log)
            result["error"] = "finding (%s); input and log in %s" % (
                ", ".join(findings) or "exit %d" % proc.returncode,
                os.path.relpath(kept, ROOT))
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out/Fuzz")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("target", nargs="?")
    args = parser.parse_args()
    targets = list_targets()
    if args.target:
        if args.target not in targets:
            print("unknown fuzz target '%s' (one of: %s)" % (args.target, ", ".join(targets)),
                  file=sys.stderr)
            return 2
        targets = [args.target]
    failed = 0
    for name in targets:
        result = run_target(os.path.join(ROOT, args.out), name, args.seconds)
        if "error" in result and "execs" not in result:
            print("%-28s %s" % (name, result["error"]))
            failed += 1
            continue
        print("%-28s %10d execs %7d/s  cov: %-6s ft: %-6s %s" % (
            name, result["execs"], result["execs_per_sec"], result["cov"], result["ft"],
            "FAIL: " + result["error"] if "error" in result else "ok"), flush=True)
        failed += "error" in result
    print("%d fuzz targets, %d with findings" % (len(targets), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
