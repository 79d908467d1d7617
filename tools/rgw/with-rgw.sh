#!/usr/bin/env bash
# Runs a command against a throwaway radosgw: starts one (start-rgw.sh), exports its endpoint and keys
# with S3ZIPSYNC_TEST_SERVER=rgw, runs the command, and stops the gateway whatever the command's outcome.
# Exits with the command's status. Used by `npm run test:rgw`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STARTED=$SECONDS
DIR=$(bash "$HERE/start-rgw.sh" | tail -n 1)
trap 'bash "$HERE/stop-rgw.sh" "$DIR"' EXIT
echo "with-rgw: radosgw ready in $((SECONDS - STARTED)) s" >&2
# shellcheck disable=SC1091
source "$DIR/env"
export S3ZIPSYNC_TEST_SERVER=rgw
set +e
"$@"
status=$?
set -e
exit $status
