#!/usr/bin/env bash
# Prints a bearer token for the local system, signed with the key the launcher keeps in the data folder:
#   TOKEN=$(infra/mint-token.sh amal CASEWORKER)
#   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/allegations
# Roles: CASEWORKER INVESTIGATOR ACCOUNTABILITY_OFFICER AUDITOR ADMIN PUBLIC (several may be given); --hours N.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -f infra/target/classpath.txt ] || [ ! -f infra/target/classes/org/civharm/infra/security/MintToken.class ]; then
  mvn -B -q -DskipTests -pl infra -am install >&2
fi
exec java -cp "$(cat infra/target/classpath.txt):$root/infra/target/classes" org.civharm.infra.security.MintToken "$@"
