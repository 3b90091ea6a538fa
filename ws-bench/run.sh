#!/usr/bin/env bash
# Builds the JMH uber-jar, runs one benchmark group (or all of them) with the GC profiler, and
# regenerates docs/BENCHMARKS.md and docs/bench-<group>.svg from every group's latest results.
#
#   ws-bench/run.sh [mask|parse|deliver|utf8|handshake|deflate|codec|e2e|alloc|scale|soak|all]  (default: all but soak)
#                            codec: the six JMH groups of the codec (mask to deflate) in one run
#   JMH_ARGS="-f 3 -wi 5 -i 5" ws-bench/run.sh parse            (override the run length)
#   ws-bench/run.sh e2e      every client stack side by side end to end (EndToEnd: round trips,
#                            pipelined, 1 MiB, text, wss, permessage-deflate, allocation, client
#                            CPU per message, fan-in), then the connection-scale run
#                            (ConnectionScale); about an hour in full.
#                            E2E_REPEATS (5) repeats, interleaved across clients;
#                            E2E_SCALE (1.0) factor on message counts; E2E_MIN_SECONDS (0.5)
#                            the least time of a measurement with messages in flight (it sends
#                            past its count until then; 0 for a smoke run); E2E_CLIENTS (all) and
#                            E2E_ROWS (all: rtt,pipe,large,text,wss,deflate,alloc,cpu,fanin; ids or
#                            prefixes) pick a part; E2E_FANIN_N (1000) connections,
#                            E2E_FANIN_SECONDS (30), E2E_FANIN_WARMUP (5), E2E_FANIN_HZ (20),
#                            E2E_FANIN_SIZE (256);
#                            SCALE_N (1000,5000,10000) connection counts, SCALE_REPEATS
#                            (E2E_REPEATS). A smoke run of about a minute and a half:
#                              E2E_REPEATS=1 E2E_SCALE=0.01 E2E_MIN_SECONDS=0 E2E_FANIN_N=50 E2E_FANIN_SECONDS=2 \
#                              E2E_FANIN_WARMUP=1 SCALE_N=200 ws-bench/run.sh e2e
#   ws-bench/run.sh alloc    the end-to-end allocation row alone (bytes the client JVM allocates per
#                            64 B round trip), every client, into e2e-alloc.tsv, which the report
#                            reads in place of e2e.tsv's row until the next full e2e run; E2E_*
#                            as above (E2E_ROWS is alloc_rtt)
#   ws-bench/run.sh scale    the connection-scale run alone
#   ws-bench/run.sh soak     2,000 connections under start through a fault proxy for 10 minutes;
#                            SOAK_N, SOAK_SECONDS, SOAK_FAULT_MS, SOAK_TRANSPORT change it; the
#                            table goes to ws-bench/results/soak-<transport>.md (docs/RELIABILITY.md
#                            quotes it)
#   BENCH_RESULTS=/tmp/r BENCH_DOCS=/tmp/d ws-bench/run.sh ...   results and report elsewhere
#                            (default ws-bench/results and docs), e.g. for a smoke run
#   MVN_ARGS=-o ws-bench/run.sh ...     extra Maven arguments for the build (here: offline)
#
# Not part of CI (mvn verify runs a one-iteration smoke of every benchmark instead, and a tiny
# end-to-end run). Run it on an otherwise idle machine: the figures are only comparable within
# one run.
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
  deliver) groups=(deliver) ;;
  utf8) groups=(utf8) ;;
  handshake) groups=(handshake) ;;
  deflate) groups=(deflate) ;;
  codec) groups=(mask parse deliver utf8 handshake deflate) ;;
  e2e) groups=(e2e scale) ;;
  alloc) groups=(alloc) ;;
  scale) groups=(scale) ;;
  soak) groups=(soak) ;;
  all) groups=(mask parse deliver utf8 handshake deflate e2e scale) ;;
  *) echo "usage: $0 [mask|parse|deliver|utf8|handshake|deflate|codec|e2e|alloc|scale|soak|all]" >&2; exit 2 ;;
esac
JMH_ARGS="${JMH_ARGS:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
RESULTS="${BENCH_RESULTS:-ws-bench/results}"
DOCS="${BENCH_DOCS:-docs}"

# shellcheck disable=SC2086
./mvnw -B -ntp -q ${MVN_ARGS:-} -pl ws-bench -am package -DskipTests
JAR=ws-bench/target/benchmarks.jar

class_of() {
  case "$1" in
    mask) echo MaskBench ;; parse) echo ParseBench ;; deliver) echo ParseDeliverBench ;; utf8) echo Utf8Bench ;;
    handshake) echo HandshakeBench ;; deflate) echo DeflateBench ;;
  esac
}

mkdir -p "$RESULTS" "$DOCS"
for g in "${groups[@]}"; do
  echo "== $g"
  if [ "$g" = e2e ]; then
    # Clients in this JVM, the Netty server and each fan-in stack in child JVMs; E2E_* as above.
    "$JAVA" -Xms1g -Xmx1g -cp "$JAR" dev.tether.ws.bench.e2e.EndToEnd "$RESULTS/e2e.tsv"
    rm -f "$RESULTS/e2e-alloc.tsv"  # this run has the allocation row too
    continue
  fi
  if [ "$g" = alloc ]; then
    # The allocation row of the end-to-end run by itself, with its JVM settings.
    E2E_ROWS=alloc_rtt "$JAVA" -Xms1g -Xmx1g -cp "$JAR" dev.tether.ws.bench.e2e.EndToEnd "$RESULTS/e2e-alloc.tsv"
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
    # The connection-scale part of the end-to-end group: each stack and N in a JVM of its own.
    "$JAVA" -cp "$JAR" dev.tether.ws.bench.e2e.ConnectionScale "$RESULTS/scale.tsv" "${SCALE_N:-1000,5000,10000}"
    continue
  fi
  # shellcheck disable=SC2086
  "$JAVA" -jar "$JAR" "dev\\.tether\\.ws\\.bench\\.$(class_of "$g")\\." $JMH_ARGS -prof gc \
      -rf json -rff "$RESULTS/jmh-$g.json"
  # Targets written by hand from a run outside this script give way to this run's own.
  if [ "$RESULTS" = ws-bench/results ]; then rm -f "ws-bench/notes/$g-targets.md"; fi
done

# The settings of this run, for the report's "Last command" line.
settings="JMH_ARGS=\"$JMH_ARGS\""
for v in E2E_REPEATS E2E_SCALE E2E_MIN_SECONDS E2E_CLIENTS E2E_ROWS E2E_FANIN_N E2E_FANIN_SECONDS E2E_FANIN_WARMUP \
    E2E_FANIN_HZ E2E_FANIN_SIZE SCALE_N SCALE_REPEATS; do
  if [ -n "${!v:-}" ]; then settings="$settings $v=${!v}"; fi
done
"$JAVA" -cp "$JAR" dev.tether.ws.bench.report.ReportGenerator "$RESULTS" "$DOCS" \
    "ws-bench/run.sh $group  ($settings)" ws-bench/NOTES.md
