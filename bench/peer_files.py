#!/usr/bin/env python3
"""Writes build.ninja and Makefile for the DAG of a `dojobber graph` (DOT on
stdin), so ninja and make run the same graph as dojobber: one command per
job (COMMAND, e.g. "sleep 0.01" or "true"), edges from a job to each of its
dependencies, and the job named Root as the target with no command."""

import pathlib
import re
import sys

EDGE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)";')
NODE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"( \[.*\])?;')


def main():
    out_dir = pathlib.Path(sys.argv[1])
    command = sys.argv[2]
    deps = {}
    for line in sys.stdin:
        edge = EDGE.match(line)
        if edge:
            deps.setdefault(edge.group(1), []).append(edge.group(2))
            continue
        node = NODE.match(line)
        if node:
            deps.setdefault(node.group(1), [])
    out_dir.mkdir(parents=True, exist_ok=True)
    ninja = ["rule work", f"  command = {command}", ""]
    make = [".PHONY: " + " ".join(deps), ""]
    for job, job_deps in deps.items():
        if job == "Root":
            ninja.append(f"build Root: phony {' '.join(job_deps)}")
            make.append(f"Root: {' '.join(job_deps)}")
        else:
            ninja.append(f"build {job}: work {' '.join(job_deps)}".rstrip())
            make.append(f"{job}: {' '.join(job_deps)}".rstrip())
            make.append(f"\t@{command}")
    (out_dir / "build.ninja").write_text("\n".join(ninja) + "\n")
    (out_dir / "Makefile").write_text("\n".join(make) + "\n")


if __name__ == "__main__":
    main()
