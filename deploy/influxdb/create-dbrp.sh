#!/bin/bash
# Run by the influxdb:2.x image once, right after DOCKER_INFLUXDB_INIT_MODE=setup created the org,
# bucket and admin token (the influx CLI is already configured with that token here).
# SafeGrid's history queries use InfluxQL on the v1 /query API (InfluxQlHistory), which needs the
# bucket mapped to a database + retention policy of the same name as the bucket.
set -euo pipefail

influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${DOCKER_INFLUXDB_INIT_BUCKET}" \
  --rp autogen \
  --default

echo "safegrid: InfluxQL database '${DOCKER_INFLUXDB_INIT_BUCKET}' mapped to bucket ${DOCKER_INFLUXDB_INIT_BUCKET_ID}"
