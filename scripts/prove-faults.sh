#!/usr/bin/env bash
# Shows that each reliability fault test fails when its fault is switched off, so none of them can pass
# without the fault it claims to inject. Runs every file named below alone with RELIABILITY_FAULTS=off (the
# harness then pauses the sandboxes' fault injectors, the relay delivers each webhook once, the storm keeps
# the default rate limits and the fuzzer sends its inputs unmutated) and expects the run to fail.
# Too slow for `npm test` (minutes per file); run it after changing a fault test or the harness:
#   scripts/prove-faults.sh                      # every fault test
#   scripts/prove-faults.sh lost-responses       # files whose path contains the argument
set -uo pipefail
cd "$(dirname "$0")/.."

FILES=(
  test/reliability/duplicate-deliveries.test.ts
  test/reliability/lost-responses.test.ts
  test/reliability/fault-storms.test.ts
  test/reliability/webhook-fuzz.test.ts
)
if [ "$#" -gt 0 ]; then
  selected=()
  for f in "${FILES[@]}"; do
    for want in "$@"; do [[ "$f" == *"$want"* ]] && selected+=("$f"); done
  done
  FILES=("${selected[@]}")
fi
if [ "${#FILES[@]}" -eq 0 ]; then
  echo "prove-faults: no fault test matches $*" >&2
  exit 2
fi

logs="$(mktemp -d)"
failures=0
for f in "${FILES[@]}"; do
  name="$(basename "$f" .test.ts)"
  echo "prove-faults: $f with RELIABILITY_FAULTS=off (expected to fail)"
  if RELIABILITY_FAULTS=off npx tsx scripts/run-tests.ts "$f" >"$logs/$name.log" 2>&1; then
    echo "  NOT PROVEN: it passed with its fault switched off (log: $logs/$name.log)"
    failures=$((failures + 1))
  else
    echo "  proven: it failed with its fault switched off; first failure:"
    grep -m 3 -E 'AssertionError|Error \[|timed out' "$logs/$name.log" | sed 's/^/    /'
  fi
done
echo "prove-faults: $((${#FILES[@]} - failures)) of ${#FILES[@]} fault tests fail without their fault (logs: $logs)"
[ "$failures" -eq 0 ]
