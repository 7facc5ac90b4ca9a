#!/usr/bin/env python3
"""Runs every gtest binary in an output directory and sums the results.

Each *_unittests executable runs with --gtest_output=json; the script prints each suite's
line, then the failures, then a closing `N passed, N failed` line. Exits non-zero when
any test failed or a binary crashed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def find_suites(out_dir):
    suites = []
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if name.endswith("_unittests") and os.access(path, os.X_OK) \
                and os.path.isfile(path):
            suites.append(path)
    return suites


def run_suite(path, extra_args):
    with tempfile.TemporaryDirectory(prefix="prewarm-test-") as tmp:
        report = os.path.join(tmp, "report.json")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        start = time.monotonic()
        proc = subprocess.run([path, "--gtest_output=json:" + report] + extra_args,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=env, text=True, errors="replace")
        elapsed = time.monotonic() - start
        passed, failed, skipped, failures = 0, 0, 0, []
        if os.path.exists(report):
            with open(report) as f:
                data = json.load(f)
            for suite in data.get("testsuites", []):
                for test in suite.get("testsuite", []):
                    name = "%s.%s" % (suite["name"], test["name"])
                    if test.get("result") == "SKIPPED" or \
                            test.get("status") == "NOTRUN":
                        skipped += 1
                    elif test.get("failures"):
                        failed += 1
                        failures.append(name)
                    else:
                        passed += 1
        return proc, elapsed, passed, failed, skipped, failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args, extra = parser.parse_known_args()
    suites = find_suites(args.out)
    if not suites:
        print("run_tests: no *_unittests binaries in %s" % args.out)
        print("0 passed, 1 failed")
        return 1
    total_passed = total_failed = total_skipped = 0
    broken = []
    for path in suites:
        proc, elapsed, passed, failed, skipped, failures = run_suite(path, extra)
        name = os.path.basename(path)
        crashed = proc.returncode != 0 and failed == 0
        status = "ok" if proc.returncode == 0 else ("CRASHED" if crashed else "FAILED")
        print("%-36s %5d passed %3d failed %3d skipped  %6.1fs  %s" %
              (name, passed, failed, skipped, elapsed, status), flush=True)
        if proc.returncode != 0:
            tail = proc.stdout[-6000:]
            print("---- %s output (tail) ----\n%s\n---- end ----" % (name, tail))
            broken.append(name)
            if crashed:
                failed = 1
                failures.append(name + " (exit %d)" % proc.returncode)
        for failure in failures:
            print("  FAILED: " + failure)
        total_passed += passed
        total_failed += failed
        total_skipped += skipped
    line = "%d passed, %d failed" % (total_passed, total_failed)
    if total_skipped:
        line += ", %d skipped" % total_skipped
    print(line)
    return 1 if total_failed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
