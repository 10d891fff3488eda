#!/usr/bin/env python3
"""Bulk-generates a licensing catalogue for bench/scale.sh.

The database must already exist: the licensing binary creates, migrates
and seeds it (`licensing tokens --data DIR`, or `--database URL`). This
adds, in one transaction per table group:

- ALBUMS albums of one artist (`--artist`, the seeded Maren Holt), two
  tracks each; one in 1,000 is live, the rest drafts (the issue's shape:
  one artist's growing catalogue, a public list of few albums); five
  titles hold the rare word "Quokka" (the rare search);
- 10 x ALBUMS sales lines: ALBUMS of them in one month (2025-01) for the
  hot album (the first generated live one, the album with the most
  sales), the rest spread over the other live albums and the twelve
  months of 2024, under stores "scale-00" to "scale-09";
- the kept sales totals (`album_sales`, `album_month_sales`), summed from
  the lines it wrote (on PostgreSQL the trigger on `sales` does it), which
  `licensing check` then verifies.

SQLite is written through Python's sqlite3 (`--sqlite FILE`); PostgreSQL
through `psql` and COPY (`--postgres`, PG* from the environment). Prints
the hot album's id and the first generated album's id as JSON.

`--compositions-csv FILE --compositions N` instead writes a catalogue of
N compositions as the CSV `licensing import-compositions` loads (so the
store's own import, with its checks and search keys, is what is timed),
and prints the titles the mix matches as JSON: `exact`, a generated
title that exists (the middle row's, of common words as a rule), and
`rare` with `rare_title`, a typo of the one "Quokka Serenade". Titles are
one to four words, a quarter from a few common ones ("love", "night"),
the rest from 8,000 made-up words drawn with Zipf weights, so words
repeat as a real catalogue's do.
"""

import argparse
import csv
import io
import itertools
import json
import random
import sqlite3
import subprocess
import sys

WORDS = ("amber blue cedar dusk ember fable grove harbor iris juniper kestrel "
         "lantern meadow north orchard pine quiet river signal tide umber "
         "valley willow yarrow zephyr").split()
STORES = [f"scale-{i:02}" for i in range(10)]


def albums(first, count, artist):
    """(id, artist_id, title, release_date, price_cents, status) rows."""
    rng = random.Random(1)
    rare = {first + count * k // 5 + 3 for k in range(5)}
    for i in range(first, first + count):
        words = " ".join(rng.choice(WORDS).title() for _ in range(2))
        title = f"{words} Quokka {i}" if i in rare else f"{words} {i}"
        date = None if i % 10 == 0 else f"20{10 + i % 15:02}-{1 + i % 12:02}-{1 + i % 28:02}"
        status = "live" if (i - first) % 1000 == 0 else "draft"
        yield (i, artist, title, date, 900, status)


def tracks(first, count):
    """(album_id, number, title, duration_s) rows, two per album."""
    for i in range(first, first + count):
        yield (i, 1, f"Opening {i}", 200)
        yield (i, 2, f"Closing {i}", 240)


def sales(first, count, lines):
    """(store, month, album_id, track_number, format, units) rows."""
    rng = random.Random(2)
    live = list(range(first, first + count, 1000))
    hot = live[0]
    for n in range(count):
        track = (None, 1, 2)[n % 3]
        yield (STORES[n % 10], "2025-01", hot, track, "download", 1 + n % 5)
    others = live[1:] or live
    for n in range(lines - count):
        album = others[rng.randrange(len(others))]
        month = f"2024-{1 + n % 12:02}"
        track = (None, 1, 2)[rng.randrange(3)]
        fmt = ("download", "physical")[n % 2]
        yield (STORES[n % 10], month, album, track, fmt, 1 + rng.randrange(9))


def reports():
    for store in STORES:
        yield (store, "2025-01")
        for m in range(1, 13):
            yield (store, f"2024-{m:02}")


TOTALS = [
    """INSERT INTO album_sales (album_id, units)
       SELECT album_id, sum(units) FROM sales WHERE store LIKE 'scale-%' GROUP BY album_id""",
    """INSERT INTO album_month_sales (album_id, month, track, units)
       SELECT album_id, month, coalesce(track_number, 0), sum(units) FROM sales
       WHERE store LIKE 'scale-%' GROUP BY album_id, month, coalesce(track_number, 0)""",
]


# The hot album's first track covers a seeded composition, so its
# statement has royalties to count.
COVER = """UPDATE tracks SET is_cover = 1, cover_of = (SELECT min(id) FROM compositions)
           WHERE album_id = {hot} AND number = 1"""


def sqlite(path, artist, count, lines):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    first = db.execute("SELECT coalesce(max(id), 0) + 1000 FROM albums").fetchone()[0]
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO albums (id, artist_id, title, release_date, price_cents, status)"
        " VALUES (?, ?, ?, ?, ?, ?)", albums(first, count, artist))
    db.executemany(
        "INSERT INTO tracks (album_id, number, title, duration_s, is_cover, lyrics_changed)"
        " VALUES (?, ?, ?, ?, 0, 0)", tracks(first, count))
    db.execute("COMMIT")
    db.execute("BEGIN")
    db.executemany("INSERT INTO sales_reports (store, month) VALUES (?, ?)", reports())
    db.executemany(
        "INSERT INTO sales (store, month, album_id, track_number, format, units)"
        " VALUES (?, ?, ?, ?, ?, ?)", sales(first, count, lines))
    for sql in TOTALS:
        db.execute(sql)
    db.execute(COVER.format(hot=first))
    db.execute("COMMIT")
    return first


