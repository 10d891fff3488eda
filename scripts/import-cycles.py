#!/usr/bin/env python3
"""Finds import circles between the modules of a crate.

    python3 scripts/import-cycles.py [CRATE_DIR ...]

With no argument it checks pale-core, pale-server, pale-derive and pale-path. It prints
each crate's module dependencies that take part in a circle and exits 1 if
there is one, 0 otherwise.

Why a script and not the compiler: rustc accepts circles between modules of
one crate, so nothing stops them creeping in; a circle means neither module
can be read, tested or moved without the other, which is how a layered crate
stops being one.

What counts as a dependency of module M on module N (a module is a file):
every path in M's code (a `use`, or a path written inline) that starts with
`crate::`, `super::`, `self::` or the name of one of M's own child modules,
resolved module by module as far as it goes. A path that names an item
re-exported by N (`crate::resource::Audience`) is a dependency on N, the
module it was named through: that is what the reader has to open.

Circles are looked for between units: a dependency of `a` on `b` is
projected onto the ancestors of `a` and `b` that are siblings (children of
one module), and the siblings under each module must form layers. So
`crate::resource::render -> crate::context` makes `resource` depend on
`context`, and with `context -> resource` that is a circle.

What does not count, and why:
- A module's dependencies on its own ancestors and descendants (a child's
  `use super::Trait`, `mod.rs` calling into its children): a module and its
  children are one unit seen from outside, and `mod.rs` holds the central
  trait its children implement, so they are read together.
- `pub use child::Item;` in a parent: re-exporting a child is containment.
- Comments and doc comments, including intra-doc links: they document,
  they do not build.
- `#[cfg(test)]` modules: unit tests sit beside the code but consume it
  from above (a test may build the whole `Api`); they are not a layer.
"""

import re
import sys
from pathlib import Path

DEFAULT_CRATES = ["pale-core", "pale-server", "pale-derive", "pale-path"]


def strip(text):
    """Blanks comments, string and char literals (keeping line breaks), so
    braces and paths inside them are not read as code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and not (
            i and (text[i - 1].isalnum() or text[i - 1] == "_")
        ):
            hashes = re.match(r"r(#*)\"", text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            end = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{7f}'), not a lifetime ('a).
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", text[i:])
            if m:
                out.append("' '")
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Module:
    def __init__(self, path, file, parent):
        self.path = path  # tuple of names from the crate root
        self.file = file  # the file holding it
        self.parent = parent
        self.children = {}  # name -> Module (file and inline modules)
        self.is_file = True


MOD_DECL = re.compile(
    r'(?P<attrs>(?:#\[[^\]]*\]\s*)*)(?:pub(?:\([^)]*\))?\s+)?mod\s+(?P<name>\w+)\s*(?P<end>[;{])'
)


def matching_brace(code, open_at):
    depth = 0
    for j in range(open_at, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(code)


def load(crate_dir):
    """Builds the module tree from `src/lib.rs`, following `mod` items."""
    src = Path(crate_dir) / "src"
    root_file = src / "lib.rs"
    root = Module((), root_file, None)
    files = {}  # file -> (module, stripped code)
    spans = {}  # file -> [(start, end, inline module)]

    def visit(module, file, dir_for_children):
        code = strip(file.read_text())
        files[file] = (module, code)
        spans[file] = []
        scan(module, file, code, 0, len(code), dir_for_children)

    def scan(module, file, code, start, end, child_dir):
        i = start
        while True:
            m = MOD_DECL.search(code, i, end)
            if not m:
                return
            name, attrs = m.group("name"), m.group("attrs")
            if m.group("end") == "{":
                close = matching_brace(code, m.end() - 1)
                if "cfg(test)" in attrs:
                    spans[file].append((m.start(), close, None))
                else:
                    child = Module(module.path + (name,), file, module)
                    child.is_file = False
                    module.children[name] = child
                    spans[file].append((m.end(), close, child))
                    scan(child, file, code, m.end(), close, child_dir / name)
                i = close + 1
                continue
            i = m.end()
            if "cfg(test)" in attrs:
                continue
            explicit = re.search(r'path\s*=\s*""', attrs)
            raw_attrs = None
            if explicit:
                # The stripped code lost the literal: read it from the file.
                raw = file.read_text()
                pm = re.search(
                    r'#\[path\s*=\s*"([^"]+)"\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+' + name + r"\s*;",
                    raw,
                )
                raw_attrs = pm.group(1) if pm else None
            if raw_attrs:
                child_file = file.parent / raw_attrs
                grand_dir = child_file.parent / child_file.stem
            elif (child_dir / f"{name}.rs").exists():
                child_file = child_dir / f"{name}.rs"
                grand_dir = child_dir / name
            else:
                child_file = child_dir / name / "mod.rs"
                grand_dir = child_dir / name
            child = Module(module.path + (name,), child_file, module)
            module.children[name] = child
            visit(child, child_file, grand_dir)

    visit(root, root_file, src)
    return root, files, spans


def module_at(file_module, spans, pos):
    """The innermost module around `pos` (None inside a test module)."""
    best = file_module
    best_start = -1
    for start, end, inline in spans:
        if start <= pos <= end and start > best_start:
            best, best_start = inline, start
    return best


def file_module_of(module):
    while module is not None and not module.is_file:
        module = module.parent
    return module


def resolve(base, segments):
    """Walks `segments` down from `base`; returns the deepest module named."""
    module = base
    for seg in segments:
        nxt = module.children.get(seg)
        if nxt is None:
            break
        module = nxt
    return module


def use_paths(tree):
    """Expands a use tree (`a::{b, c::{d as e}}`) into segment lists."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)
    out = []

    def expand(prefix, text):
        parts, depth, cur = [], 0, ""
        for ch in text:
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        parts.append(cur)
        for part in filter(None, parts):
            if "{" in part:
                head, inner = part.split("{", 1)
                segs = [s for s in head.split("::") if s]
                expand(prefix + segs, inner[: inner.rfind("}")])
            else:
                out.append(prefix + [s for s in part.split("::") if s])

    expand([], tree)
    return out


