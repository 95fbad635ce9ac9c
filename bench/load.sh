#!/usr/bin/env bash
# make load: bounded, loopback-only load check. gunicorn on 127.0.0.1 with the
# synthetic PostgreSQL database; wrk at 16 connections for 30 s on a mix of
# /claims/ filter URLs while bench/load_ratings.py submits ratings as a
# logged-in reviewer. Fails on any 5xx, any other non-2xx answer or lost
# rating; records the figures in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/mg_bench}
PORT=${LOAD_PORT:-8190}
DURATION=${LOAD_SECONDS:-30}
CONNECTIONS=${LOAD_CONNECTIONS:-16}
WORKERS=${LOAD_WORKERS:-4}
OUT=bench/data/load
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing wrk (Debian package)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "make load needs wrk: sudo apt-get install wrk" >&2; exit 1
  fi
fi

echo "== preparing $URL"
$PY bench/prepare.py "$URL"

export DATABASE_URL=$URL DEBUG=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 \
  SECRET_KEY="load-$(head -c 24 /dev/urandom | base64)" \
  SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 BEHIND_PROXY=0 \
  AXES_FAILURE_LIMIT=1000 LOG_LEVEL=WARNING
$PY manage.py collectstatic --no-input -v0

start_server() {  # $1: the page cache: off, local (memory, per worker), redis-readers or redis
  local cache=$1 env=(PAGE_CACHE=1 REDIS_URL= PAGE_CACHE_WARM=)
  [ "$cache" = off ] && env=(PAGE_CACHE=0 REDIS_URL= PAGE_CACHE_WARM=)
  # On Redis, as deployed (writers build the pages readers read: PAGE_CACHE_WARM's default
  # there), and with readers building them after each change, as before.
  [ "$cache" = redis ] && env=(PAGE_CACHE=1 "REDIS_URL=$SPIKE_REDIS_URL" PAGE_CACHE_WARM=)
  [ "$cache" = redis-readers ] && env=(PAGE_CACHE=1 "REDIS_URL=$SPIKE_REDIS_URL" PAGE_CACHE_WARM=0)
  echo "== gunicorn on 127.0.0.1:$PORT, $WORKERS workers, page cache: $cache"
  env "${env[@]}" .venv/bin/gunicorn mgreview.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --access-logfile "$OUT/access.log" --error-logfile "$OUT/error.log" --pid "$OUT/gunicorn.pid" &
  GUNICORN=$!
  for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/claims/" && break
    sleep 0.2
  done
  : > "$OUT/access.log"
}
stop_server() {
  kill "$GUNICORN" 2>/dev/null || true
  wait "$GUNICORN" 2>/dev/null || true
}
REDIS_PID=
cleanup() {
  stop_server
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
}
trap cleanup EXIT
# The writers log in (a password hash: 1.7-2.0 s of a worker's time under the spike) and import Django
# before the clock starts, then write for the whole of wrk's run (bench/common.py).
writers_ready() {  # $1: the go file to create; then pairs of a writer's pid and its ready file
  local go=$1 pid ready all; shift
  local args=("$@")
  for _ in $(seq 1200); do
    all=1
    for ((i = 0; i < ${#args[@]}; i += 2)); do
      pid=${args[i]} ready=${args[i + 1]}
      kill -0 "$pid" 2>/dev/null || { echo "a writer stopped before the start" >&2; return 1; }
      [ -e "$ready" ] || all=0
    done
    if [ "$all" = 1 ]; then touch "$go"; return 0; fi
    sleep 0.1
  done
  echo "the writers were not ready after 120 s" >&2; return 1
}
# The machine's speed before and after each run, as the page benchmark records it: on a shared
# machine the same code's throughput follows it (docs/benchmarks.md).
calibrate() {  # $1: before or after; with no server running, since the loop shares the cores
  echo "$1 $($PY bench/common.py)"
}
calibrate before > "$OUT/calibration.txt"
start_server local

echo "== wrk -c$CONNECTIONS -d${DURATION}s + rating submissions"
: > "$OUT/access.log"
rm -f "$OUT"/*.ready "$OUT"/go
$PY bench/load_ratings.py --base "http://127.0.0.1:$PORT" --seconds "$DURATION" \
  --ready "$OUT/ratings.ready" --go "$OUT/go" > "$OUT/ratings.txt" &
RATINGS=$!
writers_ready "$OUT/go" "$RATINGS" "$OUT/ratings.ready"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 20s --latency -s bench/load.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
RATINGS_RC=0
wait "$RATINGS" || RATINGS_RC=$?
cat "$OUT/ratings.txt"
SERVER_5XX=$(awk '$9 ~ /^5/ {n++} END {print n+0}' "$OUT/access.log")
echo "5xx in the access log: $SERVER_5XX"

FAILED=0
if [ "$SERVER_5XX" != 0 ] || [ "$RATINGS_RC" != 0 ] || grep -qE " (5xx|non2xx)=[1-9]" "$OUT/wrk.txt"; then
  echo "LOAD CHECK FAILED (the /claims/ mix)" >&2; FAILED=1
fi
stop_server
calibrate after >> "$OUT/calibration.txt"

# The spike: SPIKE_CONNECTIONS on a few hot pages while the reviewer rates and a lead
# keeps changing the hot claims' consensus: with the page cache off, in each worker's
# memory (the default) and, when redis-server is installed, on a throwaway Redis.
SPIKE_SECONDS=${SPIKE_SECONDS:-30}
SPIKE_CONNECTIONS=${SPIKE_CONNECTIONS:-64}
MODES="off local"
if command -v redis-server >/dev/null; then
  REDIS_PORT=${SPIKE_REDIS_PORT:-6392}
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
  REDIS_PID=$!
  SPIKE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  MODES="$MODES redis-readers redis"
fi
$PY bench/load_spike.py hot "$OUT"
rm -f "$OUT"/spike-*
for cache in $MODES; do
  calibrate before > "$OUT/spike-$cache-calibration.txt"
  start_server "$cache"
  echo "== spike, page cache $cache: wrk -c$SPIKE_CONNECTIONS -d${SPIKE_SECONDS}s on $(wc -l < "$OUT/hot_paths.txt") hot pages + ratings + a lead"
  rm -f "$OUT"/*.ready "$OUT"/go
  $PY bench/load_ratings.py --base "http://127.0.0.1:$PORT" --seconds "$SPIKE_SECONDS" \
    --ready "$OUT/ratings.ready" --go "$OUT/go" > "$OUT/spike-$cache-ratings.txt" &
  RATINGS=$!
  $PY bench/load_spike.py lead "$OUT" --base "http://127.0.0.1:$PORT" --seconds "$SPIKE_SECONDS" \
    --pause "${SPIKE_LEAD_PAUSE:-2}" --ready "$OUT/lead.ready" --go "$OUT/go" > "$OUT/spike-$cache-lead.txt" &
  LEAD=$!
  writers_ready "$OUT/go" "$RATINGS" "$OUT/ratings.ready" "$LEAD" "$OUT/lead.ready"
  HOT_PATHS="$OUT/hot_paths.txt" wrk -t2 -c"$SPIKE_CONNECTIONS" -d"${SPIKE_SECONDS}s" --timeout 20s --latency \
    -s bench/load.lua "http://127.0.0.1:$PORT" | tee "$OUT/spike-$cache-wrk.txt"
  RC=0; wait "$RATINGS" || RC=1; wait "$LEAD" || RC=1
  cat "$OUT/spike-$cache-ratings.txt" "$OUT/spike-$cache-lead.txt"
  cp "$OUT/access.log" "$OUT/spike-$cache-access.log"
  stop_server
  calibrate after >> "$OUT/spike-$cache-calibration.txt"
  if [ "$RC" != 0 ] || grep -qE " (5xx|non2xx)=[1-9]" "$OUT/spike-$cache-wrk.txt" || awk '$9 ~ /^5/ {f=1} END {exit !f}' "$OUT/spike-$cache-access.log"; then
    echo "SPIKE CHECK FAILED (page cache $cache)" >&2; FAILED=1
  fi
done

$PY bench/load_report.py "$OUT" "$WORKERS" "$CONNECTIONS" "$DURATION" "$SPIKE_CONNECTIONS" "$SPIKE_SECONDS"
if [ "$FAILED" != 0 ]; then
  echo "LOAD CHECK FAILED" >&2; exit 1
fi
echo "Load check passed."
