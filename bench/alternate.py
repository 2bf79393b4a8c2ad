#!/usr/bin/env python3
"""Runs commands in alternation and prints their median wall time and peak memory.

    alternate.py RUNS NAME[*REPEAT]=COMMAND...

Each round runs every COMMAND once (REPEAT times in a row when given, for
commands too short to time alone; the sample is then their mean), in the
order given, after one warm-up round, so that load on the machine falls on
all of them alike; RUNS rounds.
COMMAND is split like a shell word list (no shell runs it); its output is
discarded. Prints one JSON object: {NAME: {"wall_s": median seconds,
"rss_kib": median peak resident KiB, "walls": [...]}}. The wall time is
posix_spawn to wait4; the peak memory is the child's ru_maxrss from wait4,
the figure `/usr/bin/time -f %M` prints. A command that exits non-zero
stops the script with status 1.
"""

import json
import os
import shlex
import statistics
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"alternate.py: {shlex.join(argv)} exited with status "
                 f"{os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_maxrss


def main():
    runs = int(sys.argv[1])
    commands = []
    for spec in sys.argv[2:]:
        name, _, command = spec.partition("=")
        name, _, repeat = name.partition("*")
        commands.append((name, int(repeat or 1), shlex.split(command)))
    samples = {name: [] for name, _, _ in commands}
    for round_number in range(runs + 1):
        for name, repeat, argv in commands:
            runs_of_round = [run_once(argv) for _ in range(repeat)]
            wall = sum(w for w, _ in runs_of_round) / repeat
            rss = max(r for _, r in runs_of_round)
            if round_number > 0:
                samples[name].append((wall, rss))
    result = {}
    for name, values in samples.items():
        result[name] = {
            "wall_s": statistics.median(w for w, _ in values),
            "rss_kib": statistics.median(r for _, r in values),
            "walls": [round(w, 4) for w, _ in values],
        }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
