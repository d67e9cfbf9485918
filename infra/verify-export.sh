#!/usr/bin/env bash
# Verifies a case export offline (no service needed): recomputes every hash, link, stream head and the top hash.
#   infra/verify-export.sh case-export.json      (or - to read standard input)
# Exit code 0: verified; 1: broken (the first mismatch is named); 2: unreadable. Builds infra once if needed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$root/infra/target/classpath.txt" ] || [ ! -d "$root/infra/target/classes/org/civharm/infra/audit" ]; then
  (cd "$root" && mvn -B -q -DskipTests -pl infra -am install) >&2
fi
exec java -cp "$(cat "$root/infra/target/classpath.txt"):$root/infra/target/classes" org.civharm.infra.audit.VerifyExport "$@"
