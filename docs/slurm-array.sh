#!/bin/bash
# Render an archive on a Slurm cluster: one array task per slice, then the feed.
#
#   sbatch docs/slurm-array.sh /shared/articles /shared/public /shared/show.toml
#
# Slurm sets SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT in every
# task; articast reads them and keeps the articles whose identity hashes to this task's
# slice. Use a contiguous range (--array=0-15 or 1-16, not 0-30:2): the slice is the task
# id less the range's first id. Every task writes its own manifest part, episodes and
# clips are renamed into place, so the shared file system is safe with many writers, and
# a task that is requeued or killed resumes where it stopped.
#
#SBATCH --job-name=articast
#SBATCH --array=0-15
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=articast-%A_%a.log
#SBATCH --requeue

set -euo pipefail

articles=${1:?usage: sbatch slurm-array.sh ARTICLES OUT SHOW}
out=${2:?usage: sbatch slurm-array.sh ARTICLES OUT SHOW}
show=${3:?usage: sbatch slurm-array.sh ARTICLES OUT SHOW}

# The clip cache on the shared file system: a rerun next week re-synthesizes only what
# changed, whichever task gets which article.
export ARTICAST_CACHE_DIR=${ARTICAST_CACHE_DIR:-$(dirname "$out")/articast-cache}

# Not a terminal: the log gets a line per article and the summary, no progress bar.
status=0
articast batch "$articles" --out "$out" --show "$show" --no-feed -j "${SLURM_CPUS_PER_TASK:-2}" || status=$?

# The feed, once: a dependent job after the whole array (afterany, so that articles that
# failed in one task do not keep the others' episodes out of the feed).
if [ "${SLURM_ARRAY_TASK_ID}" = "${SLURM_ARRAY_TASK_MIN}" ]; then
    sbatch --dependency="afterany:${SLURM_ARRAY_JOB_ID}" --job-name=articast-feed \
        --output=articast-feed-%j.log \
        --wrap="articast feed '$out' --show '$show'"
fi

# Exit 1 when an article failed (its reason is in the log and the manifest part).
exit "$status"
