#!/usr/bin/env bash
# A throw-away single-node Slurm cluster (Debian 12's Slurm 22.05) for the
# tests: munged, slurmctld and slurmd run as root from a state folder, with no
# systemd and no cgroups. See docs/slurm-test-cluster.md.
#
#   scripts/slurm-cluster.sh start    start it (or say it already runs), wait
#                                     until the node is idle, smoke-test srun;
#                                     the last line printed is the environment
#                                     a client needs:
#                                       eval "$(scripts/slurm-cluster.sh start | tail -1)"
#   scripts/slurm-cluster.sh stop     cancel its jobs, end the daemons it
#                                     started (by their recorded pids) and
#                                     remove the state folder
#   scripts/slurm-cluster.sh status   exit 0 when the daemons run and the node
#                                     answers and is idle, mixed, allocated or
#                                     completing; 1 otherwise
#
# Environment:
#   DOJOBBER_SLURM_DIR    state folder            [/tmp/dojobber-slurm]
#   DOJOBBER_SLURM_PORT   slurmctld's TCP port; slurmd uses the next one [6817]
#
# Needs the packages from `scripts/install-deps.sh --slurm`, and root.
set -euo pipefail

STATE=${DOJOBBER_SLURM_DIR:-/tmp/dojobber-slurm}
CTLD_PORT=${DOJOBBER_SLURM_PORT:-6817}
SLURMD_PORT=$((CTLD_PORT + 1))
START_TIMEOUT=60  # seconds for each daemon to come up
STOP_TIMEOUT=30   # seconds for the jobs and then the daemons to go away

CONF=$STATE/slurm.conf
MUNGE_SOCKET=$STATE/munge/munge.socket
DAEMONS=(munged slurmctld slurmd)  # start order; stopped in reverse

log() { echo "slurm-cluster: $*" >&2; }

# The pid recorded for a daemon, printed only while that process is still the
# daemon we started (a recycled pid names another program).
live_pid() {
  local name=$1 pidfile=$STATE/run/$1.pid pid comm
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ $comm == "$name" ]] || return 1
  # A zombie still has a /proc entry: it is gone for our purposes.
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
  echo "$pid"
}

show_logs() {
  local name f
  for name in "${DAEMONS[@]}"; do
    # A daemon that died before it opened its log file said why on stderr.
    for f in "$STATE/log/$name.log" "$STATE/log/$name.stderr"; do
      [[ -s $f ]] || continue
      echo "---- tail of $f" >&2
      tail -n 25 "$f" >&2
      break
    done
  done
}

# The node's state as sinfo reports it (idle, mixed, ...), or nothing.
node_state() {
  SLURM_CONF=$CONF timeout 15 sinfo -h -N -o %T 2>/dev/null | head -n 1 || true
}

daemons_alive() {
  local name
  for name in "${DAEMONS[@]}"; do
    live_pid "$name" >/dev/null || return 1
  done
}

# The node takes jobs: idle, mixed, allocated, or completing (for a moment
# after each job). A trailing * (not responding) or a drain state does not
# count.
node_usable() {
  case "$(node_state)" in
    idle | mixed | allocated | completing) return 0 ;;
    *) return 1 ;;
  esac
}

cmd_status() {
  [[ -f $CONF ]] && daemons_alive && node_usable
}

