#!/usr/bin/env bash
# Prove the Slurm path of a sharded sweep on this one machine, for real:
#   1. install Debian's slurm-wlm and munge if missing (apt-get; needs root),
#   2. start munged, slurmctld and slurmd by hand on a throwaway single-node slurm.conf
#      in a temp dir (no systemd, no cgroups, no accounting database),
#   3. build the CLI (dotnet build src/SoftErrorSim.Cli -c Release) in the repository holding
#      this script, and run the sweep unsharded,
#   4. submit the same sweep through submit.sh as a 3-shard job array plus the dependent merge,
#   5. wait for both jobs and compare merged/sweep.csv with the unsharded sweep.csv (cmp).
# Prints "PASS ..." and exits 0, or "FAIL ..." and exits 1. Always stops the daemons it started.
#
# Run as root from a clone whose build folders you own (it runs dotnet build there):
#   sudo experiments/cluster/local-slurm-proof.sh
# Environment:
#   PROOF_SHARDS   shards of the array [3]
#   PROOF_TRIALS   trials per point [3000]
#   PROOF_TIMEOUT  seconds to wait for the jobs [600]
#   PROOF_KEEP     1 = keep the temp dir (conf, logs, outputs) even on PASS [0; kept on FAIL]
#   SOFTERRORSIM   use this CLI command instead of building one (skips step 3's build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shards="${PROOF_SHARDS:-3}"
trials="${PROOF_TRIALS:-3000}"
timeout="${PROOF_TIMEOUT:-600}"
keep="${PROOF_KEEP:-0}"
sweep_args="--schemes gpd,replication,uncoded --nodes 12 --m 2 --n 2 --error-rate 1e-3:0.3:log4 --trials $trials --seed 7"

t0=$SECONDS
log() { printf '[proof %4ds] %s\n' "$((SECONDS - t0))" "$*"; }
fail() {
  echo "FAIL: $*"
  exit 1
}

[[ "$(id -u)" == 0 ]] || fail "run as root (SlurmUser=root, apt-get)"
[[ -f "$repo/SoftErrorSim.sln" ]] || fail "no SoftErrorSim.sln at $repo"

# ---------------------------------------------------------------- 1. packages
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null \
   || ! command -v sbatch > /dev/null || ! command -v munged > /dev/null; then
  log "installing slurm-wlm and munge with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d 101 keeps the packages' init scripts from starting system daemons.
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [[ -e "$policy" ]] && had_policy=1
  if (( ! had_policy )); then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; fi
  apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null
  if (( ! had_policy )); then rm -f "$policy"; fi
fi
log "$(slurmctld -V), munge $(munged --version 2>&1 | awk '{print $1; exit}')"

# ---------------------------------------------------------------- 2. daemons
tmp="$(mktemp -d /tmp/softerrorsim-slurm-proof.XXXXXX)"
chmod 755 "$tmp"
pids=()
array_id=""
merge_id=""
result=1

