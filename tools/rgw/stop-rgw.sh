#!/usr/bin/env bash
# Stops the radosgw started by start-rgw.sh FOLDER, by the PIDs its daemons wrote into FOLDER/run, and
# removes FOLDER (all of the cluster's state) unless --keep is given (e.g. to read the logs).
set -uo pipefail
DIR=${1:?usage: stop-rgw.sh FOLDER [--keep]}
KEEP=${2:-}
[ -d "$DIR/run" ] || { echo "stop-rgw: $DIR holds no radosgw state" >&2; exit 1; }

alive() { kill -0 "$1" 2>/dev/null; }

# The gateway first, the monitor last, so no daemon spends its last seconds reconnecting.
for name in client.rgw.s3zipsync osd.0 mon.a; do
  pidfile=$DIR/run/$name.pid
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  alive "$pid" || continue
  kill -TERM "$pid"
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL "$pid"; fi
done

if [ "$KEEP" != "--keep" ]; then rm -rf "$DIR"; fi
