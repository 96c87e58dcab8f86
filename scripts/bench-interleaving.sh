#!/usr/bin/env bash
# Interleaving sensitivity benchmark (docs/interleaving.md): builds the benchmarks jar and runs
# io.splitrank.benchmarks.interleaving.SensitivityBenchmark in process (no app, no database): the
# marketplace's ground truth, the shipped models and the reference rankers; per pair (baseline
# against each challenger) the users an A/B test on eCPM and a team-draft interleaving experiment
# need for 80% power, checked by simulated experiments. Prints Markdown tables.
# Usage: scripts/bench-interleaving.sh [--users=100000] [--candidates=50] [--slots=4]
#          [--requests-per-user=1] [--seed=20261201] [--threads=2] [--control=baseline]
#          [--challengers=ektm,htlnet,aem2tl,oracle,random] [--alpha=0.05] [--power=0.8]
#          [--position-decay=1] [--checks=1000] [--min-blocks=20] [--batch-users=8]
#          [--verify-users=500]
# SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -o -DskipTests package -pl benchmarks -am
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | grep 'Model name' | sed 's/Model name: *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
timeout 3600 java -Xmx3g -cp benchmarks/target/benchmarks.jar \
  io.splitrank.benchmarks.interleaving.SensitivityBenchmark "$@"
