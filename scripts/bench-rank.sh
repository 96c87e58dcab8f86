#!/usr/bin/env bash
# Ranking benchmark (docs/performance.md, "Ranking (POST /api/v1/rank)"): starts the app
# (scripts/bench-app.sh), runs io.splitrank.benchmarks.rank.RankBenchmark against 127.0.0.1 only (per
# shipped model: rank calls at 1 and 8 concurrent clients, beside DJL's raw forward pass of the same
# artifact on the same candidates in the benchmark's own process), and stops the app.
# APP_ARGS adds arguments to the app, APP_LOG keeps its log.
# Usage: scripts/bench-rank.sh [--requests=2000] [--candidates=100] [--clients=1,8] [--warmup=1000]
#          [--forward=N] [--models=baseline,ektm,htlnet,aem2tl] [--scenario=home]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-app.sh
timeout 3600 java -Xmx1g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.rank.RankBenchmark \
  --api="http://127.0.0.1:$PORT" --key="$SPLITRANK_ADMIN_KEY" \
  --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" --app-pid="$APP" --data-dir="$DATA" "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
