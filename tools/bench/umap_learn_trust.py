#!/usr/bin/python3
"""Trustworthiness of umap-learn's and scikit-learn's t-SNE 2-D maps on the points `UmapBench
trustlocal` uses, so that deepclust's UMAP can be set beside the reference implementation.

Input, as UmapBench's: all 70,000 MNIST images (train then test, pixels / 255), PCA to 10
dimensions fitted on all of them, then the first 10,000 rows. Trustworthiness is scikit-learn's
(`sklearn.manifold.trustworthiness`, k = 5), measured in that 10-d space.

Needs Debian's umap-learn and python3-sklearn (apt-get install umap-learn python3-sklearn); run
with the system Python:

    /usr/bin/python3 tools/bench/umap_learn_trust.py DATA_DIR [SPEC ...]

DATA_DIR holds mnist/{train,t10k}-images-idx3-ubyte.gz. Each SPEC is
n_neighbors,min_dist,n_epochs,negative_sample_rate (UmapBench's first four fields); without one,
umap-learn's defaults and the best deepclust setting (5,0,1000,40) run. t-SNE (perplexity 30,
scikit-learn's defaults) runs once unless SKIP_TSNE=1. Times include numba's compilation on the
first UMAP fit; each setting is fitted with random_state 0 and 1 (umap-learn then runs on one
thread, deterministically), and both are printed.
"""
import gzip
import os
import sys
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness


def idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows * cols)


def main():
    data_dir = sys.argv[1]
    specs = sys.argv[2:] or ["15,0.1,500,5", "5,0,1000,40"]
    pixels = np.concatenate(
        [
            idx_images(os.path.join(data_dir, "mnist", "train-images-idx3-ubyte.gz")),
            idx_images(os.path.join(data_dir, "mnist", "t10k-images-idx3-ubyte.gz")),
        ]
    ).astype(np.float32) / 255.0
    x = PCA(n_components=10, svd_solver="full").fit_transform(pixels)[:10_000]
    print(f"input {x.shape} (PCA-10 of 70,000 MNIST images, first 10,000 rows)", flush=True)
    if os.environ.get("SKIP_TSNE") != "1":
        t = time.time()
        y = TSNE(n_components=2, perplexity=30.0, random_state=0, init="pca").fit_transform(x)
        print(
            f"sklearn t-SNE perplexity 30: {time.time() - t:.1f} s, "
            f"trustworthiness(5) {trustworthiness(x, y, n_neighbors=5):.4f}",
            flush=True,
        )
    import umap

    for spec in specs:
        k, min_dist, epochs, nsr = spec.split(",")
        for seed in range(2):
            t = time.time()
            y = umap.UMAP(
                n_neighbors=int(k),
                min_dist=float(min_dist),
                n_epochs=int(epochs),
                negative_sample_rate=int(nsr),
                random_state=seed,
            ).fit_transform(x)
            seconds = time.time() - t
            print(
                f"umap-learn {umap.__version__} n_neighbors {k} min_dist {min_dist} "
                f"n_epochs {epochs} negative_sample_rate {nsr} random_state {seed}: "
                f"{seconds:.1f} s{' (with numba compilation)' if seed == 0 else ''}, "
                f"trustworthiness(5) {trustworthiness(x, y, n_neighbors=5):.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