stop_all() {
  local rc=$?
  set +e
  local ids=() j
  for j in "$array_id" "$merge_id"; do [[ -n "$j" ]] && ids+=("$j"); done
  if (( ${#ids[@]} )) && [[ -n "$(squeue -h -j "$(IFS=,; echo "${ids[*]}")" 2> /dev/null)" ]]; then
    scancel "${ids[@]}" 2> /dev/null   # let slurmd end the job steps before it is stopped
    for _ in $(seq 1 20); do [[ -z "$(squeue -h 2> /dev/null)" ]] && break; sleep 0.5; done
  fi
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2> /dev/null
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null
  done
  if (( result == 0 )) && [[ "$keep" != 1 ]]; then
    rm -rf "$tmp"
  else
    echo "temp dir kept: $tmp (slurm.conf, log/, out/)"
  fi
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp"/{munge,state,spool,log,out}
chmod 755 "$tmp/munge"   # munged wants the socket dir searchable by all

# munge: own key, socket, pid, log, seed; nothing under /etc or /run is touched.
munge_socket="$tmp/munge/munge.socket"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --foreground --force \
  --key-file="$tmp/munge/munge.key" --socket="$munge_socket" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" \
  > "$tmp/log/munged.out" 2>&1 &
pids+=("$!")
for _ in $(seq 1 50); do [[ -S "$munge_socket" ]] && break; sleep 0.1; done
[[ -S "$munge_socket" ]] || { cat "$tmp/log/munged.out"; fail "munged did not start"; }
munge --socket="$munge_socket" -n | unmunge --socket="$munge_socket" > /dev/null \
  || fail "munge round trip failed"
log "munged up ($munge_socket)"

free_port() {  # first port from $1 up that nothing listens on
  local p=$1
  while (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; do p=$((p + 1)); done
  echo "$p"
}
ctld_port="$(free_port 16817)"
slurmd_port="$(free_port $((ctld_port + 1)))"
node="$(hostname -s)"
cpus="$(nproc)"

export SLURM_CONF="$tmp/slurm.conf"
cat > "$SLURM_CONF" <<CONF
# Throwaway single-node Slurm for local-slurm-proof.sh; everything lives under $tmp.
ClusterName=softerrorsim-proof
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$munge_socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1024 State=UNKNOWN
PartitionName=proof Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -c > "$tmp/log/slurmctld.out" 2>&1 &
pids+=("$!")
slurmd -D -N "$node" > "$tmp/log/slurmd.out" 2>&1 &
pids+=("$!")

show_logs() {
  local f
  for f in "$tmp"/log/slurmctld.log "$tmp"/log/slurmd.log "$tmp"/log/*.out; do
    [[ -s "$f" ]] || continue
    echo "----- $f (last 30 lines)"
    tail -n 30 "$f"
  done
}

state=""
for _ in $(seq 1 120); do
  state="$(sinfo -h -N -n "$node" -o '%t' 2> /dev/null || true)"
  [[ "$state" == idle ]] && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null || { show_logs; fail "a daemon exited (pid $pid)"; }; done
  sleep 0.5
done
[[ "$state" == idle ]] || { show_logs; fail "node $node not idle after 60 s (state '$state')"; }
log "slurmctld + slurmd up: $(sinfo -h -o '%P %D node(s) %C cpus(A/I/O/T) %t')"

# ---------------------------------------------------------------- 3. build + unsharded sweep
if [[ -n "${SOFTERRORSIM:-}" ]]; then
  cli="$SOFTERRORSIM"
  log "using SOFTERRORSIM=$cli (no build)"
else
  log "dotnet build src/SoftErrorSim.Cli -c Release (in $repo)"
  (cd "$repo" && dotnet build src/SoftErrorSim.Cli -c Release -nologo -v quiet > "$tmp/log/build.log" 2>&1) \
    || { tail -n 30 "$tmp/log/build.log"; fail "build failed"; }
  cli="$repo/src/SoftErrorSim.Cli/bin/Release/net10.0/softerrorsim"
  [[ -x "$cli" ]] || fail "no apphost at $cli"
fi
read -r -a cli_words <<< "$cli"
read -r -a sweep_words <<< "$sweep_args"

log "unsharded: softerrorsim sweep $sweep_args"
t_plain=$SECONDS
"${cli_words[@]}" sweep "${sweep_words[@]}" --out "$tmp/out/unsharded" > "$tmp/log/unsharded.out" 2>&1 \
  || { cat "$tmp/log/unsharded.out"; fail "unsharded sweep failed"; }
log "unsharded sweep done in $((SECONDS - t_plain)) s: $(($(wc -l < "$tmp/out/unsharded/sweep.csv") - 1)) rows"

# ---------------------------------------------------------------- 4. submit through submit.sh
t_slurm=$SECONDS
export SOFTERRORSIM="$cli" SWEEP_ARGS="$sweep_args" OUT_ROOT="$tmp/out/slurm" SHARDS="$shards"
"$here/submit.sh" | sed 's/^/  submit.sh: /'
# shellcheck source=/dev/null
source "$OUT_ROOT/jobs.env"
array_id="$ARRAY_JOB_ID"
merge_id="$MERGE_JOB_ID"

# ---------------------------------------------------------------- 5. wait, then compare
job_summary() {  # one line per job (or array task) of job $1
  scontrol -o show job "$1" 2> /dev/null | awk '{
    o = ""
    for (i = 1; i <= NF; i++) if ($i ~ /^(JobId|ArrayTaskId|JobState|Reason|ExitCode|NodeList)=/) o = o " " $i
    print " " o }'
}
deadline=$((SECONDS + timeout))
last=""
while :; do
  if (( SECONDS > deadline )); then show_logs; fail "jobs not finished after $timeout s"; fi
  mstate="$(scontrol -o show job "$merge_id" 2> /dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)"
  now="$(squeue -h -o '%i:%t' 2> /dev/null | tr '\n' ' ')"
  if [[ "$now" != "$last" ]]; then log "squeue: ${now:-(empty)}"; last="$now"; fi
  case "$mstate" in
    COMPLETED) break ;;
    PENDING|CONFIGURING|RUNNING|COMPLETING|"") sleep 1 ;;
    *) echo "array job $array_id:"; job_summary "$array_id"
       echo "merge job $merge_id:"; job_summary "$merge_id"
       for f in "$OUT_ROOT"/logs/*.out; do echo "----- $f"; cat "$f"; done
       show_logs
       fail "merge job $merge_id ended $mstate" ;;
  esac
done
slurm_secs=$((SECONDS - t_slurm))

echo "array job $array_id:"; job_summary "$array_id"
echo "merge job $merge_id:"; job_summary "$merge_id"
for ((i = 0; i < shards; i++)); do
  [[ -s "$OUT_ROOT/shard-$i/sweep.csv" ]] || fail "shard-$i/sweep.csv missing"
done
for f in sweep.csv sweep.png manifest.json; do
  [[ -s "$OUT_ROOT/merged/$f" ]] || fail "merged/$f missing"
done

a="$tmp/out/unsharded/sweep.csv"
b="$OUT_ROOT/merged/sweep.csv"
if cmp "$a" "$b"; then
  result=0
  echo "PASS: merged/sweep.csv of $shards Slurm array shards + afterok merge is byte-identical to the unsharded sweep.csv ($(wc -c < "$a") bytes, sha256 $(sha256sum < "$a" | cut -c1-16)); Slurm part ${slurm_secs}s, total $((SECONDS - t0))s"
else
  diff "$a" "$b" | head -n 20
  fail "merged/sweep.csv differs from the unsharded sweep.csv"
fi
