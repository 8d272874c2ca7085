#!/usr/bin/env bash
# Runs Okta's own Node SDK integration suites (test/it in an okta-sdk-nodejs checkout), unchanged, against a
# sandbox Okta started here, and prints pass/fail counts. It needs the network (npm installs the suites'
# test tools), so it is a measurement for people, never part of `npm test`. See docs/okta-sdk-integration.md.
#
# Usage: scripts/okta-sdk-integration.sh <path to okta-sdk-nodejs checkout> [suite ...]
#   suite: a file name under test/it without `.ts` (default: the users, groups, apps, app users, group
#   assignments, event hooks and System Log suites listed below).
# Environment:
#   OKTA_IT_WORKDIR   scratch directory (default: a new one under $TMPDIR); reusing one skips the npm install
#   OKTA_IT_MIN_PASS  exit 1 when fewer than this percentage pass (default 95)
#   OKTA_IT_SEED      sandbox seed, demo | empty (default demo: a real test org always holds some users)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHECKOUT="${1:?usage: $0 <okta-sdk-nodejs checkout> [suite ...]}"
shift || true
CHECKOUT="$(cd "$CHECKOUT" && pwd)"
[ -d "$CHECKOUT/test/it" ] || { echo "no test/it in $CHECKOUT" >&2; exit 2; }

DEFAULT_SUITES=(
  # users
  client-list-users user-get user-lifecycle user-expire-password user-profile-update user-client
  # groups
  group-get group-list group-search group-update group-user-operations group-app
  # apps
  client-list-applications client-get-application client-create-application client-update-application
  client-activate-application client-deactivate-application application-activate-deactivate
  application-delete application-update
  # app users
  client-list-application-users client-get-application-user client-assign-user-to-application
  client-delete-application-user application-assign-user application-get-user application-list-users
  appuser-delete
  # group-to-app assignments
  application-get-group-assignment application-group-assignment-delete application-list-group-assignments
  application-update-group-assignment client-delete-group-application-assignment
  client-get-group-application-assignment client-list-application-group-assignment
  client-update-group-application-assignment
  # event hooks and System Log
  eventhook-crud eventhook-lifecycle client-get-logs
)
if [ "$#" -gt 0 ]; then SUITES=("$@"); else SUITES=("${DEFAULT_SUITES[@]}"); fi

SDK="$REPO/node_modules/@okta/okta-sdk-nodejs"
[ -d "$SDK" ] || { echo "the SDK is not installed in $REPO (run npm install)" >&2; exit 2; }
sdk_version="$(node -p "require('$SDK/package.json').version")"
checkout_version="$(node -p "require('$CHECKOUT/package.json').version")"
if [ "$sdk_version" != "$checkout_version" ]; then
  echo "warning: the suites come from okta-sdk-nodejs $checkout_version but the SDK under test is $sdk_version;" >&2
  echo "         check out the matching tag (okta-sdk-nodejs-$sdk_version) for a like-for-like run" >&2
fi

WORK="${OKTA_IT_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/okta-sdk-it.XXXXXX")}"
mkdir -p "$WORK"
echo "[okta-sdk-it] scratch directory $WORK"

# The suites, byte for byte, plus the tools their own package.json uses (mocha 10, chai 4, sinon,
# ts-node, faker 5 and the helpers test/utils.ts requires).
rm -rf "$WORK/test"
cp -R "$CHECKOUT/test" "$WORK/test"
if [ ! -d "$WORK/node_modules/mocha" ]; then
  echo '{ "name": "okta-sdk-it-scratch", "private": true }' >"$WORK/package.json"
  (cd "$WORK" && npm install --no-audit --no-fund --loglevel=error \
    mocha@10.8.2 chai@4 sinon@17 ts-node@10 typescript@5 @faker-js/faker@5.5.3 \
    @types/mocha@10.0.10 @types/chai@4 @types/node@20 rasha@1 njwt@2 node-forge@1 @types/node-forge)
