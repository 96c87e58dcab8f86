#!/usr/bin/env bash
# Report benchmark (docs/performance.md, "Reports"): builds, starts the app on a free loopback port with
# a throw-away embedded PostgreSQL, runs io.splitrank.benchmarks.report.ReportBenchmark against it
# (generates the experiment with SQL, attributes it, times the report) and stops the app.
# Usage: scripts/bench-report.sh [--units=1000000] [--events=10000000] [--runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PGPORT=$(free_port)
mvn -q -B -o -DskipTests package -pl app,benchmarks -am
DATA=$(mktemp -d)
# a copy of the jar, so that rebuilding the project meanwhile cannot break the running app
cp app/target/splitrank.jar "$DATA/splitrank.jar"
cp benchmarks/target/benchmarks.jar "$DATA/benchmarks.jar"
export SPLITRANK_ADMIN_KEY=bench-admin-key
java -Xmx2g -jar "$DATA/splitrank.jar" --server.port="$PORT" --server.address=127.0.0.1 \
  --splitrank.data-dir="$DATA/db" --splitrank.embedded-postgres.port="$PGPORT" \
  --logging.level.root=warn --logging.level.io.splitrank=info >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 180); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | grep 'Model name' | sed 's/Model name: *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)"
timeout 3600 java -Xmx1g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.report.ReportBenchmark \
  --api="http://127.0.0.1:$PORT" --key="$SPLITRANK_ADMIN_KEY" \
  --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
