#!/bin/bash
# Starts a one-node Ceph cluster (one monitor, one memstore OSD, no manager) and one RADOS
# Gateway on 127.0.0.1, then creates the test users. Usage: rgw-start.sh DIR [RGW_PORT] [MON_PORT]
# Stop it with rgw-stop.sh DIR. Ceph 16 (Debian 12) has no SQLite backend, hence the cluster.
set -euo pipefail
D=${1:?scratch directory}
RGW_PORT=${2:-17480}
MON_PORT=${3:-13300}
rm -rf "$D"
mkdir -p "$D"/{mon,osd0,run,log}
FSID=$(cat /proc/sys/kernel/random/uuid)

cat >"$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
ms bind ipv6 = false
osd objectstore = memstore
memstore device bytes = 536870912
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd0
keyring = $D/osd0/keyring
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw enable apis = s3, admin
rgw dns name = localhost
CONF

C="-c $D/ceph.conf"
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon $C -i a

OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_KEY=$(ceph-authtool --gen-print-key)
echo "{\"cephx_secret\": \"$OSD_KEY\"}" >"$D/osd.json"
ID=$(ceph $C osd new "$OSD_UUID" -i "$D/osd.json")
ceph-authtool "$D/osd0/keyring" --create-keyring --name "osd.$ID" --add-key "$OSD_KEY" >/dev/null
ceph-osd $C -i "$ID" --mkfs --osd-uuid "$OSD_UUID" 2>/dev/null
ceph $C osd crush add-bucket localhost host >/dev/null 2>&1
ceph $C osd crush move localhost root=default >/dev/null 2>&1
ceph $C osd crush add "osd.$ID" 1.0 host=localhost >/dev/null 2>&1
ceph-osd $C -i "$ID" 2>/dev/null

wait_for() {
  local deadline=$((SECONDS + 90))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "rgw-start: timed out waiting for: $1" >&2; exit 1; }
    sleep 0.2
  done
}
wait_for 'ceph $C osd stat 2>/dev/null | grep -q "1 up"'
radosgw $C -n client.rgw.a
wait_for "curl -s -o /dev/null http://127.0.0.1:$RGW_PORT/"

# The bucket owner (a plain user, principal arn:aws:iam:::user/owner), Nimble's two users in
# tenant 744254827463 (principals arn:aws:iam::744254827463:user/NAME), and an outsider.
user() { radosgw-admin $C user create "$@" >/dev/null; }
user --uid=owner --display-name=Owner --access-key=OWNERACCESSKEY0000001 --secret=ownersecret
radosgw-admin $C caps add --uid=owner --caps="user-policy=*;users=*" >/dev/null
user --tenant 744254827463 --uid=crawlit-scrapy --display-name=Jobs \
  --access-key=JOBSACCESSKEY00000001 --secret=jobssecret
user --tenant 744254827463 --uid=webit-uploader --display-name=Delivery \
  --access-key=DELIVERYACCESSKEY0001 --secret=deliverysecret
user --uid=other --display-name=Other --access-key=OTHERACCESSKEY0000001 --secret=othersecret
echo "rgw-start: ready on http://127.0.0.1:$RGW_PORT"
