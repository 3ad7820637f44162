#!/usr/bin/env bash
# Two or three `v2v serve` nodes on loopback behind HAProxy (haproxy.cfg beside this file), in the foreground
# until Ctrl+C, which stops the balancer and drains every node (SIGTERM).
#
#   deploy/scaleout/run.sh [--nodes 2|3] [--port 8080] [-- serve flags...]
#   e.g. deploy/scaleout/run.sh --nodes 3 -- --max-sessions 50 --drain-timeout 30
#
# The page is then http://127.0.0.1:PORT/ ; nodes listen on PORT+1.. . Drain one node (it leaves the pool at once,
# finishes its live sessions, then exits):  kill -TERM <pid printed below>.
# Needs: haproxy (apt-get install -y haproxy), the CLI built (dotnet build -c Release src/V2V.Cli; done if missing).
# Nodes on loopback need no access token; on another address `v2v serve` refuses to start without one (--token or
# V2V_PLAYGROUND_TOKEN), and every node must then have the same token, since a page may reach any of them.
set -euo pipefail
cd "$(dirname "$0")/../.."

nodes=3
port=8080
while (($#)); do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown argument $1 (--nodes N, --port P, -- serve flags)" >&2; exit 2 ;;
  esac
done
if [[ "$nodes" != 2 && "$nodes" != 3 ]]; then
  echo "run.sh: --nodes must be 2 or 3 (haproxy.cfg names node1..node3), got $nodes" >&2
  exit 2
fi
command -v haproxy >/dev/null || { echo "run.sh: haproxy not found: apt-get install -y haproxy" >&2; exit 2; }

cli=src/V2V.Cli/bin/Release/net10.0/V2V.Cli.dll
[ -f "$cli" ] || dotnet build -c Release src/V2V.Cli >/dev/null

pids=()
stop() {
  trap - EXIT INT TERM
  # SIGTERM is the drain: each node finishes its live sessions (up to its drain deadline) and exits.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT INT TERM

for i in $(seq 1 "$nodes"); do
  node_port=$((port + i))
  # Output through a process substitution, so $! is the node itself (the pid to drain), not a pipe's last stage.
  dotnet "$cli" serve --port "$node_port" "$@" > >(sed -u "s/^/[node$i] /") 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  export "V2V_NODE$i=127.0.0.1:$node_port"
  echo "node$i: http://127.0.0.1:$node_port/ (pid $node_pid)"
done

export V2V_LB_BIND="127.0.0.1:$port"
echo "balancer: http://127.0.0.1:$port/  (Ctrl+C stops all)"
haproxy -W -db -f deploy/scaleout/haproxy.cfg &
balancer=$!
pids+=("$balancer")
# Until the balancer ends (or Ctrl+C): a drained node exiting is no reason to stop the others.
wait "$balancer" || true
