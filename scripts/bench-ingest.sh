#!/usr/bin/env bash
# Event ingestion and aggregation benchmark (docs/performance.md, "Event ingestion and aggregation"):
# starts the app (scripts/bench-app.sh), runs io.splitrank.benchmarks.ingest.IngestBenchmark against
# 127.0.0.1 only, and stops the app. --events=0 runs only the aggregate-query part.
# APP_ARGS adds arguments to the app, APP_LOG keeps its log. Ingestion alone, without attribution
# competing for the cores: APP_ARGS=--splitrank.aggregates.enabled=false scripts/bench-ingest.sh --aggregator=off …
# Usage: scripts/bench-ingest.sh [--events=1000000] [--seconds=60] [--threads=2] [--batch=5000] [--rounds=1] [--warmup=50]
#          [--units=20000] [--probes=100] [--report-units=1000000] [--report-events=10000000]
# --index-costs=true instead COPYs the same rows into bare tables carrying one index of the event table each.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-app.sh
timeout 1500 java -Xmx2g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.ingest.IngestBenchmark \
  --api="http://127.0.0.1:$PORT" --key="$SPLITRANK_ADMIN_KEY" \
  --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" --app-pid="$APP" --data-dir="$DATA" "$@"
