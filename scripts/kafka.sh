#!/usr/bin/env bash
# A real local Apache Kafka broker for development and tests, without Docker: one combined KRaft node
# (broker + controller) on 127.0.0.1, run from Maven Central jars (fetched once by scripts/kafka/pom.xml).
#
# Usage: bash scripts/kafka.sh start|stop|status|logs [-f]|classpath|run-class <MainClass> [args...]
#
#   start      fetch jars if needed, format storage once, start in the background, wait until it answers
#              Kafka requests. Harmless when already running.
#   stop       SIGTERM, up to 30 s for a clean shutdown, then SIGKILL. Harmless when not running.
#   status     exit 0 when running, 3 when stopped.
#   logs       tail of broker.log (extra args go to tail, e.g. `logs -f`).
#   classpath  prints KAFKA_VERSION, KAFKA_JAVA, KAFKA_CLASSPATH and KAFKA_LOG_OPTS as KEY='value' lines:
#                eval "$(bash scripts/kafka.sh classpath)"
#                "$KAFKA_JAVA" $KAFKA_LOG_OPTS -cp "$KAFKA_CLASSPATH" org.apache.kafka.tools.TopicCommand ...
#              (keep KAFKA_CLASSPATH quoted: the JVM expands the trailing *, the shell must not).
#   run-class  runs a Kafka Java tool with that classpath; its logging goes to stderr at WARN, so stdout is
#              only the tool's output. E.g. run-class org.apache.kafka.tools.consumer.ConsoleConsumer ...
#
# Environment:
#   KAFKA_VERSION          default below; 3.9.x and 4.x are supported
#   KAFKA_PORT             client listener, default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller listener, default KAFKA_PORT+1
#   KAFKA_START_TIMEOUT    seconds to wait for readiness, default 90
#   KAFKA_HEAP_OPTS        broker heap, default -Xms256m -Xmx768m
#   KAFKA_TOOL_OPTS        JVM options for run-class, default: small heap, fast start-up
#   KAFKA_RESET=1          wipe this port's state dir (topics, offsets, logs) before starting
#   TOPOLOG_CACHE          jar cache root, default ~/.cache/topolog      (holds kafka-<version>/libs)
#   TOPOLOG_STATE          state root, default ~/.local/state/topolog    (holds kafka-<port>/)
#   JAVA_HOME              optional; otherwise `java` from PATH
set -euo pipefail

# Newest 4.x release whose kafka_2.13, kafka-server AND kafka-tools artifacts are all on Maven Central.
# Checked 2026-11-22: 4.4.0 and 4.2.2 have kafka_2.13 but no kafka-tools (not, or not yet, published), so 4.3.1.
# To bump: list releases with
#   mvn -q -B dependency:get -Dtransitive=false -Dartifact=org.apache.kafka:kafka_2.13:RELEASE:pom
#   grep '<version>' ~/.m2/repository/org/apache/kafka/kafka_2.13/maven-metadata-central.xml | tail
# then check that the tools jar exists too:
#   mvn -q -B dependency:get -Dtransitive=false -Dartifact=org.apache.kafka:kafka-tools:<v>
# and try it: KAFKA_VERSION=<v> KAFKA_PORT=9292 bash scripts/kafka.sh start
DEFAULT_KAFKA_VERSION=4.3.1

KAFKA_VERSION=${KAFKA_VERSION:-$DEFAULT_KAFKA_VERSION}
KAFKA_HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}
# Tools are short-lived JVMs: the C1-only JIT and serial GC start noticeably faster.
KAFKA_TOOL_OPTS=${KAFKA_TOOL_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

kdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kafka
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

home=${TOPOLOG_CACHE:-$HOME/.cache/topolog}/kafka-$KAFKA_VERSION   # jars, shared by all ports
libs=$home/libs
stamp=$home/libs.complete
state=${TOPOLOG_STATE:-$HOME/.local/state/topolog}/kafka-$KAFKA_PORT   # one broker per port
data=$state/data
props=$state/server.properties
pidfile=$state/kafka.pid
log=$state/broker.log
verfile=$state/version   # Kafka version that last formatted/ran $data

die() { echo "kafka.sh: $*" >&2; exit 1; }

# 4.x logs through log4j2, 3.9 through log4j 1 (reload4j). Older releases are untested here.
case $KAFKA_VERSION in
  4.* | [5-9].*) logging=log4j2 ;;
  3.9.*) logging=reload4j ;;
  *) die "KAFKA_VERSION=$KAFKA_VERSION is not supported: use 3.9.x or 4.x" ;;
