#!/bin/bash
# Stops what rgw-start.sh started in DIR, by the pid files it wrote, and removes DIR.
D=${1:?scratch directory}
for name in client.rgw.a osd.0 mon.a; do
  f="$D/run/$name.pid"
  [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
done
rm -rf "$D"
exit 0
