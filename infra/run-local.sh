#!/usr/bin/env bash
# Builds every module and runs the whole civharm system locally (Kafka, Mongo-wire server, three services), all on
# 127.0.0.1. Arguments are passed to org.civharm.infra.LocalSystem; configuration is by environment variables
# (CIVHARM_DATA_DIR, CIVHARM_*_PORT, ...; see infra/README.md). Ctrl-C stops everything in order.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

mvn -B -q -DskipTests install

exec java -cp "$(cat infra/target/classpath.txt)":"$PWD/infra/target/classes" org.civharm.infra.LocalSystem "$@"