esac
if [ $logging = log4j2 ]; then
  broker_log_cfg=broker-log4j2.properties
  broker_log_opt="-Dlog4j2.configurationFile=$state/$broker_log_cfg"
  tool_log_opt="-Dlog4j2.configurationFile=$kdir/tools-log4j2.properties"
  api_versions_class=org.apache.kafka.tools.BrokerApiVersionsCommand
else
  broker_log_cfg=broker-log4j.properties
  broker_log_opt="-Dlog4j.configuration=file:$state/$broker_log_cfg"
  tool_log_opt="-Dlog4j.configuration=file:$kdir/tools-log4j.properties"
  api_versions_class=kafka.admin.BrokerApiVersionsCommand
fi

need_java() {
  command -v "$java" >/dev/null || die "Java 17+ is required: apt-get install openjdk-17-jre-headless"
  local v major
  v=$("$java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  major=${v%%.*}
  [ "$major" = 1 ] && major=$(echo "$v" | cut -d. -f2) # "1.8.0_x" style
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Java ${v:-?} found, Kafka needs Java 17+: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"
  fi
}

# Fetch the jars once per version. The stamp is written last, so an interrupted fetch is redone.
fetch_libs() {
  [ -f "$stamp" ] && return 0
  command -v mvn >/dev/null || die "Maven is needed once to fetch the Kafka $KAFKA_VERSION jars: apt-get install maven"
  mkdir -p "$home"
  # Two parallel starts (e.g. test runners) must not both write into libs/.
  exec 8>"$home/.fetch.lock"
  flock 8
  if [ ! -f "$stamp" ]; then
    echo "Fetching Kafka $KAFKA_VERSION jars from Maven Central into $libs ..." >&2
    rm -rf "$libs"
    if ! mvn -q -B -f "$kdir/pom.xml" -Dkafka.version="$KAFKA_VERSION" -Dkafka.logging=$logging \
      -Dkafka.home="$home" package >"$home/fetch.log" 2>&1; then
      tail -n 30 "$home/fetch.log" >&2
      die "could not fetch Kafka $KAFKA_VERSION (full output: $home/fetch.log). Is it on Maven Central with" \
        "kafka_2.13, kafka-server and kafka-tools? mvn -q -B dependency:get -Dartifact=org.apache.kafka:kafka-tools:$KAFKA_VERSION"
    fi
    for jar in kafka_2.13 kafka-server kafka-tools kafka-clients; do
      [ -f "$libs/$jar-$KAFKA_VERSION.jar" ] || die "fetch incomplete: $libs/$jar-$KAFKA_VERSION.jar is missing"
    done
    rm -rf "$home/build"
    touch "$stamp"
  fi
  exec 8>&- # the broker JVM must not inherit (and keep holding) the lock
}

# A Kafka Java tool command line; its logging goes to stderr at WARN so stdout is only the tool's output.
read -ra tool_opts <<<"$KAFKA_TOOL_OPTS"
tool_cmd=("$java" "${tool_opts[@]}" "$tool_log_opt" -cp "$libs/*")

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$KAFKA_HOST/$1" 2>/dev/null; }

# True if $1 is this port's broker JVM. Checked against /proc so that a recycled pid, or a zombie
# (empty cmdline), is never taken for the broker.
is_broker() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF "kafka.Kafka $props"; }

# The broker's pid: from the pid file, or found by its unique command line if the pid file was lost.
broker_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && is_broker "$pid"; then
    echo "$pid"
  else
    pgrep -f -- "kafka\.Kafka $props" | head -n 1 | grep .
  fi
}

# Kafka-level readiness, not just TCP: the broker-api-versions tool lists only registered, unfenced
# brokers. Each try is a fresh JVM (1-2 s), so poll the cheap TCP check first, and cap each try.
answers_kafka() {
  port_open "$KAFKA_PORT" || return 1
  local out # captured, not piped: `grep -q` closing a pipe early would fail the pipeline under pipefail
  out=$(timeout 15 "${tool_cmd[@]}" "$api_versions_class" --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" 2>/dev/null) || true
  grep -q "^$KAFKA_HOST:$KAFKA_PORT (id: " <<<"$out"
}

running_version() { cat "$verfile" 2>/dev/null || echo "?"; }

# SIGTERM lets the broker close its logs cleanly (faster next start, no recovery); SIGKILL after 30 s.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do is_broker "$pid" || return 0; sleep 0.5; done
  echo "kafka.sh: broker pid $pid still alive after 30 s, sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 20); do is_broker "$pid" || return 0; sleep 0.5; done
}

