#!/usr/bin/env python3
"""The request mix of issue 17 against a running licensing server, one
client on one keep-alive connection, over loopback: prints one JSON object
of medians (milliseconds) and the PATCH rate (per second).

Usage: mix.py PORT OWNER_TOKEN HOT_ALBUM_ID ARTIST_ID [DEEP_KEYS_JSON] [--writes] [--no-warm-up]

DEEP_KEYS_JSON ({"owner": key, "artist": key}, from gen.py) holds the
keys of the albums before the last pages of the owner's view and of the
artist's list: the last pages are read by cursor (`after=`), as a client
following `next` links reaches them. Without it, the last pages are
asked by number (as far as the server allows).

With --writes, only the writes' figures (the GET right after a PATCH, and
the PATCH rate): what `MIX=--writes bash bench/scale.sh` runs.

With MIX_MATCH set to the JSON gen.py's `--compositions-csv` printed, it
also measures the composition match (public, as a cover's artist asks
it): a title that exists, which must be ranked first, and a typo of a
rare one, whose title must be ranked first too.

Each figure is the median of its samples after a warm-up: the whole mix
is run once before it is measured (--no-warm-up: not). On PostgreSQL a
prepared statement is planned for its values on its first five
executions on each connection, and the pool lends its connections in
turn, so without it a figure mixes the first calls of a dozen
connections with a running server's. Python's own cost per request
(about 0.1 ms here) is inside every figure, so they are upper bounds for
the server.
"""

import base64
import http.client
import json
import os
import urllib.parse
import statistics
import sys
import time

PORT, TOKEN, HOT, ARTIST = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
DEEP = next((json.loads(arg) for arg in sys.argv[5:] if arg.startswith("{")), None)
conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)


def send(method, path, token=None, body=None, headers=None):
    """(status, headers, body bytes, seconds)."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=h)
    reply = conn.getresponse()
    data = reply.read()
    took = time.perf_counter() - start
    return reply.status, reply, data, took


def median_ms(method, path, token=None, n=100, warm=10):
    times = []
    for i in range(warm + n):
        status, _, data, took = send(method, path, token)
        if status != 200:
            sys.exit(f"{method} {path}: {status} {data[:200]!r}")
        if i >= warm:
            times.append(took)
    return round(statistics.median(times) * 1000, 3)


def patch(etag, take):
    return send("PATCH", f"/api/albums/{HOT}", TOKEN,
                json.dumps({"title": f"Take {take}"}),
                {"If-Match": etag, "Content-Type": "application/merge-patch+json"})


def after_write(n=100):
    """The hot album's GET right after a PATCH of it (its cache emptied)."""
    status, reply, _, _ = send("GET", f"/api/albums/{HOT}", TOKEN)
    etag = reply.getheader("ETag")
    times = []
    for take in range(n + 10):
        status, reply, data, _ = patch(etag, take)
        if status != 200:
            sys.exit(f"PATCH: {status} {data[:200]!r}")
        status, reply, data, took = send("GET", f"/api/albums/{HOT}", TOKEN)
        etag = reply.getheader("ETag")
        if take >= 10:
            times.append(took)
    return round(statistics.median(times) * 1000, 3)


def patch_rate(seconds=3.0):
    status, reply, _, _ = send("GET", f"/api/albums/{HOT}", TOKEN)
    etag = reply.getheader("ETag")
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        status, reply, data, _ = patch(etag, done)
        if status != 200:
            sys.exit(f"PATCH: {status} {data[:200]!r}")
        etag = reply.getheader("ETag")
        done += 1
    return round(done / (time.perf_counter() - start))


def last_page(path, total, deep_key):
    """The query of the last page of 20: by cursor after `deep_key`, or
    by number."""
    last = max(1, -(-total // 20))
    if deep_key is None:
        return f"{path}?per_page=20&page={last}"
    token = base64.urlsafe_b64encode(f"{last}.{deep_key}".encode()).rstrip(b"=").decode()
    return f"{path}?per_page=20&after={token}"


def writes():
    return {"album_get_after_write": after_write(), "patch_per_s": patch_rate()}


def match_ms(title, expected):
    """The match's median for `title`, after checking `expected` is the
    first candidate."""
    path = "/api/compositions/match?title=" + urllib.parse.quote(title)
    status, _, data, _ = send("GET", path, TOKEN)
    first = json.loads(data)[0]["composition"]["title"] if status == 200 and json.loads(data) else None
    if first is None or first.lower() != expected.lower():
        sys.exit(f"match {title!r}: {expected!r} is not first: {data[:300]!r}")
    return median_ms("GET", path, TOKEN)


def composition_match(spec):
    titles = json.loads(spec)
    return {
        "match_exact": match_ms(titles["exact"], titles["exact"]),
        "match_rare": match_ms(titles["rare"], titles["rare_title"]),
    }


def main():
    measure = writes if "--writes" in sys.argv[5:] else mix
    if "--no-warm-up" not in sys.argv[5:]:
        measure()
    print(json.dumps(measure()))


def mix():
    _, _, data, _ = send("GET", "/api/albums?per_page=20", TOKEN)
    total = json.loads(data)["total"]
    owner_last = last_page("/api/albums", total, DEEP and DEEP["owner"])
    _, _, data, _ = send("GET", f"/api/artists/{ARTIST}/albums?per_page=20", TOKEN)
    artist_last = last_page(f"/api/artists/{ARTIST}/albums", json.loads(data)["total"],
                            DEEP and DEEP["artist"])
    _, _, data, _ = send("GET", "/api/albums?q=quokka", TOKEN)
    hits = json.loads(data)["total"]
    result = {
        "albums_visible_to_owner": total,
        "rare_search_hits": hits,
        "owner_page_1": median_ms("GET", "/api/albums?per_page=20", TOKEN),
        "owner_last_page": median_ms("GET", owner_last, TOKEN, n=30, warm=3),
        "public_list": median_ms("GET", "/api/albums?per_page=20"),
        "rare_search": median_ms("GET", "/api/albums?q=quokka", TOKEN, n=30, warm=3),
        "artist_albums_page_1": median_ms("GET", f"/api/artists/{ARTIST}/albums?per_page=20", TOKEN),
        "artist_albums_last_page": median_ms("GET", artist_last, TOKEN, n=30, warm=3),
        "album_get_after_write": after_write(),
        "statement": median_ms("GET", f"/api/albums/{HOT}/statements/2025-01", TOKEN),
        "patch_per_s": patch_rate(),
    }
    if os.environ.get("MIX_MATCH"):
        result.update(composition_match(os.environ["MIX_MATCH"]))
    return result


if __name__ == "__main__":
    main()