USE = re.compile(r"(?P<vis>pub(?:\([^)]*\))?\s+)?use\s+(?P<tree>[^;]+);")
INLINE = re.compile(r"(?<![\w:$])(\$?crate|super|self|[a-z_][a-z0-9_]*)((?:::\w+)+)")


def edges_of(root, files, spans):
    edges = {}  # (from file module path, to file module path) -> example
    for file, (module, code) in files.items():
        use_spans = []
        for m in USE.finditer(code):
            use_spans.append((m.start(), m.end()))
            here = module_at(module, spans[file], m.start())
            if here is None:
                continue
            for segs in use_paths(m.group("tree")):
                reexport = m.group("vis") is not None
                add_edge(edges, here, segs, reexport, file, code, m.start())
        for m in INLINE.finditer(code):
            if any(s <= m.start() < e for s, e in use_spans):
                continue
            here = module_at(module, spans[file], m.start())
            if here is None:
                continue
            segs = [m.group(1)] + [s for s in m.group(2).split("::") if s]
            add_edge(edges, here, segs, False, file, code, m.start())
    return edges


def add_edge(edges, here, segs, reexport, file, code, pos):
    first = segs[0].lstrip("$")
    if first == "crate":
        base, rest = here, segs[1:]
        while base.parent is not None:
            base = base.parent
    elif first in ("super", "self"):
        base, rest = here, list(segs)
        while rest and rest[0] in ("super", "self"):
            if rest.pop(0) == "super":
                base = base.parent
    elif first in here.children:
        base, rest = here, segs
    else:
        return  # another crate, or a type's associated item
    target = resolve(base, rest)
    source = file_module_of(here)
    target = file_module_of(target)
    if target is source:
        return
    # Declaring and re-exporting a descendant is containment.
    if reexport and target.path[: len(source.path)] == source.path:
        return
    line = code.count("\n", 0, pos) + 1
    edges.setdefault((source.path, target.path), f"{file}:{line}")


def level_edges(edges):
    """Projects module dependencies onto siblings.

    A dependency of `a` on `b` becomes one of `a'` on `b'`, where `a'` and
    `b'` are the ancestors of `a` and `b` (or themselves) that are children
    of the same module: seen from outside, a module and its descendants are
    one unit, and the units under each parent must form layers. A module's
    dependencies on its own ancestors and descendants are inside one unit
    and ignored: `mod.rs` declares its children and holds the central
    trait they implement, so they are read together.
    """
    out = {}  # (a', b') -> [(a, b, where)]
    for (a, b), where in edges.items():
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        if common == len(a) or common == len(b):
            continue  # one contains the other
        out.setdefault((a[: common + 1], b[: common + 1]), []).append((a, b, where))
    return out


def cycles(edges):
    """Strongly connected components with more than one unit (Tarjan)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def name(path):
    return "crate" + "".join("::" + p for p in path)


def main(argv):
    crates = argv[1:] or DEFAULT_CRATES
    found = False
    for crate in crates:
        root, files, spans = load(crate)
        edges = edges_of(root, files, spans)
        units = level_edges(edges)
        comps = cycles(units)
        print(f"{crate}: {len(files)} modules, {len(edges)} dependencies, "
              f"{len(comps)} import circle(s)")
        for comp in comps:
            found = True
            members = set(comp)
            print("  circle: " + " <-> ".join(name(p) for p in comp))
            for (a, b), why in sorted(units.items()):
                if a in members and b in members:
                    for x, y, where in why:
                        print(f"    {name(x)} -> {name(y)}   ({where})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