start_failed() {
  {
    echo "kafka.sh: Kafka $KAFKA_VERSION on $KAFKA_HOST:$KAFKA_PORT failed to start: $1"
    echo "--- last 30 lines of $log ---"
    tail -n 30 "$log" 2>/dev/null || true
    echo "---"
    echo "Full log: $log"
    echo "If the data is damaged or was written by another Kafka version, wipe it (topics and offsets are lost):"
    echo "  KAFKA_RESET=1 KAFKA_PORT=$KAFKA_PORT KAFKA_VERSION=$KAFKA_VERSION bash scripts/kafka.sh start"
  } >&2
  exit 1
}

# Waits for readiness; stops the JVM on timeout if this run launched it, so failure leaves no half-started broker.
wait_ready() {
  local pid=$1 launched=$2 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until answers_kafka; do
    is_broker "$pid" || start_failed "the broker process exited"
    if ((SECONDS >= deadline)); then
      [ "$launched" = yes ] && stop_pid "$pid"
      start_failed "no answer within ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT)"
    fi
    sleep 0.5
  done
}

write_props() {
  cat >"$props" <<EOF
# Generated by scripts/kafka.sh at every start (edits are overwritten). Kafka $KAFKA_VERSION, dev/test broker.
process.roles=broker,controller
node.id=1
# Static quorum of one voter: formats and starts the same on 3.9 and 4.x, and survives a controller port
# change (a dynamic --standalone quorum records the voter endpoint in the metadata log).
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data

# Single node: internal topics with replication factor 1.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Tests want groups to form at once, and topics on first use.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
num.partitions=1
delete.topic.enable=true
log.retention.check.interval.ms=10000
EOF
  # 4.x-only keys (3.9 has no share groups). The KIP-848 consumer group protocol needs no key: it is on by
  # default in 4.0+, and setting group.coordinator.rebalance.protocols is deprecated in 4.3, where listing
  # "classic,consumer" would also switch off the streams protocol (KIP-1071). On 3.9 it stays off (preview).
  if [ $logging = log4j2 ]; then
    cat >>"$props" <<EOF

# Kafka 4.x: share-group state topic at RF 1 (single node).
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  fi
}

# A newer Kafka writes metadata an older one cannot read, so refuse a downgrade with a clear way out.
check_data_version() {
  [ -f "$data/meta.properties" ] && [ -f "$verfile" ] || return 0
  local old
  old=$(<"$verfile")
  [ "$old" = "$KAFKA_VERSION" ] && return 0
  if [ "$(printf '%s\n' "$old" "$KAFKA_VERSION" | sort -V | tail -n 1)" = "$old" ]; then
    die "the data in $data was written by Kafka $old; Kafka $KAFKA_VERSION cannot start on it (downgrade)." \
      "Use KAFKA_VERSION=$old, another KAFKA_PORT, or wipe it (topics and offsets are lost):" \
      "KAFKA_RESET=1 KAFKA_PORT=$KAFKA_PORT KAFKA_VERSION=$KAFKA_VERSION bash scripts/kafka.sh start"
  fi
  echo "kafka.sh: upgrading the data in $data from Kafka $old to $KAFKA_VERSION (no way back to $old but KAFKA_RESET=1)" >&2
}

