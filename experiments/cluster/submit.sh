#!/usr/bin/env bash
# Submit a sharded SoftErrorSim sweep to Slurm: a job array of SHARDS shards
# (sweep-array.sbatch), then the merge (sweep-merge.sbatch) with --dependency=afterok:<array>.
#
# Usage: [VAR=value ...] ./submit.sh [extra sbatch options for both jobs ...]
#   e.g. SHARDS=16 OUT_ROOT=/scratch/$USER/gpd-sweep SOFTERRORSIM=/opt/softerrorsim/softerrorsim \
#        SWEEP_ARGS='--schemes gpd,mds --nodes 8:64:8 --error-rate 1e-4:0.3:log10 --trials 100000' \
#        ./submit.sh --partition=short --account=myproj
#
# Environment (exported to both jobs; see the top of each .sbatch file):
#   SOFTERRORSIM  command that runs the CLI, split on blanks [softerrorsim]
#   SWEEP_ARGS    sweep options, without --out/--shard* [the default of sweep-array.sbatch]
#   OUT_ROOT      output folder on shared storage; must not hold an earlier run [$PWD/softerrorsim-sweep]
#   SHARDS        number of shards = array size [3]
#   ARRAY_LIMIT   optional: at most this many shards at once (--array=0-(SHARDS-1)%ARRAY_LIMIT)
#   THREADS       --threads of each shard [SLURM_CPUS_PER_TASK of the shard, else 1]
# sbatch's own variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply too.
#
# Prints both job ids and writes them to $OUT_ROOT/jobs.env (ARRAY_JOB_ID=..., MERGE_JOB_ID=...).
# Exit codes: 0 submitted, 2 bad settings, 1 sbatch failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "submit.sh: $*" >&2; exit 2; }

command -v sbatch > /dev/null || die "sbatch not found (is Slurm installed / SLURM_CONF set?)"

export SOFTERRORSIM="${SOFTERRORSIM:-softerrorsim}"
export SHARDS="${SHARDS:-3}"
OUT_ROOT="${OUT_ROOT:-$PWD/softerrorsim-sweep}"
[[ "$SHARDS" =~ ^[1-9][0-9]*$ ]] || die "SHARDS must be a positive integer (got '$SHARDS')"
if [[ -n "${SWEEP_ARGS:-}" ]]; then export SWEEP_ARGS; fi
if [[ -n "${THREADS:-}" ]]; then export THREADS; fi

mkdir -p "$OUT_ROOT/logs"
OUT_ROOT="$(cd "$OUT_ROOT" && pwd)"   # absolute: the jobs may start in another directory
export OUT_ROOT
if compgen -G "$OUT_ROOT/shard-*" > /dev/null || [[ -e "$OUT_ROOT/merged" ]]; then
  die "$OUT_ROOT already holds shard-*/merged from an earlier run; pick a new OUT_ROOT"
fi

array="0-$((SHARDS - 1))"
if [[ -n "${ARRAY_LIMIT:-}" ]]; then array+="%$ARRAY_LIMIT"; fi

# --parsable prints "jobid" or "jobid;cluster".
array_id="$(sbatch --parsable --export=ALL --array="$array" \
  --output="$OUT_ROOT/logs/shard-%A_%a.out" "$@" "$here/sweep-array.sbatch")"
array_id="${array_id%%;*}"
[[ "$array_id" =~ ^[0-9]+$ ]] || { echo "submit.sh: unexpected sbatch answer '$array_id'" >&2; exit 1; }

merge_id="$(sbatch --parsable --export=ALL --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --output="$OUT_ROOT/logs/merge-%j.out" "$@" "$here/sweep-merge.sbatch")"
merge_id="${merge_id%%;*}"
[[ "$merge_id" =~ ^[0-9]+$ ]] || { echo "submit.sh: unexpected sbatch answer '$merge_id'" >&2; exit 1; }

printf 'ARRAY_JOB_ID=%s\nMERGE_JOB_ID=%s\n' "$array_id" "$merge_id" > "$OUT_ROOT/jobs.env"
echo "array job $array_id: $SHARDS shards (--array=$array) -> $OUT_ROOT/shard-*"
echo "merge job $merge_id: afterok:$array_id -> $OUT_ROOT/merged"
echo "logs: $OUT_ROOT/logs/   ids: $OUT_ROOT/jobs.env"
