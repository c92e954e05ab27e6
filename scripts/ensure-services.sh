#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests use answer, starting them when they are
# installed but stopped. Addresses: LEDGERLINE_TEST_DATABASE_URL, LEDGERLINE_TEST_REDIS_URL
# (defaults postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379).
set -euo pipefail

pg_ok() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
redis_ok() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if [ -n "${LEDGERLINE_TEST_DATABASE_URL:-}" ] || [ -n "${LEDGERLINE_TEST_REDIS_URL:-}" ]; then
  echo "ensure-services: using the services named in LEDGERLINE_TEST_*; not starting any" >&2
  exit 0
fi

if ! pg_ok; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "ensure-services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_ok && break; sleep 1; done
  fi
  pg_ok || { echo "ensure-services: PostgreSQL does not answer on 127.0.0.1:5432 (user postgres, trust auth)" >&2; exit 1; }
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres test
fi

if ! redis_ok; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "ensure-services: starting Redis" >&2
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do redis_ok && break; sleep 1; done
  fi
  redis_ok || { echo "ensure-services: Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
fi
echo "ensure-services: PostgreSQL and Redis answer" >&2