cmd_start() {
  need_java
  fetch_libs
  mkdir -p "$state"
  # Serialise start/stop per port: two parallel starts must not launch two JVMs on one data dir.
  exec 9>"$state/.lock"
  flock -w 300 9 || die "another kafka.sh holds $state/.lock"

  local pid
  if pid=$(broker_pid); then
    if ! answers_kafka; then
      echo "Kafka on $KAFKA_HOST:$KAFKA_PORT (pid $pid) is starting; waiting for it ..."
      wait_ready "$pid" no
    fi
    echo "Kafka $(running_version) already running on $KAFKA_HOST:$KAFKA_PORT (pid $pid, log: $log)"
    [ "$(running_version)" = "$KAFKA_VERSION" ] ||
      echo "kafka.sh: note: it is not the requested $KAFKA_VERSION; stop it first to switch versions" >&2
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    ! port_open "$p" || die "port $p is already in use by another process (not the broker of $state); choose another KAFKA_PORT"
  done

  if [ "${KAFKA_RESET:-0}" = 1 ]; then
    echo "KAFKA_RESET=1: wiping $state"
    find "$state" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  fi
  check_data_version
  write_props
  cp "$kdir/$broker_log_cfg" "$state/$broker_log_cfg"
  # Keep the previous run's log for post-mortems; broker.log is this run only.
  if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi

  # Format the KRaft storage once (meta.properties marks a formatted log dir).
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id
    cluster_id=$("${tool_cmd[@]}" kafka.tools.StorageTool random-uuid 2>>"$log" | tail -n 1)
    "${tool_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" >>"$log" 2>&1 ||
      start_failed "formatting $data failed"
    echo "$KAFKA_VERSION" >"$verfile"
  fi

  # setsid: own session, so the broker outlives this shell and no terminal signal (Ctrl-C, hang-up) reaches it.
  # The launcher shell records its pid and then execs java, so the pid file names the JVM itself; it also
  # closes every inherited descriptor above 2 (our lock, a caller's pipes) so nobody waits on the broker.
  rm -f "$pidfile"
  read -ra heap <<<"$KAFKA_HEAP_OPTS"
  # shellcheck disable=SC2016  # $$ and "$@" belong to the launcher shell
  setsid -f bash -c 'echo $$ >"$0"
    for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
    exec "$@"' "$pidfile" \
    "$java" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "$broker_log_opt" \
    -cp "$libs/*" kafka.Kafka "$props" </dev/null >>"$log" 2>&1
  for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  pid=$(cat "$pidfile" 2>/dev/null) || start_failed "the launcher did not write $pidfile"

  wait_ready "$pid" yes
  echo "$KAFKA_VERSION" >"$verfile"
  echo "Kafka $KAFKA_VERSION ready on $KAFKA_HOST:$KAFKA_PORT (log: $log)"
}

cmd_stop() {
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock -w 300 9 || die "another kafka.sh holds $state/.lock"
  local pid
  if ! pid=$(broker_pid); then
    echo "Kafka on $KAFKA_HOST:$KAFKA_PORT is not running"
    rm -f "$pidfile"
    return 0
  fi
  echo "Stopping Kafka $(running_version) on $KAFKA_HOST:$KAFKA_PORT (pid $pid) ..."
  stop_pid "$pid"
  rm -f "$pidfile"
  echo "Stopped"
}

cmd_status() {
  local pid
  if pid=$(broker_pid); then
    local what=running
    port_open "$KAFKA_PORT" || what="running (starting up: port not open yet)"
    echo "$what: Kafka $(running_version) on $KAFKA_HOST:$KAFKA_PORT, pid $pid, log: $log"
    exit 0
  fi
  echo "stopped: no Kafka broker for $KAFKA_HOST:$KAFKA_PORT (state: $state)"
  if port_open "$KAFKA_PORT"; then echo "note: port $KAFKA_PORT is answering, but not a broker started by this script"; fi
  exit 3
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs)
    shift
    [ -f "$log" ] || die "no broker log yet at $log"
    exec tail -n 50 "$@" "$log"
    ;;
  classpath)
    need_java
    fetch_libs
    # KEY='value' lines, for `eval` in bash or a line split in Node; KAFKA_CLASSPATH must stay unexpanded.
    printf "KAFKA_VERSION='%s'\nKAFKA_JAVA='%s'\nKAFKA_CLASSPATH='%s'\nKAFKA_LOG_OPTS='%s'\n" \
      "$KAFKA_VERSION" "$(command -v "$java")" "$libs/*" "$tool_log_opt"
    ;;
  run-class)
    shift
    [ $# -ge 1 ] || die "usage: kafka.sh run-class <MainClass> [args...]"
    need_java
    fetch_libs
    exec "${tool_cmd[@]}" "$@"
    ;;
  *)
    echo "usage: bash scripts/kafka.sh start|stop|status|logs [-f]|classpath|run-class <MainClass> [args...]" >&2
    exit 2
    ;;
esac
