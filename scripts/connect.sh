#!/usr/bin/env bash
# A real local Kafka Connect worker for development and tests, without Docker: one standalone worker
# (org.apache.kafka.connect.cli.ConnectStandalone) with its REST API on 127.0.0.1, run from Maven Central jars
# (fetched once by scripts/kafka/connect-pom.xml), attached to the broker of scripts/kafka.sh.
#
# Usage: bash scripts/connect.sh start|stop|status|logs [-f]|classpath
#
#   start      fetch jars if needed, start the worker in the background, wait until its REST API answers
#              GET /connectors. Harmless when already running. Needs the broker: bash scripts/kafka.sh start
#   stop       SIGTERM, up to 30 s for a clean shutdown (connectors stop, offsets flush), then SIGKILL.
#              Harmless when not running.
#   status     exit 0 when running, 3 when stopped.
#   logs       tail of connect.log (extra args go to tail, e.g. `logs -f`).
#   classpath  prints CONNECT_JAVA and CONNECT_CLASSPATH as KEY='value' lines (keep the trailing * unexpanded).
#
# The worker has the FileStreamSource / FileStreamSink example connectors on its classpath. Standalone mode keeps
# connector configs in memory: they are gone after a stop (source offsets stay, in the state dir).
#
# Environment:
#   KAFKA_VERSION          default: the one scripts/kafka.sh uses; 3.9.x and 4.x are supported
#   KAFKA_PORT             the broker to attach to, default 9092 (on 127.0.0.1)
#   CONNECT_PORT           REST listener, default 8083
#   CONNECT_START_TIMEOUT  seconds to wait for readiness, default 90
#   CONNECT_HEAP_OPTS      worker heap, default -Xms128m -Xmx512m
#   TOPOLOG_CACHE          jar cache root, default ~/.cache/topolog      (holds connect-<version>/libs)
#   TOPOLOG_STATE          state root, default ~/.local/state/topolog    (holds connect-<port>/)
#   JAVA_HOME              optional; otherwise `java` from PATH
set -euo pipefail

sdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kdir=$sdir/kafka
die() { echo "connect.sh: $*" >&2; exit 1; }

# One place decides the default version: the worker must match the broker that kafka.sh starts by default.
default_version=$(sed -n 's/^DEFAULT_KAFKA_VERSION=//p' "$sdir/kafka.sh")
[ -n "$default_version" ] || die "could not read DEFAULT_KAFKA_VERSION from $sdir/kafka.sh"
KAFKA_VERSION=${KAFKA_VERSION:-$default_version}
HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
CONNECT_PORT=${CONNECT_PORT:-8083}
CONNECT_START_TIMEOUT=${CONNECT_START_TIMEOUT:-90}
CONNECT_HEAP_OPTS=${CONNECT_HEAP_OPTS:--Xms128m -Xmx512m}

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
home=${TOPOLOG_CACHE:-$HOME/.cache/topolog}/connect-$KAFKA_VERSION # jars, shared by all ports
libs=$home/libs
stamp=$home/libs.complete
state=${TOPOLOG_STATE:-$HOME/.local/state/topolog}/connect-$CONNECT_PORT # one worker per REST port
props=$state/worker.properties
offsets=$state/connect.offsets
pidfile=$state/connect.pid
log=$state/connect.log
verfile=$state/version

case $KAFKA_VERSION in
  4.* | [5-9].*) logging=log4j2 log_cfg=$state/connect-log4j2.properties log_opt="-Dlog4j2.configurationFile=$state/connect-log4j2.properties" ;;
  3.9.*) logging=reload4j log_cfg=$state/connect-log4j.properties log_opt="-Dlog4j.configuration=file:$state/connect-log4j.properties" ;;
  *) die "KAFKA_VERSION=$KAFKA_VERSION is not supported: use 3.9.x or 4.x" ;;
esac

