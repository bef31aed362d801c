#!/bin/sh
# Postfix's smtp-source against `mailscope serve` and, in the same run, against Postfix's
# smtp-sink: messages per second at 1, 10 and 50 parallel sessions, with a new connection per
# message and with reused connections (-d). MailScope serves bench/bridge/zero-latency.json
# (links without delay or bandwidth limit, speed 1), so the figures are MailScope's own cost.
# For MailScope the table also gives the messages the server accepted (a 250 after DATA, counted
# by serve as MailQueued events) and the messages stored in bob's mailbox (MailDelivered).
#
#   bench/bridge/postfix_compare.sh [MESSAGES per run, default 2000] [ROUNDS, default 3]
#
# The CPU columns give the server process's own CPU time per message (user + system, from
# /proc/PID/stat), which depends much less on what else the machine is doing than the rates.
#
# Each cell runs ROUNDS times, the sink and MailScope alternating, and shows the median rate: on a
# shared machine a single run says more about the neighbours than about either server.
#
# Builds `mailscope` in the default preset (RelWithDebInfo) unless MAILSCOPE_BINARY names one;
# installs the postfix package (its tools only, no mail system is started) when smtp-source is
# missing. Exit status 1 when a run fails or MailScope delivered fewer messages than it accepted.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MESSAGES=${1:-2000}
ROUNDS=${2:-3}
SCENARIO="$ROOT/bench/bridge/zero-latency.json"
WORK=$(mktemp -d /tmp/mailscope-postfix-compare.XXXXXX)
SINK_PID=""
SERVE_PID=""

cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ ! -x /usr/sbin/smtp-source ] || [ ! -x /usr/sbin/smtp-sink ]; then
  echo "installing postfix (tools only: no mail system is configured or started)" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y postfix >"$WORK/apt.log" 2>&1 ||
    { cat "$WORK/apt.log" >&2; exit 1; }
fi
PATH="/usr/sbin:$PATH"

if [ -z "${MAILSCOPE_BINARY:-}" ]; then
  (cd "$ROOT" && cmake --preset default >/dev/null &&
     cmake --build --preset default --target mailscope -j2 >/dev/null)
  MAILSCOPE_BINARY="$ROOT/build/default/sim/cli/mailscope"
fi

now() { date +%s.%N; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# A fresh STATS line from serve (it prints one on SIGUSR1).
stats_now() {
  before=$(grep -c '^STATS ' "$WORK/serve.out" || true)
  kill -USR1 "$SERVE_PID"
  while [ "$(grep -c '^STATS ' "$WORK/serve.out" || true)" -le "$before" ]; do sleep 0.05; done
  grep '^STATS ' "$WORK/serve.out" | tail -n 1
}
field() {  # STATS-LINE NAME
  echo "$1" | sed "s/.*\"$2\": \([0-9]*\).*/\1/"
}

# Postfix's sink: accepts every message and throws it away.
SINK_PORT=$(free_port)
smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1000 &
SINK_PID=$!

: >"$WORK/serve.out"
"$MAILSCOPE_BINARY" serve "$SCENARIO" --expose mx.bench.test:25=0 --speed 1 >"$WORK/serve.out" &
SERVE_PID=$!
while ! grep -q '^READY ' "$WORK/serve.out"; do
  kill -0 "$SERVE_PID" 2>/dev/null || { echo "mailscope serve did not start" >&2; exit 1; }
  sleep 0.05
done
SERVE_PORT=$(sed -n 's/^READY .*"mx.bench.test:25": \([0-9]*\).*/\1/p' "$WORK/serve.out")
sleep 0.5

# Messages per second for one smtp-source run; "failed" when smtp-source reported an error.
run_source() {  # PORT SESSIONS [-d]
  start=$(now)
  if smtp-source -s "$2" ${3:-} -m "$MESSAGES" -l 400 -f alice@bench.test -t bob@bench.test \
       -M client.example "127.0.0.1:$1" >"$WORK/source.log" 2>&1; then
    end=$(now)
    echo "$start $end" | awk -v m="$MESSAGES" '{ printf "%.0f", m / ($2 - $1) }'
  else
    echo failed
    sed 's/^/    /' "$WORK/source.log" >&2
  fi
}

TICKS_PER_SECOND=$(getconf CLK_TCK)
cpu_ticks() {  # PID: user + system clock ticks so far
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
per_message_us() {  # TICKS MESSAGES
  awk -v t="$1" -v m="$2" -v hz="$TICKS_PER_SECOND" 'BEGIN { printf "%.0f", t * 1e6 / hz / m }'
}

median() {  # numbers on standard input, one per line; "failed" if any run failed
  sort -n | awk '/failed/ { bad = 1 } { v[NR] = $1 } END { if (bad || NR == 0) print "failed";
    else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

status=0
printf '%s messages per run, median of %s runs; load before: %s\n' "$MESSAGES" "$ROUNDS" "$(uptime)"
printf '%-9s %-12s %10s %10s %6s %9s %9s %9s %9s\n' sessions connections smtp-sink mailscope \
  ratio sink-cpu ms-cpu accepted delivered
printf '%-9s %-12s %10s %10s %6s %9s %9s\n' "" "" "msg/s" "msg/s" "" "us/msg" "us/msg"
for mode in new reused; do
  flag=""
  [ "$mode" = reused ] && flag="-d"
  for sessions in 1 10 50; do
    : >"$WORK/sink.rates"
    : >"$WORK/served.rates"
    before=$(stats_now)
    sink_ticks=0
    served_ticks=0
    round=0
    while [ "$round" -lt "$ROUNDS" ]; do
      t0=$(cpu_ticks "$SINK_PID")
      run_source "$SINK_PORT" "$sessions" $flag >>"$WORK/sink.rates"
      sink_ticks=$((sink_ticks + $(cpu_ticks "$SINK_PID") - t0))
      echo >>"$WORK/sink.rates"
      t0=$(cpu_ticks "$SERVE_PID")
      run_source "$SERVE_PORT" "$sessions" $flag >>"$WORK/served.rates"
      served_ticks=$((served_ticks + $(cpu_ticks "$SERVE_PID") - t0))
      echo >>"$WORK/served.rates"
      round=$((round + 1))
    done
    # Deliveries follow the 250 at once in virtual time; give the driver a moment to run them.
    sleep 0.2
    after=$(stats_now)
    sink=$(median <"$WORK/sink.rates")
    served=$(median <"$WORK/served.rates")
    accepted=$(($(field "$after" messages_queued) - $(field "$before" messages_queued)))
    delivered=$(($(field "$after" messages_delivered) - $(field "$before" messages_delivered)))
    ratio=$(awk -v a="$served" -v b="$sink" \
      'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
    if [ "$sink" = failed ] || [ "$served" = failed ] ||
       [ "$accepted" -ne $((MESSAGES * ROUNDS)) ] || [ "$delivered" -ne "$accepted" ]; then
      status=1
    fi
    printf '%-9s %-12s %10s %10s %6s %9s %9s %9s %9s\n' "$sessions" "$mode" "$sink" "$served" \
      "$ratio" "$(per_message_us "$sink_ticks" $((MESSAGES * ROUNDS)))" \
      "$(per_message_us "$served_ticks" $((MESSAGES * ROUNDS)))" "$accepted" "$delivered"
  done
done
printf 'load after: %s\n' "$(uptime)"
printf 'mailscope serve: %s\n' "$(grep '^STATS ' "$WORK/serve.out" | tail -n 1)"
exit $status
