#!/usr/bin/env python3
"""Memory of the time API under a flood of large merge patches.

Starts the given time-api binary on a free loopback port, sends COUNT
PATCHes of /api/resource, each a new key holding SIZE bytes of text (so
every one would grow the document), and prints the process's resident
memory (VmRSS) before and after, its peak (VmHWM), how the patches were
answered, and the size of the document a GET returns at the end.

    cargo build --release -p time-api
    python3 bench/patch-flood.py target/release/time-api            # 200 x 0.9 MB
    python3 bench/patch-flood.py target/release/time-api 40 900000

Python standard library only; Linux (reads /proc).
"""

import collections
import http.client
import json
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"content-type": "application/merge-patch+json"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    reply = conn.getresponse()
    data = reply.read()
    conn.close()
    return reply.status, data


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 900_000
    port = free_port()
    server = subprocess.Popen(
        [binary, "--addr", f"127.0.0.1:{port}"],
        env={"RUST_LOG": "warn"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request(port, "GET", "/api/resource")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        before = memory_kb(server.pid, "VmRSS")
        statuses = collections.Counter()
        started = time.monotonic()
        for i in range(count):
            body = json.dumps({f"k{i}": "x" * size}).encode()
            status, _ = request(port, "PATCH", "/api/resource", body)
            statuses[status] += 1
        elapsed = time.monotonic() - started
        after = memory_kb(server.pid, "VmRSS")
        peak = memory_kb(server.pid, "VmHWM")
        status, document = request(port, "GET", "/api/resource")
        print(f"{count} PATCHes of {size} bytes in {elapsed:.1f} s: {dict(statuses)}")
        print(f"RSS before {before / 1024:.1f} MB, after {after / 1024:.1f} MB, "
              f"peak {peak / 1024:.1f} MB")
        print(f"GET /api/resource: {status}, {len(document)} bytes")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