fi
# `@okta/okta-sdk-nodejs` resolves to the SDK this repository uses, as the product does.
mkdir -p "$WORK/node_modules/@okta"
ln -sfn "$SDK" "$WORK/node_modules/@okta/okta-sdk-nodejs"
# The suites' own mocha setup points at the SDK's source tree and a junit reporter; this one runs the same
# files with ts-node in transpile-only mode (type checking the suites is not what is measured).
cat >"$WORK/tsconfig.json" <<'JSON'
{ "compilerOptions": { "module": "commonjs", "target": "es2020", "resolveJsonModule": true, "allowJs": true } }
JSON
cat >"$WORK/.mocharc.json" <<'JSON'
{ "require": ["ts-node/register"], "extension": ["ts", "js"], "timeout": 120000 }
JSON

# The sandbox: API token from src/sandbox/credentials.ts, rate limits off (the suites make hundreds of app
# calls a minute; Okta's 100/min apps bucket would only slow them through the SDK's 429 retries).
cat >"$WORK/sandbox.mts" <<TS
import { OKTA_RATE_BUCKETS, startOktaSandbox } from '$REPO/src/sandbox/okta/index.ts';
import { SANDBOX_OKTA_API_TOKEN } from '$REPO/src/sandbox/credentials.ts';
void (async () => {
  const limits = Object.fromEntries(OKTA_RATE_BUCKETS.map((b) => [b, 0]));
  const s = await startOktaSandbox({
    apiTokens: [SANDBOX_OKTA_API_TOKEN],
    seed: process.env.OKTA_IT_SEED === 'empty' ? 'empty' : 'demo',
    rateLimits: { limits, concurrency: 0 },
  });
  process.stdout.write(\`\${s.url} \${SANDBOX_OKTA_API_TOKEN}\n\`);
  process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
})();
TS
(cd "$REPO" && exec node --import tsx "$WORK/sandbox.mts" >"$WORK/sandbox.out" 2>"$WORK/sandbox.err") &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q '^http' "$WORK/sandbox.out" 2>/dev/null && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.err" >&2; exit 1; }
  sleep 0.2
done
read -r ORG_URL API_TOKEN <"$WORK/sandbox.out"
[ -n "$ORG_URL" ] || { echo "the sandbox did not start" >&2; cat "$WORK/sandbox.err" >&2; exit 1; }
echo "[okta-sdk-it] sandbox Okta at $ORG_URL"

FILES=()
for s in "${SUITES[@]}"; do
  [ -f "$WORK/test/it/$s.ts" ] || { echo "no suite test/it/$s.ts in $CHECKOUT" >&2; exit 2; }
  FILES+=("test/it/$s.ts")
done

echo "[okta-sdk-it] running ${#FILES[@]} suites"
set +e
(cd "$WORK" && OKTA_CLIENT_ORGURL="$ORG_URL" OKTA_CLIENT_TOKEN="$API_TOKEN" OKTA_CLIENT_AUTHORIZATIONMODE=SSWS TEST_TYPE=it TS_NODE_PROJECT="$WORK/tsconfig.json" \
  TS_NODE_TRANSPILE_ONLY=true npx mocha --exit --reporter json --reporter-option "output=$WORK/results.json" \
  "${FILES[@]}" >"$WORK/mocha.log" 2>&1)
set -e
[ -s "$WORK/results.json" ] || { echo "mocha wrote no results; see $WORK/mocha.log" >&2; exit 1; }

# A failing before/after hook counts as one failure (its tests never ran); skipped tests are not counted.
MIN_PASS="${OKTA_IT_MIN_PASS:-95}" node -e '
const r = require(process.argv[1]);
const file = (t) => (t.file || "").split("/").pop();
const byFile = {};
for (const t of r.passes) (byFile[file(t)] ??= [0, 0])[0]++;
for (const t of r.failures) (byFile[file(t)] ??= [0, 0])[1]++;
for (const [f, [p, x]] of Object.entries(byFile).sort()) console.log(`  ${x ? "FAIL" : "ok  "} ${f}: ${p} passed, ${x} failed`);
for (const t of r.failures)
  console.log(`  failed: ${t.fullTitle}\n          ${(t.err.message || "").split("\n")[0].slice(0, 200)}`);
const pass = r.stats.passes, fail = r.stats.failures;
const pct = (100 * pass) / Math.max(1, pass + fail);
console.log(`[okta-sdk-it] ${pass} passed, ${fail} failed, ${r.stats.pending} skipped: ${pct.toFixed(1)}% pass`);
process.exit(pct >= Number(process.env.MIN_PASS) ? 0 : 1);
' "$WORK/results.json"
