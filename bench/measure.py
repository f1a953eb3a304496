"""Timing and peak memory of commands, run side by side and reported as medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# Measured as installed packages run: with their bytecode cached. A shell that sets
# PYTHONDONTWRITEBYTECODE would otherwise make every run compile every module.
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    peak_mib: float


def run_once(command: list[str], cwd: Path | None = None, stdin: bytes | None = None, timeout: float = 600,
             ok_codes: tuple[int, ...] = (0,)) -> Sample:
    """Wall time and the child's own peak resident memory (from wait4).

    A run that exits with another code than ``ok_codes`` did not do the work measured,
    and stops the benchmark.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENVIRONMENT,
                               stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise TimeoutError(f"{' '.join(command)} took over {timeout:.0f}s")
        time.sleep(0.0005)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {process.stderr.read().decode()[-500:]}")
    return Sample(elapsed, usage.ru_maxrss / 1024)


def median(command: list[str], runs: int, **kwargs) -> Sample:
    run_once(command, **kwargs)  # warm-up: bytecode written, files in the page cache
    samples = [run_once(command, **kwargs) for _ in range(runs)]
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mib for s in samples))


def interleaved(commands: dict[str, list[str]], runs: int, **kwargs) -> dict[str, Sample]:
    """Medians of several commands measured in turn, so a busy moment hits them all alike."""
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for command in commands.values():
        run_once(command, **kwargs)  # warm-up
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run_once(command, **kwargs))
    return {
        name: Sample(statistics.median(s.seconds for s in got), max(s.peak_mib for s in got))
        for name, got in samples.items()
    }
