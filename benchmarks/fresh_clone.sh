#!/usr/bin/env bash
# Time from a fresh clone to a served page: clone, `make run` (venv, locked packages, migrate, demo data,
# runserver), poll until the front page answers 200. Usage: benchmarks/fresh_clone.sh [PORT]
# Note: pip's download cache (~/.cache/pip) makes repeated runs faster; pass PIP_NO_CACHE_DIR=1 for a cold run.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8765}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; pkill -f "runserver 127.0.0.1:$port" || true; rm -rf "$work"' EXIT
start=$(date +%s.%N)
git clone --quiet "$src" "$work/os2hub"
cd "$work/os2hub"
(PORT=$port make run > "$work/run.log" 2>&1 & echo $! > "$work/pid")
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
  sleep 0.5
  if [ "$(echo "$(date +%s.%N) - $start > 600" | bc)" = 1 ]; then echo "timed out"; tail -20 "$work/run.log"; exit 1; fi
done
end=$(date +%s.%N)
printf 'fresh clone to served page: %.1f s\n' "$(echo "$end - $start" | bc)"
