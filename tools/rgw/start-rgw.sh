#!/usr/bin/env bash
# Starts a throwaway single-node Ceph RADOS Gateway on 127.0.0.1: one monitor, one in-memory OSD, one
# beast gateway, and an S3 user with generated keys. Everything lives in one folder (the first argument,
# or a new temp folder); tools/rgw/stop-rgw.sh FOLDER stops it by the PIDs recorded there.
#
# Prints the folder on the last line of stdout and writes FOLDER/env with the endpoint and keys:
#   export S3ZIPSYNC_RGW_ENDPOINT=http://127.0.0.1:PORT S3ZIPSYNC_RGW_ACCESS_KEY=… S3ZIPSYNC_RGW_SECRET_KEY=…
#   export S3ZIPSYNC_RGW_CONF=FOLDER/ceph.conf   (for radosgw-admin, e.g. to create more users)
# Needs root (it installs radosgw, ceph-mon and ceph-osd from Debian's packages when they are missing).
# Facts behind each setting: shared/notes/radosgw.md.
set -euo pipefail

log() { echo "start-rgw: $*" >&2; }

install_packages() {
  local missing=0
  for tool in radosgw radosgw-admin ceph-mon ceph-osd monmaptool ceph; do
    command -v "$tool" >/dev/null 2>&1 || missing=1
  done
  [ "$missing" = 0 ] && return 0
  log "installing radosgw, ceph-mon, ceph-osd from Debian's packages (about 40 s)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >&2
}

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# Polls a command until it succeeds, up to a deadline; names what it waited for when it gives up.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "gave up waiting for $what after ${seconds}s; logs in $DIR/log, the last lines:"
      tail -n 5 "$STARTUP_LOG" "$DIR/log/"*.log >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

install_packages

DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/s3zipsync-rgw.XXXXXX")}
mkdir -p "$DIR"/{run,log,mon/a,osd/0,rgw}
DIR=$(cd "$DIR" && pwd)
CONF=$DIR/ceph.conf
STARTUP_LOG=$DIR/log/startup.log
export CEPH_CONF=$CONF

# If anything below fails, stop what was already started so no daemon is left behind.
trap 'status=$?; [ $status -ne 0 ] && bash "$(dirname "$0")/stop-rgw.sh" "$DIR" --keep >&2 || true' EXIT

FSID=$(cat /proc/sys/kernel/random/uuid)
MON_V2=$(free_port)
MON_V1=$(free_port)
RGW_PORT=$(free_port)
while [ "$MON_V1" = "$MON_V2" ]; do MON_V1=$(free_port); done
while [ "$RGW_PORT" = "$MON_V2" ] || [ "$RGW_PORT" = "$MON_V1" ]; do RGW_PORT=$(free_port); done

cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
# A throwaway cluster on loopback: no cephx keys to generate or distribute.
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
# One OSD holds every replica.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
# The temp folder's disk may be nearly full; that must not stop a test server.
mon data avail crit = 0
mon data avail warn = 0
osd objectstore = memstore
memstore device bytes = 4294967296
# librados clients (radosgw, radosgw-admin, ceph) insist on a secure monitor session unless told otherwise,
# and with cluster auth off they then loop on "get_initial_auth_request returned -13".
[client]
ms mon client mode = crc
auth client required = none
[mon.a]
mon data = $DIR/mon/a
[osd.0]
osd data = $DIR/osd/0
[client.rgw.s3zipsync]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $DIR/rgw
# Tests create and delete many buckets; the default (1000 per user) is not the limit under test.
rgw user max buckets = -1
EOF

log "monitor on 127.0.0.1:$MON_V2"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]" "$DIR/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >>"$STARTUP_LOG" 2>&1
ceph-mon -c "$CONF" -i a >>"$STARTUP_LOG" 2>&1
wait_for "the monitor" 30 ceph -c "$CONF" --connect-timeout 5 mon stat

log "memstore OSD"
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph -c "$CONF" osd new "$OSD_UUID")
ceph-osd -c "$CONF" --id "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >>"$STARTUP_LOG" 2>&1
ceph-osd -c "$CONF" --id "$OSD_ID" >>"$STARTUP_LOG" 2>&1
osd_up() { ceph -c "$CONF" osd stat | grep -q ' 1 up'; }
wait_for "the OSD to be up" 60 osd_up

log "gateway on 127.0.0.1:$RGW_PORT"
radosgw -c "$CONF" --id rgw.s3zipsync >>"$STARTUP_LOG" 2>&1
wait_for "the gateway to answer HTTP" 60 node -e "
  require('http').get('http://127.0.0.1:$RGW_PORT/', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1));"

ACCESS_KEY=$(node -e "console.log('RGW' + require('crypto').randomBytes(8).toString('hex').toUpperCase())")
SECRET_KEY=$(node -e "console.log(require('crypto').randomBytes(30).toString('base64url'))")
radosgw-admin -c "$CONF" user create --uid=s3zipsync --display-name=s3zipsync \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null

cat >"$DIR/env" <<EOF
export S3ZIPSYNC_RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT
export S3ZIPSYNC_RGW_ACCESS_KEY=$ACCESS_KEY
export S3ZIPSYNC_RGW_SECRET_KEY=$SECRET_KEY
export S3ZIPSYNC_RGW_CONF=$CONF
EOF
chmod 600 "$DIR/env"
log "ready: http://127.0.0.1:$RGW_PORT (endpoint and keys in $DIR/env; stop with tools/rgw/stop-rgw.sh $DIR)"
echo "$DIR"
