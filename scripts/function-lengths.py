#!/usr/bin/env python3
"""scripts/function-lengths.py: the longest function bodies of the sources, for the house rule
"functions under ~60 lines".

    scripts/function-lengths.py [TOP] [DIR...]      (defaults: 15; core plugins tools samples)

Counts from the signature line to the closing brace of every function written in this project's
clang-format style (the opening and closing braces of a function body alone on their lines, in
column 0). Prints "lines file first-line signature", longest first. A reading aid, not a parser:
functions defined inside a class body are not counted.
"""
import os
import sys


def functions(path):
    lines = open(path, errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "{" and i > 0:
            start = i - 1
            while start > 0 and lines[start].startswith(("\t", " ", "///")):
                start -= 1
            end = i + 1
            while end < len(lines) and lines[end] != "}" and not lines[end].startswith("};"):
                end += 1
            signature = lines[start]
            if end < len(lines) and lines[end] == "}" and "(" in signature and not signature.startswith(
                ("class", "struct", "namespace", "enum")
            ):
                yield end - start + 1, start + 1, signature.strip()
            i = end
        i += 1


def main():
    args = sys.argv[1:]
    top = int(args.pop(0)) if args and args[0].isdigit() else 15
    roots = args or ["core", "plugins", "tools", "samples"]
    found = []
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                if name.endswith((".cpp", ".h")):
                    path = os.path.join(folder, name)
                    found.extend((n, path, line, sig) for n, line, sig in functions(path))
    found.sort(key=lambda f: f[0], reverse=True)
    for n, path, line, sig in found[:top]:
        print(f"{n:4d} {path}:{line} {sig[:100]}")


if __name__ == "__main__":
    main()
