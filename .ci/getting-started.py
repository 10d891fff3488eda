#!/usr/bin/env python3
"""Follows docs/getting-started.md as a new user would, and fails on any
difference.

In a temporary directory: `cargo new songs`, the page's dependencies (the
path pointed at this checkout), the page's `src/main.rs`, `cargo run`; then
every `curl` of step 4 is run against the server and its output compared
with the `# ` lines the page shows under it (`…` stands for what differs
from run to run: a request id). Step 5's document must be OpenAPI 3.1 with
the `Song` schema and the page's `/docs` must answer HTML. The port is the
page's 8080 unless it is taken, then a free one (in the code and the
commands alike).

Usage: python3 .ci/getting-started.py [target-dir]
"""

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(REPO, "docs", "getting-started.md")


def fail(message):
    print(f"getting-started: {message}", file=sys.stderr)
    sys.exit(1)


def section(text, number):
    """The text of `## <number>.` up to the next `## `."""
    match = re.search(rf"^## {number}\..*?(?=^## |\Z)", text, re.M | re.S)
    if not match:
        fail(f"no step {number} in the page")
    return match.group(0)


def blocks(text, language):
    """The fenced blocks opened with ```<language>…"""
    return re.findall(rf"^```{language}[^\n]*\n(.*?)^```", text, re.M | re.S)


def free_port():
    """The page's 8080 when it is free, else any free port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 8080))
            return 8080
        except OSError:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def exchanges(step4):
    """(command, expected output) pairs: each `curl` line of the sh block,
    and the `# ` lines right under it, joined."""
    pairs = []
    for block in blocks(step4, "sh"):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("curl "):
                continue
            expected = []
            for follow in lines[i + 1 :]:
                if not follow.startswith("#"):
                    break
                expected.append(follow[1:].strip())
            pairs.append((line, "".join(expected)))
    return pairs


def matches(expected, actual):
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual, re.S) is not None


def main():
    page = open(PAGE, encoding="utf-8").read()
    target = sys.argv[1] if len(sys.argv) > 1 else None
    port = free_port()
    work = tempfile.mkdtemp(prefix="getting-started-")
    server = None
    try:
        # 1. A new crate.
        subprocess.run(["cargo", "new", "--quiet", "songs"], cwd=work, check=True)
        crate = os.path.join(work, "songs")
        # 2. Dependencies, as the page writes them, at this checkout.
        toml = blocks(section(page, 2), "toml")[0]
        toml = toml.replace('path = "../pale/pale"', f'path = "{REPO}/pale"')
        with open(os.path.join(crate, "Cargo.toml"), "a", encoding="utf-8") as f:
            f.write(toml.replace("[dependencies]\n", ""))
        shutil.copy(os.path.join(REPO, "Cargo.lock"), crate)
        # 3. The page's src/main.rs.
        main_rs = blocks(section(page, 3), "rust")[0]
        main_rs = main_rs.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        with open(os.path.join(crate, "src", "main.rs"), "w", encoding="utf-8") as f:
            f.write(main_rs)
        # 4. Run it and call it.
        env = dict(os.environ)
        if target:
            env["CARGO_TARGET_DIR"] = target
        subprocess.run(["cargo", "build", "--quiet"], cwd=crate, env=env, check=True)
        server = subprocess.Popen(
            ["cargo", "run", "--quiet"],
            cwd=crate,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = server.stdout.readline().strip()
        if line != f"listening on http://127.0.0.1:{port}":
            fail(f"the server said {line!r}, not that it listens on {port}")
        checked = 0
        for command, expected in exchanges(section(page, 4)):
            command = command.replace("localhost:8080", f"localhost:{port}")
            actual = subprocess.run(
                shlex.split(command), capture_output=True, text=True, check=True, timeout=10
            ).stdout
            if not matches(expected, actual):
                fail(f"`{command}`\n  the page shows: {expected}\n  the server said: {actual}")
            checked += 1
        if checked < 5:
            fail(f"only {checked} commands found in step 4")
        # 5. The documentation.
        base = f"http://localhost:{port}/api"
        with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as response:
            document = json.load(response)
        if not document.get("openapi", "").startswith("3.1") or "Song" not in document[
            "components"
        ]["schemas"]:
            fail("openapi.json is not OpenAPI 3.1 with a Song schema")
        with urllib.request.urlopen(f"{base}/docs", timeout=10) as response:
            if "text/html" not in response.headers["content-type"]:
                fail("/api/docs is not HTML")
        print(f"getting-started: {checked} commands of step 4 answered as the page shows; docs served")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