need_java() {
  command -v "$java" >/dev/null || die "Java 17+ is required: apt-get install openjdk-17-jre-headless"
  local v major
  v=$("$java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  major=${v%%.*}
  [ "$major" = 1 ] && major=$(echo "$v" | cut -d. -f2) # "1.8.0_x" style
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Java ${v:-?} found, Kafka Connect needs Java 17+: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"
  fi
}

# Fetch the jars once per version. The stamp is written last, so an interrupted fetch is redone.
fetch_libs() {
  [ -f "$stamp" ] && return 0
  command -v mvn >/dev/null || die "Maven is needed once to fetch the Kafka Connect $KAFKA_VERSION jars: apt-get install maven"
  mkdir -p "$home"
  exec 8>"$home/.fetch.lock" # two parallel starts must not both write into libs/
  flock 8
  if [ ! -f "$stamp" ]; then
    echo "Fetching Kafka Connect $KAFKA_VERSION jars from Maven Central into $libs ..." >&2
    rm -rf "$libs"
    if ! mvn -q -B -f "$kdir/connect-pom.xml" -Dkafka.version="$KAFKA_VERSION" -Dkafka.logging=$logging \
      -Dconnect.home="$home" package >"$home/fetch.log" 2>&1; then
      tail -n 30 "$home/fetch.log" >&2
      die "could not fetch Kafka Connect $KAFKA_VERSION (full output: $home/fetch.log). Are connect-runtime and" \
        "connect-file $KAFKA_VERSION on Maven Central? mvn -q -B dependency:get -Dartifact=org.apache.kafka:connect-runtime:$KAFKA_VERSION"
    fi
    for jar in connect-runtime connect-file connect-api connect-json kafka-clients; do
      [ -f "$libs/$jar-$KAFKA_VERSION.jar" ] || die "fetch incomplete: $libs/$jar-$KAFKA_VERSION.jar is missing"
    done
    rm -rf "$home/build"
    touch "$stamp"
  fi
  exec 8>&- # the worker JVM must not inherit (and keep holding) the lock
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# GET on the REST API through bash's /dev/tcp (no curl needed); prints the raw HTTP/1.0 response.
http_get() {
  # shellcheck disable=SC2016  # expanded by the inner shell
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/json\r\n\r\n" "$2" "$0" "$1" >&3
    cat <&3' "$HOST" "$CONNECT_PORT" "$1" 2>/dev/null
}

# Ready means the herder answers, not just the socket: GET /connectors is 503 or refused until the worker has started.
answers_rest() {
  port_open "$CONNECT_PORT" || return 1
  local out
  out=$(http_get /connectors) || return 1
  [[ $out =~ ^HTTP/1\.[01]\ 200 ]]
}

# True if $1 is this port's worker JVM (checked against /proc: a recycled pid or a zombie is never taken for it).
is_worker() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF "ConnectStandalone $props"; }

worker_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && is_worker "$pid"; then
    echo "$pid"
  else
    pgrep -f -- "ConnectStandalone $props" | head -n 1 | grep .
  fi
}

running_version() { cat "$verfile" 2>/dev/null || echo "?"; }

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do is_worker "$pid" || return 0; sleep 0.5; done
  echo "connect.sh: worker pid $pid still alive after 30 s, sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 20); do is_worker "$pid" || return 0; sleep 0.5; done
}

start_failed() {
  {
    echo "connect.sh: Kafka Connect $KAFKA_VERSION on $HOST:$CONNECT_PORT failed to start: $1"
    echo "--- last 30 lines of $log ---"
    tail -n 30 "$log" 2>/dev/null || true
    echo "---"
    echo "Full log: $log"
  } >&2
  exit 1
}

wait_ready() {
  local pid=$1 launched=$2 deadline=$((SECONDS + CONNECT_START_TIMEOUT))
  until answers_rest; do
    is_worker "$pid" || start_failed "the worker process exited"
    if ((SECONDS >= deadline)); then
      [ "$launched" = yes ] && stop_pid "$pid"
      start_failed "no answer from http://$HOST:$CONNECT_PORT/connectors within ${CONNECT_START_TIMEOUT}s (CONNECT_START_TIMEOUT)"
    fi
    sleep 0.5
  done
}

write_props() {
  cat >"$props" <<EOF
# Generated by scripts/connect.sh at every start (edits are overwritten). Kafka Connect $KAFKA_VERSION, dev/test worker.
bootstrap.servers=$HOST:$KAFKA_PORT
listeners=http://$HOST:$CONNECT_PORT
rest.advertised.host.name=$HOST
rest.advertised.port=$CONNECT_PORT
# Plain strings: FileStream records are lines of text, and tests read them back as they are.
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.storage.file.filename=$offsets
offset.flush.interval.ms=1000
# The connectors are on the classpath (connect-file), listed in its META-INF/services: no plugin.path, and
# ServiceLoader discovery skips the slow reflective scan of every jar (KIP-898).
plugin.discovery=service_load
# KIP-558 active topics (GET /connectors/{name}/topics), on by default; stated because Topolog reads them.
topic.tracking.enable=true
EOF
}

