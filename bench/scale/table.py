#!/usr/bin/env python3
"""Renders bench/scale.sh's JSON lines as a markdown table: one column per
engine and catalogue size, one row per measurement (the last run of each
engine and size counts)."""

import json
import sys

ROWS = [
    ("owner list, page 1 (ms)", "owner_page_1"),
    ("owner list, last page (ms)", "owner_last_page"),
    ("public list (ms)", "public_list"),
    ("rare search `q=` (ms)", "rare_search"),
    ("artist's albums, page 1 (ms)", "artist_albums_page_1"),
    ("artist's albums, last page (ms)", "artist_albums_last_page"),
    ("album GET right after a write (ms)", "album_get_after_write"),
    ("statement, hot month (ms)", "statement"),
    ("PATCH, one client (/s)", "patch_per_s"),
    ("composition match, exact title (ms)", "match_exact"),
    ("composition match, rare title with a typo (ms)", "match_rare"),
    ("compositions", "compositions"),
    ("import compositions (s)", "import_s"),
    ("albums the owner sees", "albums_visible_to_owner"),
    ("rare search hits", "rare_search_hits"),
    ("generate (s)", "generate_s"),
    ("`licensing check` (s)", "check_s"),
]


def main():
    runs = {}
    for line in open(sys.argv[1]):
        run = json.loads(line)
        runs[(run["engine"], run["albums"], run.get("compositions", run["albums"]))] = run
    keys = sorted(runs, key=lambda k: (k[0] != "sqlite", k[0], k[1], k[2]))
    head = [f"{e} {a:,} albums / {runs[(e, a, c)]['lines']:,} lines"
            + (f" / {c:,} compositions" if c != a else "") for e, a, c in keys]
    print("| request | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(keys))
    for label, field in ROWS:
        cells = [str(runs[k].get(field, "")) for k in keys]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
