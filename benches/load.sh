#!/usr/bin/env bash
# Load on the UDP examples, SIPp on the same machine (release builds; not run by .ci/run: it
# takes minutes). Three legs, one after the other:
#   1. SIPp's built-in uac -> forking_proxy (one target) -> SIPp's built-in uas, RATE_PROXY
#      calls/s (default 500) for SECONDS (default 60);
#   2. the same through Kamailio (tm; the kind of configuration the differential test uses,
#      plus in-dialog routing to the UAS, 2 UDP workers);
#   3. SIPp's queued caller (runtime/tests/sipp/queued_caller.xml: every response and
#      reason checked, then ACK and BYE) against invite_server, RATE_SERVER calls/s
#      (default 1000);
#   4. the same with 100rel calls (runtime/tests/sipp/reliable_caller.xml: Require: 100rel,
#      a PRACK per reliable provisional, one withheld 800 ms so the 182 goes again, a stray
#      PRACK that must get 481): twice the messages a call.
# Each leg prints calls attempted, succeeded and failed, SIPp's retransmissions (the caller's,
# and for leg 1 and 2 the UAS's) and the CPU time of the process under test.
#
# And the resident memory of our process every tenth of the leg: flat once the 64*T1 (32 s)
# timers of the first calls have run out, when ended calls are freed as fast as new ones come
# (so legs of 60 s or more). SIPp's log of each failed call is kept (-trace_err), and the
# script prints where it is.
#
#   bash benches/load.sh [SECONDS]          # RATE_PROXY=500 RATE_SERVER=1000 by default
#   LEGS=34 bash benches/load.sh 20          # only some legs (1, 2, 3, 4)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_LEG=${1:-60}
RATE_PROXY=${RATE_PROXY:-500}
RATE_SERVER=${RATE_SERVER:-1000}
LEGS=${LEGS:-1234}
WORK=$(mktemp -d /tmp/sip-load.XXXXXX)
TICK=$(getconf CLK_TCK)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

command -v sipp >/dev/null || { echo "load.sh needs sipp (Debian's sip-tester)"; exit 1; }
cargo build --release -q -p sip-responses --example forking_proxy --example invite_server
BIN=target/release/examples

# A UDP port free on 127.0.0.1 now.
port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# CPU seconds (user + system) of every process in process group $1.
cpu() {
  local total=0 pid
  for pid in $(pgrep -g "$1"); do
    # Fields 14 and 15 of /proc/PID/stat, counted after the command name's closing paren.
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0)))
  done
  echo "$total"
}

# Resident memory (VmRSS, MB) of process $1 every tenth of the leg, in the background, into
# file $2 as one line ("6 MB at 6 s, ...").
rss_every() {
  local step=$((SECONDS_PER_LEG / 10))
  (for i in 1 2 3 4 5 6 7 8 9 10; do
     sleep "$step"
     awk -v t=$((i * step)) '/^VmRSS/ { printf "%d MB at %d s", $2 / 1024, t }' \
       "/proc/$1/status" 2>/dev/null || break
     [ $i -lt 10 ] && printf ', '
   done >"$2") &
}

# Column $2 of the last line of SIPp's statistics file $1 (`;`-separated, with a header).
stat() {
  awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i } END { print $c }' "$1"
}

# Starts "$@" in its own process group in the background; its pid (= the group) in $STARTED.
start() {
  setsid "$@" &
  STARTED=$!
  PIDS+=("$STARTED")
}

