"""A measured process and its descendants, read from /proc: resident and proportional memory,
CPU time, the machine's busy time and load average, and a sampler of all of them over a run."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TIME_BIN = "/usr/bin/time"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss(root: int) -> dict[int, int]:
    """Resident bytes of a process and each of its descendants, by pid (RSS: shared pages count
    in each process, so their sum is an upper bound of what the tree holds)."""
    children, found, todo = _children_map(), {}, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            found[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
    return found


def tree_pss(root: int) -> int:
    """Proportional set size of a process tree, in bytes (/proc/PID/smaps_rollup): a page
    shared by k processes counts 1/k in each, so the sum is what the tree holds. A child just
    forked shares its parent's pages until it execs: RSS counts them twice, PSS once."""
    total = 0
    for pid in tree_rss(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, IndexError, ValueError):
            pass
    return total


def cpu_s(pid: int, children: bool = True) -> float:
    """CPU seconds (user + system) of one process, with those of its children it has reaped
    (children=True); 0 for a process that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = fields[11:15] if children else fields[11:13]   # utime stime cutime cstime
    return sum(int(t) for t in ticks) / CLOCK_TICKS


def tree_cpu_s(root: int) -> float:
    """CPU seconds of a process tree so far: the root's and its live descendants', and what each
    of them has reaped (a PostgreSQL server: the postmaster reaps each backend that ends)."""
    children, total, todo = _children_map(), 0.0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        total += cpu_s(pid)
    return total


def machine_cpu_s() -> dict[str, float]:
    """CPU seconds the whole machine has been busy (all cores, every process) and stolen by the
    hypervisor since boot, from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    return {"busy": (user + nice + system + irq + softirq + steal) / CLOCK_TICKS,
            "steal": steal / CLOCK_TICKS}


def _command(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in argv if a]
    words = [w for w in words if w != TIME_BIN and w != "-v"]
    return " ".join(Path(words[0]).name.split() + words[1:4]) if words else "?"


class TreeSampler(threading.Thread):
    """Samples a process tree every `interval` s until stopped: the largest sum of RSS and of
    PSS, each process's peak and own CPU time, and the load average's range meanwhile."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.peak_pss = pid, interval, 0, 0
        self.by_process: dict[int, list] = {}   # pid -> [command, peak bytes, seconds in]
        self.cpu: dict[int, float] = {}          # pid -> its own CPU seconds, last seen
        self.load = [float("inf"), 0.0]          # the 1-minute load average, lowest and highest
        self.started = time.perf_counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            sizes = tree_rss(self.pid)
            self.peak = max(self.peak, sum(sizes.values()))
            self.peak_pss = max(self.peak_pss, tree_pss(self.pid))
            load = loadavg()[0]
            self.load = [min(self.load[0], load), max(self.load[1], load)]
            for pid, size in sizes.items():
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_s(pid, children=False))
                seen = self.by_process.setdefault(pid, [None, 0, 0.0])
                if size > seen[1] or seen[0] is None:  # the command as it was at its peak
                    seen[0], seen[1] = _command(pid), max(seen[1], size)
                    seen[2] = time.perf_counter() - self.started
            self.stopped.wait(self.interval)

    def peaks(self) -> list[dict]:
        """The processes of the tree that held 50 MB or more, largest first."""
        rows = [{"pid": pid, "command": cmd, "peak_rss_mb": round(size / 2**20), "peak_at_s": round(at, 1)}
                for pid, (cmd, size, at) in self.by_process.items() if size >= 50 * 2**20]
        return sorted(rows, key=lambda r: -r["peak_rss_mb"])
