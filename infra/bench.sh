#!/usr/bin/env bash
# civharm benchmark harness: civharm measured against raw Kafka and raw MongoDB in the same run (see infra/BENCHMARKS.md).
#   infra/bench.sh [short|full] [--repeat N] [--rates 10,25,50] [--register-sizes 10000,100000]
#                  [--growth-limit-minutes M] [--events-per-case N] [--seed] [--keep-data]
# --seed grows the register mostly by appending whole cases through incident-service's event store (its register
# seed), then files each size's last window by HTTP; without it every case is filed by HTTP commands.
# short fits in ~10 minutes on 2 cores; full takes hours. Results: results/<timestamp>/ (results.json, table.md, chart.png).
# External Kafka/MongoDB: set both KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI; then only the three services are started.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=0
for module in incident-service accountability-service notification-service; do
  [[ -f "$module/target/$module.jar" ]] || missing=1
done
[[ -f infra/target/classpath.txt && -d infra/target/classes/org/civharm/infra/bench ]] || missing=1
if [[ $missing -eq 1 ]]; then
  echo "bench: building (mvn -B -q -DskipTests install) ..."
  mvn -B -q -DskipTests install
fi

exec java -Xmx1g -cp "$(cat infra/target/classpath.txt)":infra/target/classes org.civharm.infra.bench.Benchmark "${@:-short}"
