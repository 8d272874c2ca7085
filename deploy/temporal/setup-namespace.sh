#!/bin/sh
# Creates the namespace (7 days of history retention) and registers access-bridge's custom search
# attributes. Idempotent: existing ones are left as they are. Keep the list in step with
# src/workflows/search-attributes.ts (a test checks it).
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention 7d
for attr in TicketId OktaRequestId RequesterEmail ResourceName Outcome; do
  temporal operator search-attribute create --namespace "$ns" --name "$attr" --type Keyword >/dev/null 2>&1 || true
done
temporal operator search-attribute list --namespace "$ns"
echo "Namespace $ns ready"
