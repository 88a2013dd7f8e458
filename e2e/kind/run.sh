#!/usr/bin/env bash
# The e2e scenarios on kind (needs Docker, kind and kubectl): creates a kind cluster, builds the node and
# operator images, loads them, installs the CRD and operator from deploy/, runs the same ScenariosTest the
# local run uses (-Djdqlite.e2e.target=kind), and deletes the cluster on exit.
#   e2e/kind/run.sh [--keep]     (--keep: leave the kind cluster for inspection)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
CLUSTER="${KIND_CLUSTER:-jdqlite-e2e}"
VERSION="0.1.0"   # the image tag: what deploy/ and the samples name
# The version of the jars the images are built from (the project's, e.g. 0.1.0-SNAPSHOT).
JAR_VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -1)"
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true
for tool in docker kind kubectl mvn; do
  command -v "$tool" >/dev/null || { echo "kind e2e: $tool is required" >&2; exit 2; }
done
cleanup() { $keep || kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

cd "$ROOT"
echo "kind e2e: building jars"
mvn -B -q -DskipTests install
echo "kind e2e: building images"
docker build -f deploy/images/node.Dockerfile -t "jdqlite/node:$VERSION" --build-arg VERSION="$JAR_VERSION" .
docker build -f deploy/images/operator.Dockerfile -t "jdqlite/operator:$VERSION" --build-arg VERSION="$JAR_VERSION" .
echo "kind e2e: creating cluster $CLUSTER"
kind create cluster --name "$CLUSTER" --wait 120s
docker tag "jdqlite/node:$VERSION" "jdqlite/node:$VERSION-next"   # the rolling-upgrade scenario moves to it
kind load docker-image --name "$CLUSTER" "jdqlite/node:$VERSION" "jdqlite/node:$VERSION-next" "jdqlite/operator:$VERSION"
echo "kind e2e: installing CRD and operator"
kubectl apply -k deploy/
kubectl -n jdqlite-system rollout status deployment/jdqlite-operator --timeout=180s
echo "kind e2e: running the scenarios"
mvn -B -pl e2e verify -Djdqlite.e2e.target=kind -Djdqlite.e2e.image="jdqlite/node:$VERSION"
