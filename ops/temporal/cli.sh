# Sourced by setup.sh and release.sh: `temporal_cli` runs the temporal CLI with the TLS settings of
# the environment, under the product's own variable names (docs/configuration.md), as flags:
#   TEMPORAL_TLS_CERT_PATH, TEMPORAL_TLS_KEY_PATH     the client certificate and its key
#   TEMPORAL_TLS_SERVER_ROOT_CA_PATH                  the authority that signed the server's
#   TEMPORAL_TLS_SERVER_NAME                          the name to check the server's against
temporal_cli() {
  if [ -n "${TEMPORAL_TLS_CERT_PATH:-}" ]; then
    set -- "$@" --tls-cert-path "$TEMPORAL_TLS_CERT_PATH" \
      --tls-key-path "${TEMPORAL_TLS_KEY_PATH:?TEMPORAL_TLS_KEY_PATH goes with TEMPORAL_TLS_CERT_PATH}"
  fi
  if [ -n "${TEMPORAL_TLS_SERVER_ROOT_CA_PATH:-}" ]; then
    set -- "$@" --tls-ca-path "$TEMPORAL_TLS_SERVER_ROOT_CA_PATH"
  fi
  if [ -n "${TEMPORAL_TLS_SERVER_NAME:-}" ]; then
    set -- "$@" --tls-server-name "$TEMPORAL_TLS_SERVER_NAME"
  fi
  temporal "$@"
}
