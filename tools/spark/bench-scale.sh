#!/usr/bin/env bash
# Scale benchmark of the Spark jobs (docs/SPARK.md), not a test:
#   tools/spark/bench-scale.sh RUN [N] [WORK]
# RUN: a run folder with a model bundle (RUN/model); N: images (default 1,000,000); WORK: a new
# folder for the data (default /tmp/deepclust-spark-bench-N). Generates N images (MNIST under
# seeded small random affine maps, Parquet shards), runs embed + predict + evaluate on local[2],
# then the single-process `deepclust predict` of the same run over MNIST's 60,000 training images
# on the same cores, and prints images/s, their ratio, peak memory and the time split.
# Needs DEEPCLUST_DATA (or the user cache) with MNIST. Prefix with `nice -n 19` on shared cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:?usage: tools/spark/bench-scale.sh RUN [N] [WORK]}"
n="${2:-1000000}"
work="${3:-/tmp/deepclust-spark-bench-$n}"
master="${DEEPCLUST_BENCH_MASTER:-local[2]}"
cores="${DEEPCLUST_BENCH_CORES:-2}"
shards=$(( n / 62500 > 4 ? n / 62500 : 4 ))
[ -e "$work" ] && { echo "bench-scale: $work exists; give a new WORK folder or remove it" >&2; exit 2; }
mkdir -p "$work"
spark="$here/tools/spark/deepclust-spark"
# driver and executors share one JVM on local[N]: its peak RSS is both
export DEEPCLUST_SPARK_JAVA_OPTS="${DEEPCLUST_SPARK_JAVA_OPTS:--Xmx4g}"

step() { # name, then the command; records wall seconds and peak RSS
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$name $(echo "$t1 - $t0" | bc) $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$work/$name.time")" >> "$work/steps.txt"
  tail -3 "$work/$name.log"
}

"$spark" --help > /dev/null   # builds the module first, outside the timings
step generate "$spark" generate --master "$master" --n "$n" --shards "$shards" --out "$work/images.parquet"
step embed "$spark" embed --master "$master" --bundle "$run" --input "parquet:$work/images.parquet" --out "$work/emb.parquet"
step predict "$spark" predict --master "$master" --bundle "$run" --embeddings "$work/emb.parquet" --out "$work/pred.parquet"
step evaluate "$spark" evaluate --master "$master" --predictions "$work/pred.parquet" \
  --embeddings "$work/emb.parquet" --bundle "$run" --sample 5000 --out "$work/metrics.json"
DEEPCLUST_THREADS="$cores" step single "$here/deepclust" predict "$run" --dataset mnist --split train --out "$work/single"

awk -v n="$n" -v cores="$cores" '
  { t[$1] = $2; rss[$1] = $3 }
  END {
    spark = t["embed"] + t["predict"] + t["evaluate"]
    single = 60000 / t["single"]
    printf "images: %d on %d cores\n", n, cores
    printf "spark embed+predict+evaluate: %.1f s, %.1f images/s (%.1f per core)\n", spark, n / spark, n / spark / cores
    printf "single-process deepclust predict (60,000 images, %d threads): %.1f s, %.1f images/s\n", cores, t["single"], single
    printf "ratio spark / single: %.2f\n", (n / spark) / single
    printf "time split: embed %.1f s (%.0f %%), predict %.1f s (%.0f %%), evaluate %.1f s (%.0f %%); generate %.1f s (not counted)\n", t["embed"], 100 * t["embed"] / spark, t["predict"], 100 * t["predict"] / spark, t["evaluate"], 100 * t["evaluate"] / spark, t["generate"]
    printf "peak RSS of the local[2] JVM (driver + executors): embed %.0f MB, predict %.0f MB, evaluate %.0f MB; single predict %.0f MB\n", rss["embed"] / 1024, rss["predict"] / 1024, rss["evaluate"] / 1024, rss["single"] / 1024
    printf "cluster estimate: %.0f images/s per core -> 1e9 images on 100 executors x 8 cores: %.1f h\n", n / spark / cores, 1e9 / (n / spark / cores * 800) / 3600
  }' "$work/steps.txt" | tee "$work/summary.txt"
cat "$work/metrics.json"
