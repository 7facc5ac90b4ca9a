#!/usr/bin/env python3
"""Runs every benchmark binary in an output directory and prints a table of medians.

It builds nothing (./prewarm bench builds out/Release first). Binaries named *_bench
and *_benchmark run. When the directory holds nginx_bench_server, that is started once
and the nginx clients get its URL and CA file (--nginx_url, --ca_file), so the prewarm and libcurl keep-alive benchmarks talk to
the same nginx with the same configuration. Each binary runs with Google Benchmark's
repetitions and reports the median of them; the prewarm/curl keep-alive ratio is
printed at the end.

  tools/run_benchmarks.py --out out/Release [--repetitions N] [--binary REGEX] [FILTER]

FILTER is a regular expression over benchmark names (BM_...), passed to
--benchmark_filter. --binary picks binaries by name (e.g. --binary socket_pool).
A FILTER that matches no benchmark, or a --binary that matches no binary, is an
error: an empty table would look like success.

Each binary writes its JSON report to a file of its own (--benchmark_out), so
whatever it prints on stdout or stderr cannot corrupt the report; that output is
shown only when the binary fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

SERVER_BINARY = "nginx_bench_server"
# Binaries that take --nginx_url/--ca_file; others reject unknown flags.
NGINX_CLIENTS = {"connection_bench", "curl_keepalive_bench"}
# Small harnesses that are not Google Benchmark binaries: they take their own flags
# (none needed here) and print their own figures, which are shown after the table.
HARNESS_BINARIES = {"hostile_client_bench", "ipc_benchmark", "latency_lab_bench"}
PREWARM_KEEPALIVE = "BM_PrewarmKeepAliveGet"
CURL_KEEPALIVE = "BM_CurlKeepAliveGet"
PREWARM_HTTP2 = "BM_PrewarmHttp2MultiplexedGets"
CURL_HTTP2 = "BM_CurlHttp2MultiplexedGets"


def find_benchmarks(out_dir):
    found = []
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if (name.endswith("_bench") or name.endswith("_benchmark")) and \
                os.path.isfile(path) and \
                os.access(path, os.X_OK):
            found.append(path)
    return found


def start_server(out_dir):
    """Starts nginx_bench_server; returns (process, {"nginx_url", "ca_file"}) or None."""
    path = os.path.join(out_dir, SERVER_BINARY)
    if not os.access(path, os.X_OK):
        return None, {}
    proc = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    line = proc.stdout.readline()
    try:
        info = json.loads(line)
    except json.JSONDecodeError:
        proc.kill()
        proc.wait()
        raise SystemExit("%s did not start nginx: %r" % (SERVER_BINARY, line))
    return proc, info


def stop_server(proc):
    if proc is None:
        return
    # Closing stdin tells the server to stop nginx and exit.
    proc.stdin.close()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_benchmark(path, server_info, repetitions, bench_filter):
    """Returns (report, None), (None, error) or (None, None) if nothing matched."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report_file:
        args = [path,
                "--benchmark_out=" + report_file.name,
                "--benchmark_out_format=json",
                "--benchmark_repetitions=%d" % repetitions,
                "--benchmark_report_aggregates_only=true"]
        if bench_filter:
            args.append("--benchmark_filter=" + bench_filter)
        if server_info and os.path.basename(path) in NGINX_CLIENTS:
            args += ["--nginx_url=" + server_info["nginx_url"],
                     "--ca_file=" + server_info["ca_file"]]
        proc = subprocess.run(args, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              errors="replace")
        if "Failed to match any benchmarks" in proc.stdout:
            return None, None
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:])
            if proc.returncode < 0:
                return None, "killed by signal %d" % -proc.returncode
            return None, "exit status %d" % proc.returncode
        try:
            with open(report_file.name) as f:
                return json.load(f), None
        except (OSError, json.JSONDecodeError) as e:
            sys.stderr.write(proc.stdout[-4000:])
            return None, "unreadable report (%s)" % e


STANDARD_KEYS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type",
    "repetitions", "threads", "aggregate_name", "aggregate_unit", "iterations",
    "real_time", "cpu_time", "time_unit", "repetition_index", "error_occurred",
    "error_message",
}


def medians(report):
    rows = []
    for entry in report.get("benchmarks", []):
        if entry.get("error_occurred"):
            rows.append({"name": entry.get("run_name", entry["name"]),
                         "error": entry.get("error_message", "error")})
            continue
        if entry.get("run_type") == "aggregate" and \
                entry.get("aggregate_name") != "median":
            continue
        # User counters are the numeric extras; a label is text.
        counters = {k: v for k, v in entry.items()
                    if k not in STANDARD_KEYS and
                    isinstance(v, (int, float)) and not isinstance(v, bool)}
        rows.append({"name": entry.get("run_name", entry["name"]),
                     "real_time": entry["real_time"],
                     "cpu_time": entry["cpu_time"],
                     "unit": entry["time_unit"],
                     "repetitions": entry.get("repetitions", 1),
                     "label": entry.get("label", ""),
                     "counters": counters})
    return rows


