#!/bin/sh
# Makes a worker deployment version current: new onboardings start on it, while those that started
# on an earlier version stay pinned to it and finish there (README, Production: releases). Run it
# once the new version's workers are polling; Temporal refuses a version no worker polls yet, so it
# retries for a while. Needs TEMPORAL_ADDRESS, TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID, and
# the client certificate the server requires (TEMPORAL_TLS_*: cli.sh).
set -eu
# The temporal CLI with the TLS flags the environment asks for (TEMPORAL_TLS_*: cli.sh).
. "$(dirname "$0")/cli.sh"
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_DEPLOYMENT_NAME:?}" "${TEMPORAL_BUILD_ID:?}"
namespace=${TEMPORAL_NAMESPACE:-default}

tries=0
until temporal_cli worker deployment set-current-version --namespace "$namespace" \
  --deployment-name "$TEMPORAL_DEPLOYMENT_NAME" --build-id "$TEMPORAL_BUILD_ID" --yes >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    temporal_cli worker deployment set-current-version --namespace "$namespace" \
      --deployment-name "$TEMPORAL_DEPLOYMENT_NAME" --build-id "$TEMPORAL_BUILD_ID" --yes
    exit 1
  fi
  sleep 2
done
echo "deployment $TEMPORAL_DEPLOYMENT_NAME: build $TEMPORAL_BUILD_ID is current"
