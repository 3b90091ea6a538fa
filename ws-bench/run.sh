#!/usr/bin/env bash
# Builds the JMH uber-jar, runs one benchmark group (or all of them) with the GC profiler, and
# regenerates docs/BENCHMARKS.md and docs/bench-<group>.svg from every group's latest results.
#
#   ws-bench/run.sh [mask|parse|utf8|handshake|deflate|e2e|scale|soak|all]  (default: all but soak)
#   SCALE_N=2000 ws-bench/run.sh scale                                  (fewer connections)
#   JMH_ARGS="-f 3 -wi 5 -i 5" ws-bench/run.sh parse            (override the run length)
#   ws-bench/run.sh soak     2,000 connections under start through a fault proxy for 10 minutes;
#                            SOAK_N, SOAK_SECONDS, SOAK_FAULT_MS, SOAK_TRANSPORT change it; the
#                            table goes to ws-bench/results/soak-<transport>.md (docs/RELIABILITY.md
#                            quotes it)
#
# Not part of CI (mvn verify runs a one-iteration smoke of every benchmark instead). Run it on an
# otherwise idle machine: the figures are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk
if ! JAVA_HOME=$(tether_find_jdk); then
  tether_no_jdk_message
  exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

group="${1:-all}"
case "$group" in
  mask) groups=(mask) ;;
  parse) groups=(parse) ;;
  utf8) groups=(utf8) ;;
  handshake) groups=(handshake) ;;
  deflate) groups=(deflate) ;;
  e2e) groups=(e2e scale) ;;
  scale) groups=(scale) ;;
  soak) groups=(soak) ;;
  all) groups=(mask parse utf8 handshake deflate e2e scale) ;;
  *) echo "usage: $0 [mask|parse|utf8|handshake|deflate|e2e|scale|soak|all]" >&2; exit 2 ;;
esac
JMH_ARGS="${JMH_ARGS:--f 1 -wi 2 -w 1s -i 3 -r 1s}"

./mvnw -B -ntp -q -pl ws-bench -am package -DskipTests
JAR=ws-bench/target/benchmarks.jar

class_of() {
  case "$1" in
    mask) echo MaskBench ;; parse) echo ParseBench ;; utf8) echo Utf8Bench ;;
    handshake) echo HandshakeBench ;; deflate) echo DeflateBench ;;
  esac
}

mkdir -p ws-bench/results
for g in "${groups[@]}"; do
  echo "== $g"
  if [ "$g" = e2e ]; then
    # Clients in this JVM, the Netty echo server in a child JVM; three repeats, medians.
    "$JAVA" -Xms1g -Xmx1g -cp "$JAR" dev.tether.ws.bench.e2e.EndToEnd ws-bench/results/e2e.tsv
    continue
  fi
  if [ "$g" = soak ]; then
    # Not a benchmark: a reliability run, reported in docs/RELIABILITY.md by hand.
    t="${SOAK_TRANSPORT:-nio}"
    "$JAVA" -Xmx2g -cp "$JAR" dev.tether.ws.bench.soak.Soak "ws-bench/results/soak-$t.md" \
        "${SOAK_N:-2000}" "${SOAK_SECONDS:-600}" "${SOAK_FAULT_MS:-3000}" "$t"
    exit 0
  fi
  if [ "$g" = scale ]; then
    # The connection-scale part of the end-to-end group: each stack in a JVM of its own.
    "$JAVA" -cp "$JAR" dev.tether.ws.bench.e2e.ConnectionScale ws-bench/results/scale.tsv "${SCALE_N:-10000}"
    continue
  fi
  # shellcheck disable=SC2086
  "$JAVA" -jar "$JAR" "dev\\.tether\\.ws\\.bench\\.$(class_of "$g")\\." $JMH_ARGS -prof gc \
      -rf json -rff "ws-bench/results/jmh-$g.json"
done

"$JAVA" -cp "$JAR" dev.tether.ws.bench.report.ReportGenerator ws-bench/results docs \
    "ws-bench/run.sh $group  (JMH_ARGS=\"$JMH_ARGS\")" ws-bench/NOTES.md