def format_counter(name, value):
    if abs(value) >= 1000:
        return "%s=%.0f" % (name, value)
    return "%s=%.3g" % (name, value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--binary", default="",
                        help="regular expression over binary names")
    parser.add_argument("filter", nargs="?", default="",
                        help="regular expression over benchmark names")
    args = parser.parse_args()

    all_benchmarks = find_benchmarks(args.out)
    if not all_benchmarks:
        print("no *_bench binaries in %s (build the `benchmarks` target)" % args.out)
        return 1
    benchmarks = [path for path in all_benchmarks
                  if re.search(args.binary, os.path.basename(path))]
    if not benchmarks:
        print("--binary %r matches none of: %s" %
              (args.binary,
               " ".join(os.path.basename(p) for p in all_benchmarks)))
        return 1

    server, server_info = start_server(args.out)
    all_rows = []
    failures = []
    harness_output = []
    try:
        for path in benchmarks:
            name = os.path.basename(path)
            if name in HARNESS_BINARIES:
                if args.filter and not re.search(args.filter, name):
                    continue
                print("running %s ..." % name, file=sys.stderr, flush=True)
                proc = subprocess.run([path], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)
                if proc.returncode != 0:
                    failures.append("%s: exit status %d: %s" %
                                    (name, proc.returncode, proc.stdout[-500:]))
                else:
                    harness_output.append((name, proc.stdout.strip()))
                continue
            print("running %s ..." % name, file=sys.stderr, flush=True)
            report, error = run_benchmark(path, server_info, args.repetitions,
                                          args.filter)
            if error:
                failures.append("%s: %s" % (name, error))
                continue
            if report is None:
                continue  # No benchmark of this binary matches the filter.
            for row in medians(report):
                row["binary"] = name
                all_rows.append(row)
    finally:
        stop_server(server)

    if not all_rows and not failures and not harness_output:
        print("no benchmark in %s matches %r (FILTER is over benchmark names; "
              "use --binary to pick binaries)" %
              (" ".join(os.path.basename(p) for p in benchmarks), args.filter))
        return 1

    if all_rows:
        print_table(all_rows, args.repetitions, server_info, failures)
    for name, output in harness_output:
        print()
        print("%s:" % name)
        for line in output.splitlines():
            print("  " + line)

    if failures:
        print()
        for failure in failures:
            print("FAILED " + failure)
        return 1
    return 0


def print_table(all_rows, repetitions, server_info, failures):
    print()
    print("Medians of %d repetitions%s" %
          (repetitions,
           " (nginx at %s)" % server_info["nginx_url"] if server_info else ""))
    header = "%-58s %14s %14s  %s" % ("benchmark", "real", "cpu", "counters")
    print(header)
    print("-" * len(header))
    by_name = {}
    for row in all_rows:
        if "error" in row:
            print("%-58s %s" % (row["name"], "ERROR: " + row["error"]))
            failures.append("%s: %s" % (row["name"], row["error"]))
            continue
        by_name[row["name"]] = row
        label = [row["label"]] if row["label"] else []
        counters = " ".join(label + [format_counter(k, v)
                                     for k, v in sorted(row["counters"].items())])
        print("%-58s %11.1f %-2s %11.1f %-2s  %s" %
              (row["name"], row["real_time"], row["unit"], row["cpu_time"],
               row["unit"], counters))

    for prewarm_name, curl_name, title in (
            (PREWARM_KEEPALIVE, CURL_KEEPALIVE,
             "Keep-alive HTTP/1.1 GET over one TLS connection to nginx"),
            (PREWARM_HTTP2, CURL_HTTP2,
             "100 multiplexed HTTP/2 GETs over one connection to nginx")):
        print_comparison(by_name, prewarm_name, curl_name, title)


def print_comparison(by_name, prewarm_name, curl_name, title):
    prewarm = next((r for n, r in by_name.items()
                    if n.startswith(prewarm_name)), None)
    curl = next((r for n, r in by_name.items() if n.startswith(curl_name)),
                None)
    if not (prewarm and curl):
        return
    p, c = prewarm["counters"], curl["counters"]
    print()
    print("%s, prewarm vs libcurl:" % title)
    print("  requests/s:       prewarm %.0f, curl %.0f, ratio %.2f" %
          (p["requests_per_s"], c["requests_per_s"],
           p["requests_per_s"] / c["requests_per_s"]))
    print("  CPU us/request:   prewarm %.1f, curl %.1f, ratio %.2f" %
          (p["cpu_us_per_request"], c["cpu_us_per_request"],
           p["cpu_us_per_request"] / c["cpu_us_per_request"]))


if __name__ == "__main__":
    sys.exit(main())
