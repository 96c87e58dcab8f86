#!/usr/bin/env bash
# Load test of POST /api/v1/assign beside GET /api/v1/whoami (the trivial authenticated endpoint) in
# the same run, over loopback, with exposure logging on. Starts its own app on a free port with a
# throw-away embedded PostgreSQL; stops it at the end. Usage: scripts/bench-assign.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
CONNECTIONS=${2:-32}
PORT=${PORT:-18080}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -f app/target/splitrank.jar ] || mvn -q -B -DskipTests package
DATA=$(mktemp -d)
export SPLITRANK_ADMIN_KEY=bench-admin-key
java -Xmx2g -jar app/target/splitrank.jar --server.port=$PORT --splitrank.data-dir="$DATA" \
  --logging.level.root=warn --logging.level.io.splitrank=info >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
API=http://127.0.0.1:$PORT/api/v1
for _ in $(seq 120); do curl -sf http://127.0.0.1:$PORT/actuator/health >/dev/null && break; sleep 1; done
K="Authorization: Bearer $SPLITRANK_ADMIN_KEY"; J="Content-Type: application/json"
# three running experiments: one plain, one in a layer, one with targeting
curl -sf -XPOST $API/experiments -H "$K" -H "$J" -d '{"key": "bench-plain", "arms": [{"key": "control", "model": "baseline"}, {"key": "ektm", "model": "ektm"}, {"key": "htlnet", "model": "htlnet"}]}' >/dev/null
curl -sf -XPOST $API/experiments -H "$K" -H "$J" -d '{"key": "bench-layer", "layer": "feed", "layerRange": [0, 0.5], "arms": [{"key": "control", "model": "baseline"}, {"key": "aem2tl", "model": "aem2tl"}]}' >/dev/null
curl -sf -XPOST $API/experiments -H "$K" -H "$J" -d '{"key": "bench-targeted", "coverage": 0.5, "condition": {"country": {"$in": ["DE", "FR"]}, "appVersion": {"$vgte": "5.0.0"}}, "arms": [{"key": "control", "model": "baseline"}, {"key": "ektm", "model": "ektm"}]}' >/dev/null
for k in bench-plain bench-layer bench-targeted; do curl -sf -XPOST $API/experiments/$k/start -H "$K" >/dev/null; done
echo "== warm-up"; wrk -t2 -c$CONNECTIONS -d10s -s scripts/assign.lua $API/assign >/dev/null; wrk -t2 -c$CONNECTIONS -d5s -s scripts/whoami.lua $API/whoami >/dev/null
echo "== GET /api/v1/whoami (trivial authenticated endpoint)"
wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency -s scripts/whoami.lua $API/whoami
echo "== POST /api/v1/assign (3 running experiments, exposure logging on)"
wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency -s scripts/assign.lua $API/assign
sleep 1
echo "== exposures written"
PGPORT=$(grep -o 'Embedded PostgreSQL on port [0-9]*' "$DATA/app.log" | grep -o '[0-9]*$' || true)
if [ -n "$PGPORT" ] && command -v psql >/dev/null; then
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "select count(*) from exposure"
fi
