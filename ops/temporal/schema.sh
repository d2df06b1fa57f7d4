#!/bin/sh
# Temporal's two databases on PostgreSQL (and the product's, for its data keys), created and migrated with Temporal's own SQL tool and the
# schema files of the server version in use: the explicit schema step Temporal recommends instead
# of the auto-setup image. Idempotent: databases that exist are migrated to the latest version.
# docker-compose.yml runs it in the admin-tools image; `npm run stack` runs it with the tool and
# schema files of the server it builds (SQL_TOOL, SCHEMA_DIR). TLS to PostgreSQL as the server
# has it (production.yaml): POSTGRES_TLS=true, POSTGRES_TLS_CA_FILE, POSTGRES_TLS_CERT_FILE,
# POSTGRES_TLS_KEY_FILE, POSTGRES_TLS_DISABLE_HOST_VERIFICATION, passed to the tool's own variables.
set -eu
: "${POSTGRES_HOST:?}" "${POSTGRES_USER:?}" "${POSTGRES_PASSWORD:?}"
if [ "${POSTGRES_TLS:-false}" = true ]; then
  export SQL_TLS=true
  [ -z "${POSTGRES_TLS_CA_FILE:-}" ] || export SQL_TLS_CA_FILE="$POSTGRES_TLS_CA_FILE"
  [ -z "${POSTGRES_TLS_CERT_FILE:-}" ] || export SQL_TLS_CERT_FILE="$POSTGRES_TLS_CERT_FILE"
  [ -z "${POSTGRES_TLS_KEY_FILE:-}" ] || export SQL_TLS_KEY_FILE="$POSTGRES_TLS_KEY_FILE"
  [ "${POSTGRES_TLS_DISABLE_HOST_VERIFICATION:-false}" != true ] || export SQL_TLS_DISABLE_HOST_VERIFICATION=true
fi
tool=${SQL_TOOL:-temporal-sql-tool}
schemas=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}

sql() {
  "$tool" --plugin postgres12 --ep "$POSTGRES_HOST" -p "${POSTGRES_PORT:-5432}" \
    -u "$POSTGRES_USER" --pw "$POSTGRES_PASSWORD" "$@"
}

# The product's own database: each onboarding's data key (src/temporal/data-keys/postgres-store.ts
# makes its table). Fails when it exists.
sql --db credit_onboarding create 2>/dev/null || true

for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  schema=${pair##*:}
  # Both fail when an earlier run did them; the migration below is what must succeed.
  sql --db "$db" create 2>/dev/null || true
  sql --db "$db" setup-schema -v 0.0 2>/dev/null || true
  sql --db "$db" update-schema -d "$schemas/$schema/versioned"
  echo "database $db: schema up to date"
done