# Sends SIGTERM to the daemons still alive, waits for them to go, then
# SIGKILLs the rest. Returns 1 if one survives even that.
end_daemons() {
  local name pid i t alive
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    name=${DAEMONS[i]}
    pid=$(live_pid "$name") || continue
    kill -TERM "$pid" 2>/dev/null || true
    # Each one in turn, so that slurmd can still tell slurmctld it is going,
    # and slurmctld can still reach munged while it saves its state.
    for ((t = 0; t < STOP_TIMEOUT * 10; t++)); do
      live_pid "$name" >/dev/null || break
      sleep 0.1
    done
    if pid=$(live_pid "$name"); then
      log "$name ($pid) ignored SIGTERM for ${STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 50; i++)); do
    alive=()
    for name in "${DAEMONS[@]}"; do
      live_pid "$name" >/dev/null && alive+=("$name")
    done
    ((${#alive[@]} == 0)) && return 0
    sleep 0.1
  done
  log "still running after SIGKILL: ${alive[*]}"
  return 1
}

cmd_stop() {
  if [[ ! -d $STATE ]]; then
    log "not running ($STATE does not exist)"
    return 0
  fi
  # Steps run in slurmstepd processes that outlive slurmd: cancel the jobs
  # while the controller still answers, and wait for them to end.
  if live_pid slurmctld >/dev/null && live_pid slurmd >/dev/null; then
    local jobs i
    jobs=$(SLURM_CONF=$CONF timeout 15 squeue -h -o %i 2>/dev/null || true)
    if [[ -n $jobs ]]; then
      log "cancelling jobs: $(tr '\n' ' ' <<<"$jobs")"
      # shellcheck disable=SC2086
      SLURM_CONF=$CONF timeout 15 scancel $jobs 2>/dev/null || true
      for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
        [[ -z $(SLURM_CONF=$CONF timeout 15 squeue -h -o %i 2>/dev/null || true) ]] && break
        sleep 0.1
      done
    fi
  fi
  end_daemons || {
    show_logs
    return 1
  }
  rm -rf "$STATE"
  log "stopped"
}

# spawn NAME OUTPUT COMMAND...: starts COMMAND in its own session, with
# stdin, stdout and stderr away from the caller (a caller reading our output
# through a pipe must see it close), and records its pid as run/NAME.pid.
spawn() {
  local name=$1 output=$2
  shift 2
  # 9 is the lock's descriptor (see lock): a daemon must not hold the lock.
  setsid "$@" </dev/null >>"$output" 2>&1 9<&- &
  local pid=$! i
  echo "$pid" >"$STATE/run/$name.pid"
  # Until it has exec'd, the child is still called bash or setsid, and
  # live_pid would take it for gone.
  for ((i = 0; i < 100; i++)); do
    live_pid "$name" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "$name exited as it started"
  return 1
}

# wait_for WHAT DAEMON COMMAND...: runs COMMAND every 0.2 s until it succeeds;
# fails when DAEMON dies or START_TIMEOUT passes.
wait_for() {
  local what=$1 daemon=$2 deadline=$((SECONDS + START_TIMEOUT))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ! live_pid "$daemon" >/dev/null; then
      log "$daemon exited while waiting for $what"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "timed out after ${START_TIMEOUT}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

munge_works() {
  munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET"
}

ctld_up() {
  SLURM_CONF=$CONF timeout 10 scontrol ping | grep -q 'is UP'
}

node_idle() {
  [[ $(node_state) == idle ]]
}

write_config() {
  local host cpus mem_mib real_mem def_mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mib=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
  # slurmd drains a node that has less memory than configured: stay under.
  real_mem=$((mem_mib * 95 / 100))
  # Without a default, a job that does not ask for memory gets the whole
  # node's, and no second job fits beside it.
  def_mem=$((real_mem / cpus))
  ((def_mem > 1024)) && def_mem=1024

  cat >"$CONF" <<EOF
# Generated by scripts/slurm-cluster.sh: a single-node test cluster.
ClusterName=dojobber
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET

StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/run/slurmctld.daemon.pid
SlurmdPidFile=$STATE/run/slurmd.daemon.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No cgroups, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true

# One CPU is the unit of allocation, and memory is consumable too, so two
# 1-CPU jobs run side by side on a 2-CPU node and --mem is honoured.
SchedulerType=sched/backfill
# Start a pending job as soon as a job ends, not up to 3 s later.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$def_mem

# Refuse at submission a job that can never run here (too many CPUs, too
# much memory, too long), instead of leaving it pending for ever.
EnforcePartLimits=ALL
ReturnToService=2
MessageTimeout=5
KillWait=2
InactiveLimit=0
MinJobAge=5
SlurmdTimeout=60

NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  echo "export SLURM_CONF=$CONF" >"$STATE/env"
}

start_failed() {
  log "start failed"
  show_logs
  end_daemons || true
  log "state kept in $STATE for inspection; '$0 stop' removes it"
  exit 1
}

cmd_start() {
  if [[ $(id -u) -ne 0 ]]; then
    log "must run as root (the daemons run as root, without cgroups)"
    exit 1
  fi
  local prog
  for prog in munged munge unmunge slurmctld slurmd srun sinfo scontrol; do
    command -v "$prog" >/dev/null || {
      log "$prog not found: run scripts/install-deps.sh --slurm"
      exit 1
    }
  done
  if [[ -f $CONF ]] && daemons_alive; then
    # Running, perhaps still starting or busy: wait for it rather than
    # tearing down a cluster that someone is using.
    wait_for "the node to take jobs" slurmd node_usable || {
      show_logs
      log "running in $STATE but the node does not take jobs; '$0 stop' ends it"
      exit 1
    }
    log "already running ($STATE)"
    cat "$STATE/env"
    return 0
  fi
  if [[ -e $STATE ]]; then
    log "removing a stale $STATE"
    cmd_stop >/dev/null 2>&1 || true
    rm -rf "$STATE"
  fi

  local t0
  t0=$(date +%s%N)
  mkdir -p "$STATE"/{munge,ctld,spool,log,run}
  # munged refuses a socket or key in a folder that others may write to.
  chmod 0755 "$STATE" "$STATE/munge"
  write_config

  # munge: its own key and socket, so no system munged is needed or touched.
  dd if=/dev/urandom of="$STATE/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$STATE/munge/munge.key"
  # In the foreground munged logs to stderr only.
  spawn munged "$STATE/log/munged.log" munged --foreground --force \
    --socket="$MUNGE_SOCKET" \
    --key-file="$STATE/munge/munge.key" \
    --pid-file="$STATE/munge/munged.pid" \
    --seed-file="$STATE/munge/munged.seed" || start_failed
  wait_for "munged to answer" munged munge_works || start_failed

  export SLURM_CONF=$CONF
  spawn slurmctld "$STATE/log/slurmctld.stderr" slurmctld -D -f "$CONF" || start_failed
  wait_for "slurmctld to answer 'scontrol ping'" slurmctld ctld_up || start_failed
  spawn slurmd "$STATE/log/slurmd.stderr" slurmd -D -f "$CONF" || start_failed
  wait_for "the node to be idle" slurmd node_idle || start_failed

  local out err=$STATE/log/smoke-test.stderr
  # srun forwards its stdin to the task: give it none.
  if ! timeout 60 srun -N1 -n1 true </dev/null 2>"$err"; then
    log "smoke test 'srun -N1 -n1 true' failed: $(cat "$err")"
    start_failed
  fi
  if ! out=$(timeout 60 srun -n1 --cpus-per-task=1 --mem=100 echo ok </dev/null 2>"$err") || [[ $out != ok ]]; then
    log "smoke test 'srun -n1 --cpus-per-task=1 --mem=100 echo ok' printed '$out' and: $(cat "$err")"
    start_failed
  fi
  local ms=$((($(date +%s%N) - t0) / 1000000))
  log "up in $((ms / 1000)).$(printf %03d $((ms % 1000))) s: node $(hostname -s), $(nproc) CPUs, partition debug, state in $STATE"
  cat "$STATE/env"
}

# One start or stop at a time (parallel test fixtures may both call start).
lock() {
  exec 9<"$0"
  flock 9
}

case "${1:-}" in
  start) lock && cmd_start ;;
  stop) lock && cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
