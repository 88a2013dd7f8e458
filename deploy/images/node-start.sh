#!/bin/sh
# Start script of the jdqlite node image under the operator. It turns the pod's identity into the node's
# membership settings (NodeConfig, JDQLITE_*), then runs the Quarkus node.
#   - a volume that already holds a node id restarts with its Raft state (cluster/join settings unused);
#   - a founding pod (ordinal < JDQLITE_FOUNDERS) with an empty volume, before the cluster was ever
#     bootstrapped, takes JDQLITE_ID = ordinal + 1 and bootstraps with JDQLITE_CLUSTER;
#   - any other empty volume joins through JDQLITE_JOIN under a fresh id (JDQLITE_ID=0: the node makes one),
#     so a member whose volume was lost always comes back as a new member;
#   - during a quorum-loss recovery (JDQLITE_RECOVER_FROM = this pod) the node is started once with
#     JDQLITE_RECOVER=true: it rewrites its Raft configuration to itself alone.
set -eu
: "${POD_NAME:?POD_NAME must be set (downward API)}"
data="${JDQLITE_DATA_DIR:-/var/lib/jdqlite/data}"
ordinal="${POD_NAME##*-}"
case "$ordinal" in
  ''|*[!0-9]*) echo "cannot take an ordinal from pod name '$POD_NAME'" >&2; exit 2 ;;
esac
mkdir -p "$data"
if [ -e "$data/node-id" ]; then
  unset JDQLITE_CLUSTER JDQLITE_JOIN
  export JDQLITE_ID=0
  if [ "${JDQLITE_RECOVER_FROM:-}" = "$POD_NAME" ] && [ ! -e "$data/recovered-${POD_UID:-none}" ]; then
    export JDQLITE_RECOVER=true
    touch "$data/recovered-${POD_UID:-none}"
  fi
elif [ "$ordinal" -lt "${JDQLITE_FOUNDERS:-0}" ] && [ "${JDQLITE_BOOTSTRAPPED:-false}" != "true" ]; then
  export JDQLITE_ID=$((ordinal + 1))
  unset JDQLITE_JOIN
else
  export JDQLITE_ID=0
  unset JDQLITE_CLUSTER
fi
export JDQLITE_DATA_DIR="$data"
# The image's Java and application; the local e2e run (e2e/, LocalKubelet) runs this same script with its own.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${JAVA_OPTS:-} -jar "${JDQLITE_NODE_JAR:-/deployments/quarkus-run.jar}"
