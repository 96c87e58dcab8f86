#!/usr/bin/env bash
# Event ingestion and aggregation benchmark (docs/performance.md, "Event ingestion and aggregation"):
# builds, starts the app on a free port with a throw-away embedded PostgreSQL, runs the driver
# io.splitrank.benchmarks.ingest.IngestBenchmark against 127.0.0.1 only, and stops the app.
# --events=0 runs only the aggregate-query part.
# APP_ARGS adds arguments to the app (e.g. --splitrank.aggregates.enabled=false), APP_LOG keeps its log.
# Usage: scripts/bench-ingest.sh [--events=1000000] [--seconds=60] [--threads=2] [--batch=5000]
#          [--units=20000] [--probes=100] [--report-units=1000000] [--report-events=10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PGPORT=$(free_port)
mvn -q -B -o -DskipTests package -pl app,benchmarks -am
DATA=$(mktemp -d)
# copies of the jars, so that rebuilding the project meanwhile cannot break the running benchmark
cp app/target/splitrank.jar "$DATA/splitrank.jar"
cp benchmarks/target/benchmarks.jar "$DATA/benchmarks.jar"
export SPLITRANK_ADMIN_KEY=bench-admin-key
java -Xmx2g -jar "$DATA/splitrank.jar" --server.port="$PORT" --server.address=127.0.0.1 \
  --splitrank.data-dir="$DATA/db" --splitrank.embedded-postgres.port="$PGPORT" \
  --logging.level.root=warn --logging.level.io.splitrank=info ${APP_ARGS:-} >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; if [ -n "${APP_LOG:-}" ]; then cp "$DATA/app.log" "$APP_LOG"; fi; rm -rf "$DATA"' EXIT
for _ in $(seq 180); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | grep 'Model name' | sed 's/Model name: *//')"
echo "commit: $(git rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 1500 java -Xmx2g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.ingest.IngestBenchmark \
  --api="http://127.0.0.1:$PORT" --key="$SPLITRANK_ADMIN_KEY" \
  --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" "$@"
