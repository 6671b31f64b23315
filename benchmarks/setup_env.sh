#!/usr/bin/env bash
# Create the benchmark environment: skhyper (editable) and its peers.
#
#   bash benchmarks/setup_env.sh            # -> /tmp/skhyper-bench
#   BENCH_ENV=/some/where bash benchmarks/setup_env.sh
#
# Then run a benchmark with "$BENCH_ENV/bin/python benchmarks/<script>.py".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV="${BENCH_ENV:-/tmp/skhyper-bench}"

if [ ! -x "$ENV/bin/python" ]; then
    python3 -m venv "$ENV"
fi
PY="$ENV/bin/python"
# torch first, pinned: 2.13.0 resolves to the CPU wheel; a looser spec would
# let pip pick a CUDA build and download several GB.
"$PY" -m pip install --quiet torch==2.13.0
"$PY" -m pip install --quiet -e "$ROOT" -r "$ROOT/benchmarks/requirements.txt"
# HEBO 0.3.6 pins numpy<1.25 (and GPy, catboost it does not need here): take it
# without its dependencies, plus what its HEBO optimizer imports. It runs on
# numpy 2 this way; pip reports the unmet pins, which are expected.
"$PY" -m pip install --quiet --no-deps hebo==0.3.6
"$PY" -m pip install --quiet gpytorch pymoo==0.6.0 disjoint-set
"$PY" - <<'PY'
import importlib

for name in ("sklearn", "numpy", "scipy", "torch", "optuna", "optuna_integration", "skopt", "hebo", "smac", "skhyper"):
    try:
        module = importlib.import_module(name)
        print(f"{name:20s} {getattr(module, '__version__', '?')}")
    except Exception as exc:  # report, do not hide
        print(f"{name:20s} NOT IMPORTABLE: {type(exc).__name__}: {exc}")
PY