write_log_config() {
  if [ $logging = log4j2 ]; then
    cat >"$log_cfg" <<'EOF'
# Worker logging (log4j2), generated by scripts/connect.sh. stdout goes to connect.log.
status = warn
name = topolog-connect
shutdownHook = disable
appender.out.type = Console
appender.out.name = STDOUT
appender.out.target = SYSTEM_OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
# Config dumps of every client and connector, and per-request chatter.
logger.common.name = org.apache.kafka.common
logger.common.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.jetty.name = org.eclipse.jetty
logger.jetty.level = WARN
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
EOF
  else
    cat >"$log_cfg" <<'EOF'
# Worker logging (log4j 1 / reload4j), generated by scripts/connect.sh. stdout goes to connect.log.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.common=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.eclipse.jetty=WARN
log4j.logger.org.reflections=ERROR
EOF
  fi
}

cmd_start() {
  need_java
  fetch_libs
  mkdir -p "$state"
  exec 9>"$state/.lock" # serialise start/stop per port: two parallel starts must not launch two workers
  flock -w 300 9 || die "another connect.sh holds $state/.lock"

  local pid
  if pid=$(worker_pid); then
    if ! answers_rest; then
      echo "Kafka Connect on $HOST:$CONNECT_PORT (pid $pid) is starting; waiting for it ..."
      wait_ready "$pid" no
    fi
    echo "Kafka Connect $(running_version) already running on http://$HOST:$CONNECT_PORT (pid $pid, log: $log)"
    [ "$(running_version)" = "$KAFKA_VERSION" ] ||
      echo "connect.sh: note: it is not the requested $KAFKA_VERSION; stop it first to switch versions" >&2
    return 0
  fi
  ! port_open "$CONNECT_PORT" || die "port $CONNECT_PORT is already in use by another process (not the worker of $state); choose another CONNECT_PORT"
  # The worker looks up the Kafka cluster id first and would only log retries; say what to do instead.
  port_open "$KAFKA_PORT" || die "no Kafka broker answers on $HOST:$KAFKA_PORT: start it first with" \
    "\`KAFKA_PORT=$KAFKA_PORT bash scripts/kafka.sh start\` (or set KAFKA_PORT)"

  write_props
  write_log_config
  if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi # keep the previous run's log for post-mortems

  # Same launch as kafka.sh: own session (no terminal signal reaches it), the pid file names the JVM itself, and
  # every inherited descriptor above 2 is closed so no caller (a test runner's pipe) waits on the worker.
  rm -f "$pidfile"
  read -ra heap <<<"$CONNECT_HEAP_OPTS"
  # shellcheck disable=SC2016  # $$ and "$@" belong to the launcher shell
  setsid -f bash -c 'echo $$ >"$0"
    for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
    exec "$@"' "$pidfile" \
    "$java" "${heap[@]}" -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "$log_opt" \
    -cp "$libs/*" org.apache.kafka.connect.cli.ConnectStandalone "$props" </dev/null >>"$log" 2>&1
  for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  pid=$(cat "$pidfile" 2>/dev/null) || start_failed "the launcher did not write $pidfile"
  echo "$KAFKA_VERSION" >"$verfile"

  wait_ready "$pid" yes
  echo "Kafka Connect $KAFKA_VERSION ready on http://$HOST:$CONNECT_PORT (broker $HOST:$KAFKA_PORT, log: $log)"
}

cmd_stop() {
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock -w 300 9 || die "another connect.sh holds $state/.lock"
  local pid
  if ! pid=$(worker_pid); then
    echo "Kafka Connect on $HOST:$CONNECT_PORT is not running"
    rm -f "$pidfile"
    return 0
  fi
  echo "Stopping Kafka Connect $(running_version) on $HOST:$CONNECT_PORT (pid $pid) ..."
  stop_pid "$pid"
  rm -f "$pidfile"
  echo "Stopped"
}

cmd_status() {
  local pid
  if pid=$(worker_pid); then
    local what=running
    answers_rest || what="running (starting up: REST not answering yet)"
    echo "$what: Kafka Connect $(running_version) on http://$HOST:$CONNECT_PORT, pid $pid, log: $log"
    exit 0
  fi
  echo "stopped: no Kafka Connect worker for $HOST:$CONNECT_PORT (state: $state)"
  if port_open "$CONNECT_PORT"; then echo "note: port $CONNECT_PORT is answering, but not a worker started by this script"; fi
  exit 3
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs)
    shift
    [ -f "$log" ] || die "no worker log yet at $log"
    exec tail -n 50 "$@" "$log"
    ;;
  classpath)
    need_java
    fetch_libs
    printf "CONNECT_JAVA='%s'\nCONNECT_CLASSPATH='%s'\n" "$(command -v "$java")" "$libs/*"
    ;;
  *)
    echo "usage: bash scripts/connect.sh start|stop|status|logs [-f]|classpath" >&2
    exit 2
    ;;
esac
