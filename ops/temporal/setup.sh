#!/bin/sh
# A fresh Temporal cluster made ready for the onboardings: the namespace, and the search attributes
# the onboarding writes (src/search-attributes.ts; test/unit/ops.test.ts keeps the list in step).
# Idempotent. docker-compose.yml runs it in the admin-tools image; `npm run stack` with the
# project's temporal CLI. Needs TEMPORAL_ADDRESS, and the client certificate the server requires
# (TEMPORAL_TLS_CERT_PATH, TEMPORAL_TLS_KEY_PATH, TEMPORAL_TLS_SERVER_ROOT_CA_PATH: cli.sh).
# TEMPORAL_RETENTION (default 7d): how long a closed onboarding's history is kept; set on every run,
# so a change of it applies to the namespace that exists (docs/production.md, Retention).
set -eu
# The temporal CLI with the TLS flags the environment asks for (TEMPORAL_TLS_*: cli.sh).
. "$(dirname "$0")/cli.sh"
: "${TEMPORAL_ADDRESS:?}"
namespace=${TEMPORAL_NAMESPACE:-default}
attributes="OnboardingStage:Keyword OnboardingTenant:Keyword SigningProvider:Keyword OnboardingOutcome:Keyword SigningEnvelopeId:Keyword DataTrustTransactionIds:KeywordList"

tries=0
until temporal_cli operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS is not serving" >&2
    temporal_cli operator cluster health >&2 || true
    exit 1
  fi
  sleep 1
done
retention=${TEMPORAL_RETENTION:-7d}
if temporal_cli operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  temporal_cli operator namespace update --namespace "$namespace" --retention "$retention" >/dev/null
else
  temporal_cli operator namespace create --namespace "$namespace" --retention "$retention"
fi

# A namespace just created takes a few seconds to reach every service: retry until each is listed.
for entry in $attributes; do
  name=${entry%%:*}
  type=${entry##*:}
  tries=0
  until temporal_cli operator search-attribute list --namespace "$namespace" 2>/dev/null | grep -qw "$name"; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "search attribute $name could not be created" >&2; exit 1; }
    temporal_cli operator search-attribute create --namespace "$namespace" --name "$name" --type "$type" \
      >/dev/null 2>&1 || sleep 2
  done
done
echo "namespace $namespace ready: $attributes"
