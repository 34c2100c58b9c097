#!/usr/bin/env bash
# Two checkouts' alarm path and MQTT ingest, one after the other on the same machine, so that their
# figures can be compared: reading -> first notification at half load (AlertLatency) and MQTT
# single-reading throughput (IngestThroughput, QoS 0 and 1 rows).
#
#   bench/side-by-side.sh <old-dir> <new-dir> [alert-latency args] [ingest seconds]
#
# ONLY=alert|ingest|kafka|kafkanode runs one pair (kafkanode: KafkaNodeThroughput, see below). The kafka pair (KafkaIngestThroughput, broker in its own JVM
# and then embedded, $KAFKA_ARGS per run, default "10 20", rows $KAFKA_ROWS, default all) runs the new checkout's bench classes against
# both checkouts' bus and ingest, so only the product differs. KAFKA_NODE=own runs the ingest node in a JVM of
# its own (IngestNode), so its CPU per million readings is its own; KAFKA_EMBEDDED=no skips the embedded pair;
# SKIP_BUILD=yes uses the checkouts as built.
#
# Each checkout is built with its own reactor (never installed), then each benchmark runs old, new
# under the shared lock /work/wt/bench.lock (or $BENCH_LOCK) so no other benchmark runs meanwhile.
# Real-time and priorities as the launcher gives them as root: -XX:ThreadPriorityPolicy=1, and
# -Dsafegrid.realtime=true for a checkout that still reads it (newer ones read node.threads, which
# AlertLatency sets to auto). Output: one log per run in $OUT (default target/side-by-side) and a
# summary of the lines that matter on stdout.
set -euo pipefail
old="$(cd "${1:?old checkout}" && pwd)"
new="$(cd "${2:?new checkout}" && pwd)"
alert_args="${3:-300 50000 20 1000 30}"
ingest_seconds="${4:-10}"
lock="${BENCH_LOCK:-/work/wt/bench.lock}"
out="${OUT:-$new/target/side-by-side}"
mkdir -p "$out"

build() {
  (cd "$1" && mvn -B -o -q -pl bench -am -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt >/dev/null)
}
# $extra_cp_old (set for the kafka pair) goes first on the old checkout's class path
cp_of() {
  local extra=""
  if [ -n "${extra_cp_old:-}" ] && [ "$1" = "${old_dir:-}" ]; then extra="$extra_cp_old:"; fi
  echo "$extra$1/bench/target/classes:$(cat "$1/bench/target/cp.txt")"
}
# EXTRA_FLAGS: more JVM options for both, e.g. -Dsafegrid.bench.warmup.seconds=10
flags="-Xmx2g -XX:ThreadPriorityPolicy=1 -Dsafegrid.realtime=true ${EXTRA_FLAGS:-}"
# NEW_FLAGS: the new checkout's JVM options instead, e.g. its launcher's heap defaults
new_flags="${NEW_FLAGS:-$flags}"

echo "building $old and $new" >&2
# builds take the lock too: a build beside a timing would slow it
if [ "${SKIP_BUILD:-}" != yes ]; then
  flock "$lock" bash -c "$(declare -f build); build '$old'; build '$new'"
fi

run() {   # name dir class args...
  local name="$1" dir="$2" cls="$3"
  shift 3
  echo "== $name: $cls $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/summary.txt"
  local f="$flags"
  if [ "$dir" = "${new_dir:-}" ]; then f="$new_flags"; fi
  (cd "$dir" && java $f -cp "$(cp_of "$dir")" "io.safegrid.bench.$cls" "$@") >"$out/$name.log" 2>&1
}

only="${ONLY:-}"
runs=()
# shellcheck disable=SC2086
if [ -z "$only" ] || [ "$only" = alert ]; then
  flock "$lock" bash -c "$(declare -f run cp_of); out='$out'; flags='$flags'; new_flags='$new_flags'; new_dir='$new'
    run alert-old '$old' AlertLatency $alert_args
    run alert-new '$new' AlertLatency $alert_args"
  runs+=(alert-old alert-new)
fi
if [ -z "$only" ] || [ "$only" = ingest ]; then
  flock "$lock" bash -c "$(declare -f run cp_of); out='$out'; flags='$flags'; new_flags='$new_flags'; new_dir='$new'
    run ingest-old '$old' IngestThroughput $ingest_seconds 20 mqtt
    run ingest-new '$new' IngestThroughput $ingest_seconds 20 mqtt"
  runs+=(ingest-old ingest-new)