# The album before the last page of 20 (the 21st from the end) of the
# owner's view (their albums and others' live ones) and of the artist's
# own list, by title: mix.py starts a page after it, by cursor, to
# measure the deepest page a client reaches by following `next` links.
DEEP = {
    "owner": """SELECT id, title FROM (
        SELECT id, title FROM albums WHERE artist_id = {artist}
        UNION ALL SELECT id, title FROM albums WHERE status = 'live' AND artist_id <> {artist}) v
        ORDER BY {key} DESC, id DESC LIMIT 1 OFFSET 20""",
    "artist": """SELECT id, title FROM albums WHERE artist_id = {artist}
        ORDER BY {key} DESC, id DESC LIMIT 1 OFFSET 20""",
}


def sqlite_deep(path, artist):
    db = sqlite3.connect(path)
    keys = {}
    for name, sql in DEEP.items():
        row = db.execute(sql.format(artist=artist, key="title COLLATE NOCASE")).fetchone()
        keys[name] = f"{row[0]}.{row[1]}"
    return keys


def postgres_deep(artist):
    keys = {}
    for name, sql in DEEP.items():
        row = subprocess.run(
            ["psql", "-AtF", "\t", "-c",
             sql.format(artist=artist, key='lower(title COLLATE "C")')],
            check=True, capture_output=True, text=True).stdout.rstrip("\n").split("\t", 1)
        keys[name] = f"{row[0]}.{row[1]}"
    return keys


def copy(table, columns, rows):
    """COPY rows into table through psql, streamed as CSV."""
    proc = subprocess.Popen(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c",
         f"\\copy {table} ({columns}) FROM STDIN WITH (FORMAT csv)"],
        stdin=subprocess.PIPE)
    out = io.TextIOWrapper(proc.stdin, encoding="utf-8", write_through=False)
    for row in rows:
        out.write(",".join("" if v is None else str(v) for v in row))
        out.write("\n")
    out.close()
    if proc.wait() != 0:
        sys.exit(f"COPY into {table} failed")


def psql(sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def postgres(artist, count, lines):
    first = int(subprocess.run(
        ["psql", "-Atc", "SELECT coalesce(max(id), 0) + 1000 FROM albums"],
        check=True, capture_output=True, text=True).stdout)
    copy("albums", "id, artist_id, title, release_date, price_cents, status",
         albums(first, count, artist))
    copy("tracks", "album_id, number, title, duration_s, is_cover, lyrics_changed",
         ((a, n, t, d, "f", "f") for a, n, t, d in tracks(first, count)))
    copy("sales_reports", "store, month", reports())
    copy("sales", "store, month, album_id, track_number, format, units",
         sales(first, count, lines))
    # The kept totals: the trigger on `sales` (migration 0003) added the
    # copied lines to them.
    psql(COVER.format(hot=first).replace("is_cover = 1", "is_cover = true"))
    psql("SELECT setval(pg_get_serial_sequence('albums', 'id'), (SELECT max(id) FROM albums))")
    psql("VACUUM ANALYZE")
    return first


SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu "
             "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te "
             "ti to tu va ve vi vo za zo an en in on ar er or el al il ol").split()
COMMON = ("love heart night the of you my me blue moon home river song baby dream fire "
          "rain road time way light day girl man").split()


def composition_titles(count):
    """`count` titles: one to four words, Zipf-distributed made-up words
    and a quarter common ones; row 7 is the rare "Quokka Serenade"."""
    rng = random.Random(3)
    words = set()
    while len(words) < 8000:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4)))))
    words = sorted(words)
    rng.shuffle(words)
    cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(words))))
    for i in range(count):
        if i == 7:
            yield "Quokka Serenade"
            continue
        n = rng.choice((1, 2, 2, 3, 3, 4))
        picked = [rng.choice(COMMON) if rng.random() < 0.25
                  else rng.choices(words, cum_weights=cum)[0] for _ in range(n)]
        yield " ".join(w.title() for w in picked)


def compositions_csv(path, count):
    """Writes the CSV; returns the titles the mix matches."""
    middle = None
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["title", "iswc", "released", "writers", "publishers"])
        for i, title in enumerate(composition_titles(count)):
            if i == count // 2:
                middle = title
            writers = f"Writer {i % 5000};Writer {(i * 7) % 5000}" if i % 3 else f"Writer {i % 5000}"
            publishers = "North Songs=5000;South Music=5000" if i % 2 else "East Publishing=10000"
            w.writerow([title, "", "true", writers, publishers])
    return {"exact": middle or "Quokka Serenade", "rare": "Quoka Serenade",
            "rare_title": "Quokka Serenade"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", metavar="FILE")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--albums", type=int)
    parser.add_argument("--lines", type=int)
    parser.add_argument("--artist", type=int)
    parser.add_argument("--compositions-csv", metavar="FILE")
    parser.add_argument("--compositions", type=int, default=1000)
    args = parser.parse_args()
    if args.compositions_csv:
        print(json.dumps(compositions_csv(args.compositions_csv, args.compositions)))
        return
    if args.albums is None or args.lines is None or args.artist is None:
        parser.error("--albums, --lines and --artist are required")
    if args.sqlite:
        first = sqlite(args.sqlite, args.artist, args.albums, args.lines)
        deep = sqlite_deep(args.sqlite, args.artist)
    else:
        first = postgres(args.artist, args.albums, args.lines)
        deep = postgres_deep(args.artist)
    print(json.dumps({"first": first, "hot": first, "deep": deep}))


if __name__ == "__main__":
    main()
