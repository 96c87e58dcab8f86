# Sourced by the benchmark scripts: builds the app and the benchmarks, copies both jars into a
# throw-away directory (so that rebuilding meanwhile cannot break the running app), starts the app on a
# free loopback port with its own embedded PostgreSQL there, waits until it is healthy, and stops it
# and removes the directory on exit. Sets PORT, PGPORT, DATA (jars in $DATA, log in $DATA/app.log)
# and SPLITRANK_ADMIN_KEY. APP_ARGS adds arguments to the app; APP_LOG keeps its log.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PGPORT=$(free_port)
mvn -q -B -o -DskipTests package -pl app,benchmarks -am
DATA=$(mktemp -d)
cp app/target/splitrank.jar "$DATA/splitrank.jar"
cp benchmarks/target/benchmarks.jar "$DATA/benchmarks.jar"
export SPLITRANK_ADMIN_KEY=bench-admin-key
# shellcheck disable=SC2086 # APP_ARGS is a list of arguments
java -Xmx2g -jar "$DATA/splitrank.jar" --server.port="$PORT" --server.address=127.0.0.1 \
  --splitrank.data-dir="$DATA/db" --splitrank.embedded-postgres.port="$PGPORT" \
  --logging.level.root=warn --logging.level.io.splitrank=info ${APP_ARGS:-} >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; if [ -n "${APP_LOG:-}" ]; then cp "$DATA/app.log" "$APP_LOG"; fi; rm -rf "$DATA"' EXIT
for _ in $(seq 180); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | grep 'Model name' | sed 's/Model name: *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)"
