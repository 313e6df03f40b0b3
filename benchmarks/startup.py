#!/usr/bin/env python3
"""Cold start of the desktop app: process start → first painted event list, from a warm cache.

    python benchmarks/startup.py [--json] [--runs 5] [--lang nl|en]

Each run is a fresh ``python main.py --demo --benchmark-startup`` process (offscreen unless
QT_QPA_PLATFORM says otherwise) in a private BOXOFFICE_HOME. The first, unmeasured run fills the
offline cache from the embedded simulator; the measured runs then paint the cached list before any
network call. The child prints the wall-clock time of its first painted, non-empty list and quits
through the normal orderly shutdown. Reported: the median of the measured runs (and all runs).

Bytecode: an installed app (pip wheel, PyInstaller bundle) starts from compiled ``.pyc`` files, while
a source checkout run with PYTHONDONTWRITEBYTECODE=1 (as on our CI machines) compiles every module
of the app on every start, which alone costs about 0.25 s. So the children get a private, temporary
PYTHONPYCACHEPREFIX that ``compileall`` fills first: the repository is never written to, and the
figure is that of the app a venue installs. ``--no-bytecode`` measures the source-only start.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child_env(home: Path, pycache: Path | None) -> dict[str, str]:
    env = dict(os.environ, BOXOFFICE_HOME=str(home))
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def compile_bytecode(env: dict[str, str]) -> None:
    """Compile the app and its dependencies into the private pycache prefix, as an install would."""
    import sysconfig

    targets = [str(ROOT / "main.py"), str(ROOT / "boxoffice"), sysconfig.get_paths()["purelib"]]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *targets],
                   env=env, check=False, capture_output=True, timeout=600)


def one_run(home: Path, lang: str, pycache: Path | None) -> tuple[float, dict]:
    env = child_env(home, pycache)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.time()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--demo", "--benchmark-startup", "--lang", lang],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    if proc.returncode != 0:
        raise SystemExit(f"app exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise SystemExit(f"no benchmark line in output:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    data = json.loads(line)
    return (data["first_paint_unix"] - started) * 1000.0, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="en", choices=("en", "nl"))
    parser.add_argument("--no-bytecode", action="store_true",
                        help="do not precompile: every start compiles the app's sources")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boxoffice-bench-") as tmp:
        home = Path(tmp) / "home"
        pycache = None if args.no_bytecode else Path(tmp) / "pycache"
        if pycache is not None:
            compile_bytecode(child_env(home, pycache))
        warm_ms, _ = one_run(home, args.lang, pycache)  # fills the cache (network)
        runs = [one_run(home, args.lang, pycache) for _ in range(max(1, args.runs))]
    times = [round(ms, 1) for ms, _data in runs]
    result = {
        "cold_start_ms": round(statistics.median(times), 1),
        "runs_ms": times,
        "first_run_uncached_ms": round(warm_ms, 1),
        "performances": runs[-1][1].get("performances"),
        "bytecode": pycache is not None,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"cold start (warm cache), median of {len(times)}: {result['cold_start_ms']} ms "
              f"(runs {times}; first uncached run {result['first_run_uncached_ms']} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
