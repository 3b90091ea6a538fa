#!/usr/bin/env bash
# The real Autobahn|Testsuite fuzzing server in Docker, for `mvn verify -Pautobahn-docker`.
#
#   run-docker.sh start WORK_DIR [PORT]   write WORK_DIR/config/fuzzingserver.json, start the
#                                         container on 127.0.0.1:PORT (default 9001), wait until
#                                         it answers, then write WORK_DIR/server.properties
#                                         (url, reports) for RealAutobahnTest
#   run-docker.sh stop WORK_DIR           stop the container
#
# Without a Docker engine (`docker info` fails) `start` says how to run the tests otherwise and
# exits 0 with no server.properties, so RealAutobahnTest is skipped, not failed: a machine
# without Docker is not a broken build. With an engine, a container that does not come up is an
# error. AUTOBAHN_IMAGE overrides the image.
set -euo pipefail

image="${AUTOBAHN_IMAGE:-crossbario/autobahn-testsuite}"
name="tether-autobahn"
cmd="${1:?usage: run-docker.sh start|stop WORK_DIR [PORT]}"
work="${2:?usage: run-docker.sh start|stop WORK_DIR [PORT]}"
port="${3:-9001}"
state="$work/server.properties"

have_engine() {
    command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}

# True once something on the port answers an HTTP request. A bare TCP connect is not enough:
# Docker's port proxy accepts connections before the server in the container listens.
answers() {
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
        [ -n "$(head -c 12 <&3)" ]' _ "$port" 2>/dev/null
}

start() {
    rm -f "$state"
    if ! have_engine; then
        cat <<EOF
[autobahn-docker] No Docker engine here (\`docker info\` failed): no fuzzing server started,
[autobahn-docker] RealAutobahnTest will be skipped. To run it against the real suite, start
[autobahn-docker]   docker run -it --rm -p 127.0.0.1:9001:9001 -v "\$PWD/reports:/reports" crossbario/autobahn-testsuite
[autobahn-docker] (or wstest -m fuzzingserver anywhere) and run
[autobahn-docker]   ./mvnw verify -pl conformance -Dtest=RealAutobahnTest -Dautobahn.url=ws://127.0.0.1:9001 -Dautobahn.reports="\$PWD/reports/clients"
EOF
        exit 0
    fi
    work="$(mkdir -p "$work" && cd "$work" && pwd)"
    state="$work/server.properties"
    mkdir -p "$work/config" "$work/reports"
    # Every case, reports where RealAutobahnTest reads them. The server listens on every
    # interface of the container whatever the host in "url"; Docker publishes it on 127.0.0.1 only.
    cat > "$work/config/fuzzingserver.json" <<EOF
{
  "url": "ws://127.0.0.1:9001",
  "outdir": "/reports/clients",
  "cases": ["*"],
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
EOF
    docker rm -f "$name" >/dev/null 2>&1 || true   # one left by an interrupted run
    echo "[autobahn-docker] starting $image on 127.0.0.1:$port, reports in $work/reports/clients"
    docker run -d --rm --name "$name" -p "127.0.0.1:$port:9001" \
        -v "$work/config:/config" -v "$work/reports:/reports" \
        "$image" wstest -m fuzzingserver -s /config/fuzzingserver.json >/dev/null
    for _ in $(seq 1 120); do
        if answers; then
            printf 'url=ws://127.0.0.1:%s\nreports=%s\n' "$port" "$work/reports/clients" > "$state"
            echo "[autobahn-docker] fuzzing server up at ws://127.0.0.1:$port"
            exit 0
        fi
        if [ -z "$(docker ps -q --filter "name=^/${name}\$")" ]; then
            echo "[autobahn-docker] the container stopped before serving" >&2
            exit 1
        fi
        sleep 0.5
    done
    echo "[autobahn-docker] the fuzzing server did not answer on 127.0.0.1:$port within 60 s; its log:" >&2
    docker logs "$name" >&2 || true
    docker rm -f "$name" >/dev/null 2>&1 || true
    exit 1
}

stop() {
    rm -f "$state"
    if have_engine; then
        docker stop -t 5 "$name" >/dev/null 2>&1 || true   # --rm removes it once stopped
        echo "[autobahn-docker] fuzzing server stopped"
    fi
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: run-docker.sh start|stop WORK_DIR [PORT]" >&2; exit 2 ;;
esac