fi
if [ -z "$only" ] || [ "$only" = kafka ]; then
  # the same bench source for both (and the same broker set-up, EmbeddedKafka): compiled against the old
  # checkout's classes into a folder of its own
  kafka_bench="${KAFKA_BENCH_CLASSES:-$old/bench/target/kafka-bench-classes}"
  kafka_args="${KAFKA_ARGS:-10 20}"
  kafka_rows="${KAFKA_ROWS:-qos0,qos1,batch,paced}"
  kafka_node="${KAFKA_NODE:-same}"
  flock "$lock" bash -c "$(declare -f run cp_of); out='$out'; flags='$flags'; new_flags='$new_flags'; new_dir='$new'; extra_cp_old='$kafka_bench'; old_dir='$old'
    rm -rf '$kafka_bench' && mkdir -p '$kafka_bench'
    javac -nowarn -d '$kafka_bench' -cp \"\$(cp_of '$old')\" '$new'/bench/src/main/java/io/safegrid/bench/KafkaIngestThroughput.java \\
        '$new'/bench/src/main/java/io/safegrid/bench/KafkaBrokerProcess.java \\
        '$new'/bench/src/main/java/io/safegrid/bench/IngestNode.java '$new'/bench/src/main/java/io/safegrid/bench/ProcessCpu.java \\
        '$new'/bus-kafka/src/main/java/io/safegrid/bus/kafka/embedded/EmbeddedKafka.java
    run kafka-old '$old' KafkaIngestThroughput $kafka_args process $kafka_rows $kafka_node
    run kafka-new '$new' KafkaIngestThroughput $kafka_args process $kafka_rows $kafka_node"
  runs+=(kafka-old kafka-new)
  if [ "${KAFKA_EMBEDDED:-}" != no ]; then
    # a second hold of the lock, so that each stays under a few minutes
    flock "$lock" bash -c "$(declare -f run cp_of); out='$out'; flags='$flags'; new_flags='$new_flags'; new_dir='$new'; extra_cp_old='$kafka_bench'; old_dir='$old'
      run kafka-embedded-old '$old' KafkaIngestThroughput $kafka_args embedded $kafka_rows $kafka_node
      run kafka-embedded-new '$new' KafkaIngestThroughput $kafka_args embedded $kafka_rows $kafka_node"
    runs+=(kafka-embedded-old kafka-embedded-new)
  fi
fi

if [ "$only" = kafkanode ]; then
  # KafkaNodeThroughput: node, broker and bench in JVMs of their own, the cheap pump and tally; the new
  # checkout's bench source compiled against the old checkout's classes, as for the kafka pair.
  # KAFKA_NODE_ARGS (default "10 20 qos0,qos1,paced0,paced1"); EXTRA_FLAGS e.g. -Dsafegrid.bench.partitions=4
  kafka_bench="${KAFKA_BENCH_CLASSES:-$old/bench/target/kafka-bench-classes}"
  node_args="${KAFKA_NODE_ARGS:-10 20 qos0,qos1,paced0,paced1}"
  flock "$lock" bash -c "$(declare -f run cp_of); out='$out'; flags='$flags'; new_flags='$new_flags'; new_dir='$new'; extra_cp_old='$kafka_bench'; old_dir='$old'
    rm -rf '$kafka_bench' && mkdir -p '$kafka_bench'
    javac -nowarn -d '$kafka_bench' -cp \"\$(cp_of '$old')\" '$new'/bench/src/main/java/io/safegrid/bench/KafkaNodeThroughput.java \\
        '$new'/bench/src/main/java/io/safegrid/bench/KafkaIngestThroughput.java '$new'/bench/src/main/java/io/safegrid/bench/KafkaBrokerProcess.java \\
        '$new'/bench/src/main/java/io/safegrid/bench/IngestNode.java '$new'/bench/src/main/java/io/safegrid/bench/ProcessCpu.java \\
        '$new'/bench/src/main/java/io/safegrid/bench/kafkaload/*.java \\
        '$new'/bus-kafka/src/main/java/io/safegrid/bus/kafka/embedded/EmbeddedKafka.java
    run kafkanode-old '$old' KafkaNodeThroughput $node_args
    run kafkanode-new '$new' KafkaNodeThroughput $node_args"
  runs+=(kafkanode-old kafkanode-new)
fi

for r in "${runs[@]}"; do
  echo "--- $r" | tee -a "$out/summary.txt"
  { grep -A1 "^reading accepted at ingest" "$out/$r.log"; grep -E "^background|^MQTT|^Kafka bus|^Kafka:|^ingest node|^  (node|broker|bench) CPU by thread" "$out/$r.log"; } \
      | tee -a "$out/summary.txt" || true
done
echo "logs in $out" >&2
