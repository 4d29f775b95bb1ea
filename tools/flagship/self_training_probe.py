#!/usr/bin/env python3
"""Probe (PyTorch, not part of deepclust): does self-training on a flagship run's most confident
points beat its UMAP + GMM labels? Trains a classifier from scratch on the top FRACTION of each
cluster (ranked by the log-density of the point's own Gaussian component in the fitted UMAP space;
the GMM posteriors are all ~1 and rank nothing), with the flagship's random affine augmentation,
and scores its predictions on all 70,000 images after each epoch.

    python3 tools/flagship/self_training_probe.py RUN_FOLDER FRACTION EPOCHS cnn|mlp

RUN_FOLDER: a `flagship` run (assignments.csv and the UMAP + GMM method's model/methods/*.npy:
0-flagship before 2026-12-02, 1-umap-gmm since, when the DEC head became the first method); MNIST
is read from DEEPCLUST_DATA/mnist (the run's order: 60,000 training then 10,000 test images).
Results are in docs/RESULTS.md (flagship section).
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from scipy.stats import multivariate_normal
from sklearn.metrics import normalized_mutual_info_score as nmi

torch.set_num_threads(2)
torch.manual_seed(0)
np.random.seed(0)


def idx(p):
    with gzip.open(p) as f:
        b = f.read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)


def acc(y, c):
    m = np.zeros((10, 10))
    np.add.at(m, (c, y), 1)
    r, cc = linear_sum_assignment(-m)
    return m[r, cc].sum() / len(y)


run, frac, epochs, arch = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
d = os.path.join(os.environ["DEEPCLUST_DATA"], "mnist")
X = np.concatenate([idx(d + "/train-images-idx3-ubyte.gz"),
                    idx(d + "/t10k-images-idx3-ubyte.gz")]).astype(np.float32) / 255
A = np.loadtxt(run + "/assignments.csv", delimiter=",", skiprows=1, dtype=int)
newer = os.path.isdir(run + "/model/methods/1-umap-gmm")
# assignments.csv: index, true_label, then one column per method in the recipe's order
y, c = A[:, 1], A[:, 3 if newer else 2]
m = run + ("/model/methods/1-umap-gmm/" if newer else "/model/methods/0-flagship/")
U, mu, cov = np.load(m + "umap_embedding.npy"), np.load(m + "gmm_means.npy"), np.load(m + "gmm_covariances.npy")
print("UMAP + GMM: ACC %.4f NMI %.4f" % (acc(y, c), nmi(y, c)))
density = np.zeros(len(c))
for k in range(10):
    i = c == k
    density[i] = multivariate_normal(mu[k], cov[k]).logpdf(U[i])
sel = []
for k in range(10):
    ids = np.where(c == k)[0]
    sel += list(ids[np.argsort(-density[ids])][:int(len(ids) * frac)])
sel = np.array(sel)
print("selected %d points, their labels' ACC %.4f" % (len(sel), acc(y[sel], c[sel])))
if arch == "cnn":
    net = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(64 * 49, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 500), nn.ReLU(),
                        nn.Linear(500, 2000), nn.ReLU(), nn.Linear(2000, 10))
opt = torch.optim.Adam(net.parameters(), 1e-3)
Xt, ct = torch.from_numpy(X).unsqueeze(1), torch.from_numpy(c)
t = time.time()
for e in range(epochs):
    perm = np.random.permutation(sel)
    for i in range(0, len(perm), 128):
        b = perm[i:i + 128]
        xb = Xt[b]
        th = (torch.rand(len(b)) - .5) * 2 * np.pi / 18          # +-10 degrees
        sx, sy = (torch.rand(len(b)) - .5) * .4, (torch.rand(len(b)) - .5) * .4  # +-10 % shift
        M = torch.stack([torch.stack([th.cos(), -th.sin(), sx], 1),
                         torch.stack([th.sin(), th.cos(), sy], 1)], 1)
        xb = F.grid_sample(xb, F.affine_grid(M, xb.shape, align_corners=False), align_corners=False)
        loss = F.cross_entropy(net(xb), ct[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        pred = torch.cat([net(Xt[i:i + 1000]).argmax(1) for i in range(0, 70000, 1000)]).numpy()
    print("epoch %d: ACC %.4f NMI %.4f (%.0f s)" % (e + 1, acc(y, pred), nmi(y, pred), time.time() - t),
          flush=True)