stop() {
  kill -TERM -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Runs a SIPp caller with statistics; "$1" is the leg's name, the rest sipp's arguments.
caller() {
  local name=$1
  shift
  BEGAN=$(date +%s.%N)
  sipp "$@" -i 127.0.0.1 -nostdin -l 30000 -buff_size 4194304 -timeout "$((SECONDS_PER_LEG + 60))s" \
    -trace_stat -stf "$WORK/$name.csv" -fd 1 -trace_err -error_file "$WORK/$name-errors.log" \
    >/dev/null 2>&1 || true
  WALL=$(echo "$(date +%s.%N) - $BEGAN" | bc)
}

report() { # name, caller csv, uas csv or "", cpu ticks, what
  local attempted ok failed retrans uas_retrans="-"
  attempted=$(stat "$2" "OutgoingCall(C)")
  ok=$(stat "$2" "SuccessfulCall(C)")
  failed=$(stat "$2" "FailedCall(C)")
  retrans=$(stat "$2" "Retransmissions(C)")
  [ -n "$3" ] && uas_retrans=$(stat "$3" "Retransmissions(C)")
  printf '%-34s %9s %9s %6s %13s %13s %9s\n' "$1" "$attempted" "$ok" "$failed" "$retrans" \
    "$uas_retrans" "$(awk -v t="$4" -v k="$TICK" -v s="$WALL" \
      'BEGIN { printf "%.1f s in %.0f s (%.0f%% of a core)", t / k, s, 100 * t / k / s }')"
}

CALLS_PROXY=$((RATE_PROXY * SECONDS_PER_LEG))
CALLS_SERVER=$((RATE_SERVER * SECONDS_PER_LEG))
RESULTS=()

# A UAS (SIPp's built-in) for one proxy leg; $UAS holds its port.
uas() {
  UAS=$(port)
  start sipp -sn uas -i 127.0.0.1 -p "$UAS" -nostdin -m "$CALLS_PROXY" -buff_size 4194304 \
    -timeout "$((SECONDS_PER_LEG + 90))s" -trace_stat -stf "$WORK/$1-uas.csv" -fd 1 >/dev/null 2>&1
  UAS_PID=$STARTED
  sleep 0.5
}

# Leg 1: forking_proxy.
if [[ $LEGS == *1* ]]; then
uas proxy
LISTEN=$(port)
start "$BIN/forking_proxy" "127.0.0.1:$LISTEN" "127.0.0.1:$UAS" --quiet >"$WORK/proxy.log"
PROXY=$STARTED
sleep 0.5
before=$(cpu "$PROXY")
rss_every "$PROXY" "$WORK/proxy.rss"
caller proxy -sn uac "127.0.0.1:$LISTEN" -p "$(port)" -r "$RATE_PROXY" -m "$CALLS_PROXY"
ticks=$(($(cpu "$PROXY") - before))
sleep 1
stop "$UAS_PID"
stop "$PROXY"
RESULTS+=("$(report "forking_proxy, $RATE_PROXY calls/s" "$WORK/proxy.csv" "$WORK/proxy-uas.csv" "$ticks")")
RESULTS+=("  forking_proxy memory: $(cat "$WORK/proxy.rss" 2>/dev/null || echo ?)")
fi

# Leg 2: Kamailio, the same way.
KAMAILIO=$(command -v kamailio || echo /usr/sbin/kamailio)
if [[ $LEGS != *2* ]]; then
  :
elif [ -x "$KAMAILIO" ]; then
  uas kamailio
  LISTEN=$(port)
  cat >"$WORK/kamailio.cfg" <<EOF
#!KAMAILIO
debug=0
log_stderror=yes
children=2
auto_aliases=no
listen=udp:127.0.0.1:$LISTEN
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "corex.so"
request_route {
    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
    if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
    if (has_totag()) { \$du = "sip:127.0.0.1:$UAS"; t_relay(); exit; }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    if (is_method("INVITE")) { \$ru = "sip:uas@127.0.0.1:$UAS"; t_relay(); exit; }
    sl_send_reply("405", "Method Not Allowed");
}
EOF
  start "$KAMAILIO" -f "$WORK/kamailio.cfg" -DD -E -m 256 -u root -g root -w "$WORK" \
    -P "$WORK/kamailio.pid" >"$WORK/kamailio.log" 2>&1
  PROXY=$STARTED
  sleep 1.5
  before=$(cpu "$PROXY")
  caller kamailio -sn uac "127.0.0.1:$LISTEN" -p "$(port)" -r "$RATE_PROXY" -m "$CALLS_PROXY"
  ticks=$(($(cpu "$PROXY") - before))
  sleep 1
  stop "$UAS_PID"
  stop "$PROXY" 2>/dev/null
  RESULTS+=("$(report "Kamailio 5.6 tm, $RATE_PROXY calls/s" "$WORK/kamailio.csv" "$WORK/kamailio-uas.csv" "$ticks")")
else
  RESULTS+=("Kamailio: not installed, skipped")
fi

# Legs 3 and 4: invite_server against SIPp's queued caller, then its reliable one.
server_leg() { # name, scenario, what
  LISTEN=$(port)
  start "$BIN/invite_server" "127.0.0.1:$LISTEN" >/dev/null
  SERVER=$STARTED
  sleep 0.5
  before=$(cpu "$SERVER")
  rss_every "$SERVER" "$WORK/$1.rss"
  caller "$1" -sf "runtime/tests/sipp/$2" "127.0.0.1:$LISTEN" -p "$(port)" \
    -r "$RATE_SERVER" -m "$CALLS_SERVER"
  ticks=$(($(cpu "$SERVER") - before))
  sleep 1
  stop "$SERVER"
  RESULTS+=("$(report "$3, $RATE_SERVER calls/s" "$WORK/$1.csv" "" "$ticks")")
  RESULTS+=("  $3 memory: $(cat "$WORK/$1.rss" 2>/dev/null || echo ?)")
}
[[ $LEGS == *3* ]] && server_leg server queued_caller.xml "invite_server"
[[ $LEGS == *4* ]] && server_leg reliable reliable_caller.xml "invite_server 100rel"

echo
echo "$SECONDS_PER_LEG s per leg, $(nproc) cores; statistics in $WORK"
printf '%-34s %9s %9s %6s %13s %13s %9s\n' "leg" "attempted" "succeeded" "failed" \
  "retrans (UAC)" "retrans (UAS)" "CPU of the process under test"
printf '%s\n' "${RESULTS[@]}"
for f in "$WORK"/*-errors.log; do
  grep -q "Aborting call" "$f" 2>/dev/null && echo "SIPp's log of the failed calls: $f"
done
true
