#!/usr/bin/env bash
# Runs CI (`bash .ci/run`) N times in a row, each in a fresh clone of HEAD as CI does, and stops at the
# first failure: the check behind "green ten times in a row on 2 cores" (issue #12 C). One line per run
# goes to the report: run number, exit status, seconds, and the runner's pass/fail counts.
# Usage: scripts/ci-repeat.sh [N=10] [report=ci-repeat.txt]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
report="${2:-ci-repeat.txt}"
rev="$(git rev-parse --short HEAD)" # every run tests this commit, even if HEAD moves meanwhile
echo "# ci-repeat of ${rev} on $(nproc) cores, started $(date -u +%FT%TZ)" >>"$report"
for i in $(seq 1 "$runs"); do
  dir="$(mktemp -d)"
  git clone -q . "$dir" && git -C "$dir" checkout -q "$rev"
  start=$(date +%s)
  (cd "$dir" && bash .ci/run) >"$dir.log" 2>&1
  status=$?
  secs=$(($(date +%s) - start))
  pass=$(grep -E '^ℹ pass ' "$dir.log" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^ℹ fail ' "$dir.log" | tail -1 | awk '{print $3}')
  echo "run ${i}/${runs} ${rev}: exit ${status}, ${secs} s, pass ${pass:-?}, fail ${fail:-?} (log ${dir}.log)" | tee -a "$report"
  rm -rf "$dir"
  if [ "$status" -ne 0 ]; then
    echo "stopped: run ${i} failed" | tee -a "$report"
    exit 1
  fi
done
echo "green ${runs} times in a row" | tee -a "$report"
