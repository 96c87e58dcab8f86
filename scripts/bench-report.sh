#!/usr/bin/env bash
# Report benchmark (docs/performance.md, "Reports"): starts the app (scripts/bench-app.sh), runs
# io.splitrank.benchmarks.report.ReportBenchmark against it (generates the experiment with SQL,
# attributes it, times the report beside a recomputation from the event log) and stops the app.
# Usage: scripts/bench-report.sh [--units=1000000] [--events=10000000] [--runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-app.sh
timeout 3600 java -Xmx1g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.report.ReportBenchmark \
  --api="http://127.0.0.1:$PORT" --key="$SPLITRANK_ADMIN_KEY" \
  --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
