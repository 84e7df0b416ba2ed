#!/usr/bin/env python3
# compdb.py - derive one compilation database from another, for
# tests/realworld/run.sh: the database Bear wrote for a real build,
# restricted to one program's translation units, moved to a copy of the
# tree, with flags added.
#
#   compdb.py IN OUT [--from DIR --to DIR] [--drop PREFIX]... [--arg FLAG]...
#
# --from/--to   replace the tree DIR (absolute) by another in each entry's
#               directory, file, output and arguments (the patched copy)
# --drop P      leave out entries whose file, relative to the tree, starts
#               with P (another program's directory)
# --arg F       add compiler flag F after the compiler (-I for pkginit.h)
#
# Bear writes "arguments" arrays; a "command" string is split as a shell
# would.  OUT is written whole (a temporary file renamed over it), and is
# never IN: the copy of the tree shares IN's inode through hard links.
import json
import os
import shlex
import sys


def usage():
    sys.exit("usage: compdb.py IN OUT [--from DIR --to DIR] [--drop PREFIX]... [--arg FLAG]...")


def main(argv):
    if len(argv) < 2:
        usage()
    src, dst = argv[0], argv[1]
    frm = to = None
    drops, extra = [], []
    i = 2
    while i < len(argv):
        if i + 1 >= len(argv):
            usage()
        opt, val = argv[i], argv[i + 1]
        if opt == "--from":
            frm = os.path.abspath(val)
        elif opt == "--to":
            to = os.path.abspath(val)
        elif opt == "--drop":
            drops.append(val)
        elif opt == "--arg":
            extra.append(val)
        else:
            usage()
        i += 2
    if (frm is None) != (to is None):
        usage()
    try:
        with open(src) as f:
            entries = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("compdb.py: cannot read %s: %s" % (src, e))
    if not isinstance(entries, list):
        sys.exit("compdb.py: %s: not a list of compile commands" % src)

    def move(s):
        if frm is None:
            return s
        # Only whole path components: DIR, DIR/..., -IDIR/...
        return s.replace(frm + "/", to + "/") if s != frm else to

    out = []
    for e in entries:
        d = e.get("directory", "")
        fname = os.path.normpath(os.path.join(d, e.get("file", "")))
        rel = os.path.relpath(fname, frm if frm else d)
        if any(rel.startswith(p) for p in drops):
            continue
        args = e.get("arguments")
        if args is None:
            args = shlex.split(e.get("command", ""))
        if not args:
            sys.exit("compdb.py: %s: an entry for %s has no command" % (src, fname))
        args = [move(a) for a in args]
        args[1:1] = extra
        n = {"directory": move(d), "file": move(fname), "arguments": args}
        if "output" in e:
            n["output"] = move(os.path.join(d, e["output"]))
        out.append(n)
    tmp = dst + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    if os.path.exists(dst):
        os.unlink(dst)
    os.rename(tmp, dst)


if __name__ == "__main__":
    main(sys.argv[1:])
