#!/usr/bin/env bash
# Two app nodes sharing one Kafka broker and one PostgreSQL (docs/scaling.md, "Measured: one node and
# two"), on this machine only (127.0.0.1 / localhost), bounded in time and event counts:
#  1. builds the app and the benchmarks, copies both jars and the app's test classpath's broker
#     launcher (scripts/KafkaBenchBroker.java) into a throw-away directory;
#  2. starts one Kafka broker in KRaft mode from Kafka's test kit (as the app's tests do), and app
#     node 1 with splitrank.events.transport=kafka and its own embedded PostgreSQL;
#  3. one node: io.splitrank.benchmarks.ingest.KafkaNodesBenchmark sends --events events through node 1
#     and measures events/s acknowledged and events/s written to PostgreSQL by the consumer group;
#  4. starts node 2 (transport=kafka, the same broker, node 1's PostgreSQL via SPRING_DATASOURCE_URL,
#     the same consumer group) and repeats with the same client threads split across both nodes;
#  5. unless DIRECT_EVENTS=0: stops node 2, starts a node with transport=direct on the same database
#     and runs io.splitrank.benchmarks.ingest.IngestBenchmark against it (the direct path beside a
#     plain COPY, same run; --probes=0 --report-units=0);
# then stops everything and removes the directory. APP_LOG_DIR keeps the logs.
# Usage: scripts/bench-kafka-nodes.sh [--events=500000] [--threads=4] [--batch=5000] [--units=20000]
#          (environment: DIRECT_EVENTS=500000, NODE_HEAP=1g)
set -euo pipefail
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
THREADS=4
for a in "$@"; do case "$a" in --threads=*) THREADS=${a#--threads=} ;; esac; done
DIRECT_EVENTS=${DIRECT_EVENTS:-500000}
NODE_HEAP=${NODE_HEAP:-1g}
mvn -q -B -o -DskipTests package -pl app,benchmarks -am
DATA=$(mktemp -d)
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DATA/test-classpath.txt" -pl app
cp app/target/splitrank.jar benchmarks/target/benchmarks.jar scripts/KafkaBenchBroker.java "$DATA/"
export SPLITRANK_ADMIN_KEY=bench-admin-key
PIDS=()
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done
  if [ -n "${APP_LOG_DIR:-}" ]; then mkdir -p "$APP_LOG_DIR" && cp "$DATA"/*.log "$APP_LOG_DIR/"; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

timeout 2400 java -Xmx768m -cp "$(cat "$DATA/test-classpath.txt")" "$DATA/KafkaBenchBroker.java" \
  "$DATA/bootstrap" 2300 >"$DATA/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 120); do [ -s "$DATA/bootstrap" ] && break; sleep 1; done
[ -s "$DATA/bootstrap" ] || { echo "the broker did not start (broker.log):"; tail -20 "$DATA/broker.log"; exit 1; }
BOOTSTRAP=$(cat "$DATA/bootstrap")
case "$BOOTSTRAP" in localhost:*|127.0.0.1:*) ;; *) echo "broker not on loopback: $BOOTSTRAP"; exit 1 ;; esac

# start_node NAME PORT TRANSPORT [ENV=VALUE...] [-- APP ARGS...]
start_node() {
  local name=$1 port=$2 transport=$3; shift 3
  local envs=() ; while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  env "${envs[@]}" timeout 2400 java -Xmx"$NODE_HEAP" -jar "$DATA/splitrank.jar" --server.port="$port" \
    --server.address=127.0.0.1 --splitrank.data-dir="$DATA/$name" \
    --splitrank.events.transport="$transport" --splitrank.events.kafka.bootstrap-servers="$BOOTSTRAP" \
    --logging.level.root=warn --logging.level.io.splitrank=info "$@" >"$DATA/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && return 0; sleep 1; done
  echo "$name did not become healthy ($name.log):"; tail -30 "$DATA/$name.log"; exit 1
}
PGPORT=$(free_port)
SHARED_DB=(SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/postgres"
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=)
PORT1=$(free_port)
start_node node1 "$PORT1" kafka -- --splitrank.embedded-postgres.port="$PGPORT"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | grep 'Model name' | sed 's/Model name: *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); broker $BOOTSTRAP (KRaft, 1 node), PostgreSQL 127.0.0.1:$PGPORT (node 1's embedded)"
bench_nodes() {
  timeout 900 java -Xmx2g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.ingest.KafkaNodesBenchmark \
    --apis="$1" --key="$SPLITRANK_ADMIN_KEY" --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" --threads="$THREADS" "${@:2}"
}
echo "== one node (transport=kafka)"
bench_nodes "http://127.0.0.1:$PORT1" "$@"

PORT2=$(free_port)
start_node node2 "$PORT2" kafka "${SHARED_DB[@]}"
sleep 5  # node 2's consumers join the group; the warm-up batches below cover the rebalance as well
echo "== two nodes (transport=kafka, the same broker, database and consumer group; client threads alternate between them)"
bench_nodes "http://127.0.0.1:$PORT1,http://127.0.0.1:$PORT2" "$@"
# the consumer group after the run: 2 consumers per node (splitrank.events.kafka.consumers), so 4
# members mean both nodes' consumers share the topic's partitions (all hosts are 127.0.0.1)
timeout 120 java -cp "$(cat "$DATA/test-classpath.txt")" "$DATA/KafkaBenchBroker.java" --describe-group \
  "$BOOTSTRAP" splitrank-event-writers 2>/dev/null | grep -E '^(consumer group |  [^ ])' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$DIRECT_EVENTS" != 0 ]; then
  kill "${PIDS[2]}"; wait "${PIDS[2]}" 2>/dev/null || true
  PORTD=$(free_port)
  start_node direct "$PORTD" direct "${SHARED_DB[@]}"
  echo "== the direct path beside plain COPY (IngestBenchmark; node 1 stays up, idle, holding the database)"
  timeout 1200 java -Xmx2g -cp "$DATA/benchmarks.jar" io.splitrank.benchmarks.ingest.IngestBenchmark \
    --api="http://127.0.0.1:$PORTD" --key="$SPLITRANK_ADMIN_KEY" \
    --jdbc="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" --events="$DIRECT_EVENTS" --seconds=60 \
    --threads="$THREADS" --probes=0 --report-units=0
fi
