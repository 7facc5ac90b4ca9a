#!/usr/bin/env python3
"""Runs protoc for one .proto file and writes the C++ output into the gen directory.

Usage: protoc_wrapper.py --proto-root DIR --cpp-out DIR FILE.proto
"""
import argparse
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("--cpp-out", required=True)
    parser.add_argument("proto")
    args = parser.parse_args()
    return subprocess.call([
        "protoc", "--proto_path=" + args.proto_root,
        "--cpp_out=" + args.cpp_out, args.proto
    ])


if __name__ == "__main__":
    sys.exit(main())
