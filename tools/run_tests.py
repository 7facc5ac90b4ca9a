#!/usr/bin/env python3
"""Runs every gtest binary in an output directory and sums the results.

Each *_unittests executable runs with --gtest_output=json; the script prints each suite's
line, then the failures, then a closing `N passed, N failed` line. Exits non-zero when
any test failed, a binary crashed, or a binary outlived its time limit.

Each binary runs in a session of its own with its output in a file: a suite that hangs
is killed with everything it started once --suite-timeout passes, and a server a
crashed suite left running cannot stall the run by holding a pipe open.
"""
import argparse
import json
import os
import signal
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


def run_suite(path, extra_args, timeout):
    with tempfile.TemporaryDirectory(prefix="prewarm-test-") as tmp:
        report = os.path.join(tmp, "report.json")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        start = time.monotonic()
        timed_out = False
        with open(os.path.join(tmp, "output.txt"), "w+", errors="replace") as output:
            proc = subprocess.Popen([path, "--gtest_output=json:" + report] + extra_args,
                                    stdout=output, stderr=subprocess.STDOUT, env=env,
                                    start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            # Whatever the suite started and left behind goes with it.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            output.seek(0)
            proc.stdout = output.read()
            if timed_out:
                proc.stdout += "\n[run_tests: killed after %d s]\n" % timeout
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
        return proc, elapsed, passed, failed, skipped, failures, timed_out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--suite-timeout", type=int, default=900,
                        help="seconds one binary may run before it is killed")
    args, extra = parser.parse_known_args()
    suites = find_suites(args.out)
    if not suites:
        print("run_tests: no *_unittests binaries in %s" % args.out)
        print("0 passed, 1 failed")
        return 1
    total_passed = total_failed = total_skipped = 0
    broken = []
    for path in suites:
        proc, elapsed, passed, failed, skipped, failures, timed_out = run_suite(
            path, extra, args.suite_timeout)
        name = os.path.basename(path)
        crashed = proc.returncode != 0 and failed == 0
        if timed_out:
            status = "TIMED OUT"
        elif proc.returncode == 0:
            status = "ok"
        else:
            status = "CRASHED" if crashed else "FAILED"
        print("%-36s %5d passed %3d failed %3d skipped  %6.1fs  %s" %
              (name, passed, failed, skipped, elapsed, status), flush=True)
        if proc.returncode != 0 or timed_out:
            tail = proc.stdout[-6000:]
            print("---- %s output (tail) ----\n%s\n---- end ----" % (name, tail))
            broken.append(name)
            if timed_out:
                failed = max(failed, 1)
                failures.append(name + " (killed after %d s)" % args.suite_timeout)
            elif crashed:
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
