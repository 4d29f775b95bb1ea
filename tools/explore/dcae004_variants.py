"""Variants of paper 004's DCAE on all 70,000 MNIST images, in PyTorch, to choose what
dcae-embedded-plus shipped on 2026-11-30 (issue 9). It is an exploration tool, not a reference: deepclust's own
runs of the chosen recipe are what docs/RESULTS.md reports as deepclust's numbers.

Each process trains one variant and appends one JSON line per epoch to a shared log: variant,
phase, epoch, loss, seconds, and ACC/NMI (k-means with 3 restarts on the embedding every 5
warm-up epochs; in the joint phase, the phase's own assignment). It stops itself after
--seconds; --warmup_seconds ends the warm-up early. Variants (flags): hidden activation
(--act sigmoid|relu), embedding activation (--emb sigmoid|linear), warm-up optimizer (--opt
sgd = the paper's SGD lr 0.006 m 0.9 wd 5e-4 | adam = lr 1e-3), joint phase (--joint kmeans =
the paper's lambda/2 * squared distance to the nearest centre, centres refit each epoch, an
empty centre restarting on the worst-fitted image | idec = gamma * KL(P||Q) + mean BCE, a
fresh Adam, P on all images every 140 steps | dec = KL only | none).

tools/explore/dcae004_variants.jsonl is the log of the 10 variants run side by side on one
NVIDIA H200 (PyTorch 2.11, cuDNN benchmark on, data on the GPU, 430 s each), from the repo root:

    run() { OMP_NUM_THREADS=1 python3 tools/explore/dcae004_variants.py --data DIR \
              --seconds 430 --warmup_seconds 200 --log sweep.log "$@" & }
    run --name faithful --warmup 0 --init random --epochs 500
    run --name sig-adam-idec --opt adam --warmup 40 --joint idec --epochs 500
    run --name relu-adam-kmeans --act relu --emb linear --opt adam --warmup 40 --joint kmeans --epochs 500
    run --name relu-adam-idec --act relu --emb linear --opt adam --warmup 40 --joint idec --epochs 500
    run --name relu-adam-dec --act relu --emb linear --opt adam --warmup 40 --joint dec --epochs 500
    run --name relu-sgd-kmeans --act relu --emb linear --opt sgd --warmup 40 --joint kmeans --epochs 500
    run --name relu-adam-kmeans-lam2 --act relu --emb linear --opt adam --warmup 40 --joint kmeans --lam 2 --epochs 500
    run --name relu-adam-idec-s1 --act relu --emb linear --opt adam --warmup 40 --joint idec --epochs 500 --seed 1
    run --name relu-adam-only --act relu --emb linear --opt adam --warmup 1000 --joint none --epochs 1000
    run --name sig-adam-only --opt adam --warmup 1000 --joint none --epochs 1000
    wait

tools/explore/dcae004_variants_2.jsonl is the second call's log: three variants side by side,
170 s each, with the warm-up ended by epochs (no --warmup_seconds):

    run() { OMP_NUM_THREADS=1 python3 tools/explore/dcae004_variants.py --data DIR \
              --seconds 170 --log sweep2.log "$@" & }
    run --name relu-adam-idec-long --act relu --emb linear --opt adam --warmup 25 --joint idec --epochs 500
    run --name relu-adam-idec-g1 --act relu --emb linear --opt adam --warmup 25 --joint idec --gamma 1 --epochs 500
    run --name relu-adam-idec-w50 --act relu --emb linear --opt adam --warmup 50 --joint idec --epochs 500
    wait

DIR holds MNIST's four gzip'ed IDX files. On a CPU the same command runs (slowly); --n N takes
the first N of the 70,000 images for a smoke test.
"""
import argparse, gzip, json, os, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def acc(y, p):
    k = max(y.max(), p.max()) + 1
    w = np.zeros((k, k), np.int64)
    np.add.at(w, (p, y), 1)
    r, c = linear_sum_assignment(-w)
    return w[r, c].sum() / len(y)


def model(act, emb_act):
    a = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}[act]
    emb = [nn.Sigmoid()] if emb_act == "sigmoid" else []
    enc = nn.Sequential(nn.Conv2d(1, 8, 9), a(), nn.Conv2d(8, 4, 9), a(), nn.Flatten(),
                        nn.Linear(576, 250), a(), nn.Linear(250, 10), *emb)
    dec = nn.Sequential(nn.Linear(10, 250), a(), nn.Unflatten(1, (250, 1, 1)),
                        nn.ConvTranspose2d(250, 4, 12), a(), nn.ConvTranspose2d(4, 4, 17), a(),
                        nn.ConvTranspose2d(4, 1, 1), nn.Sigmoid())
    for m in list(enc.modules()) + list(dec.modules()):
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return enc, dec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--act", default="sigmoid")
    ap.add_argument("--emb", default="sigmoid")
    ap.add_argument("--opt", default="sgd")          # warm-up optimizer
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--warmup", type=int, default=25)
    ap.add_argument("--joint", default="kmeans")     # kmeans | idec | dec | none
    ap.add_argument("--jopt", default=None)          # joint optimizer (default: carry on)
    ap.add_argument("--lam", type=float, default=0.2)
    ap.add_argument("--gamma", type=float, default=0.1)
    ap.add_argument("--init", default="kmeans")      # kmeans | random
    ap.add_argument("--epochs", type=int, default=100)  # total
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seconds", type=float, default=400)
    ap.add_argument("--warmup_seconds", type=float, default=1e9)
    ap.add_argument("--log", required=True)
    ap.add_argument("--n", type=int, default=70000)
    ap.add_argument("--data", required=True, help="folder with MNIST's four .gz IDX files")
    a = ap.parse_args()
    t_start = time.time()
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.backends.cudnn.benchmark = True
    xs = np.concatenate([idx(f"{a.data}/train-images-idx3-ubyte.gz"),
                         idx(f"{a.data}/t10k-images-idx3-ubyte.gz")])[: a.n]
    ys = np.concatenate([idx(f"{a.data}/train-labels-idx1-ubyte.gz"),
                         idx(f"{a.data}/t10k-labels-idx1-ubyte.gz")])[: a.n].astype(np.int64)
    x = torch.tensor(xs, dtype=torch.float32, device=dev).div_(255).unsqueeze(1)
    n = x.shape[0]
    enc, dec = model(a.act, a.emb)
    enc.to(dev), dec.to(dev)
    params = list(enc.parameters()) + list(dec.parameters())

    def make_opt(kind, lr):
        if kind == "sgd":
            return torch.optim.SGD(params, lr=lr or 0.006, momentum=0.9, weight_decay=5e-4)
        return torch.optim.Adam(params, lr=lr or 1e-3)

    opt = make_opt(a.opt, a.lr)
    logf = open(a.log, "a")

    def log(**kv):
        kv = {"v": a.name, "t": round(time.time() - t_start, 1), **kv}
        logf.write(json.dumps(kv) + "\n")
        logf.flush()

    log(args=vars(a))

    @torch.no_grad()
    def embed():
        enc.eval()
        h = torch.cat([enc(x[i:i + 5000]) for i in range(0, n, 5000)])
        enc.train()
        return h

    def metrics(p):
        return round(acc(ys, p), 4), round(normalized_mutual_info_score(ys, p), 4)

    centres = None
    mu = None          # DEC head
    p_target = None
    step = 0
    phase = "warmup" if a.warmup > 0 else "joint"
    if a.warmup == 0:
        h = embed()
        if a.init == "random":
            centres = h[torch.randperm(n, device=dev)[:10]].clone()
        else:
            km = KMeans(10, n_init=10, random_state=a.seed).fit(h.cpu().numpy())
            centres = torch.tensor(km.cluster_centers_, dtype=torch.float32, device=dev)
    for epoch in range(1, a.epochs + 1):
        if time.time() - t_start > a.seconds:
            log(stopped="time", epoch=epoch - 1)
            break
        if phase == "warmup" and (epoch == a.warmup + 1 or time.time() - t_start > a.warmup_seconds):
            phase = "joint"
            h = embed()
            km = KMeans(10, n_init=10, random_state=a.seed).fit(h.cpu().numpy())
            log(phase="warmup_end", epoch=epoch - 1, kmeans=metrics(km.labels_))
            if a.joint == "none":
                break
            if a.init == "random":
                centres = h[torch.randperm(n, device=dev)[:10]].clone()
            else:
                centres = torch.tensor(km.cluster_centers_, dtype=torch.float32, device=dev)
            if a.joint in ("idec", "dec"):
                mu = nn.Parameter(centres.clone())
                params.append(mu)
                opt = make_opt(a.jopt or a.opt, None)
            elif a.jopt:
                opt = make_opt(a.jopt, None)
        t0 = time.time()
        perm = torch.randperm(n, device=dev)
        tot = 0.0
        tots = torch.zeros((), device=dev)
        for b in range(0, n, a.batch):
            ib = perm[b:b + a.batch]
            xb = x[ib]
            if phase == "joint" and a.joint in ("idec", "dec") and (step % 140 == 0 or p_target is None):
                with torch.no_grad():
                    hh = embed()
                    q = 1.0 / (1.0 + torch.cdist(hh, mu) ** 2)
                    q = q / q.sum(1, keepdim=True)
                    w = q ** 2 / q.sum(0)
                    p_target = w / w.sum(1, keepdim=True)
            h = enc(xb)
            if phase == "joint" and a.joint in ("idec", "dec"):
                q = 1.0 / (1.0 + torch.cdist(h, mu) ** 2)
                q = q / q.sum(1, keepdim=True)
                kl = F.kl_div(q.log(), p_target[ib], reduction="batchmean")
                loss = a.gamma * kl
                if a.joint == "idec":
                    loss = loss + F.binary_cross_entropy(dec(h), xb)
            else:
                r = dec(h)
                loss = F.binary_cross_entropy(r, xb, reduction="sum") / xb.shape[0]
                if phase == "joint" and a.lam > 0:
                    d = ((h.unsqueeze(1) - centres.unsqueeze(0)) ** 2).sum(2)
                    # nearest centre from the previous epoch's centres, as the paper
                    loss = loss + a.lam * 0.5 * d.min(1).values.mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tots += loss.detach()
            step += 1
        tot = tots.item() / (n // a.batch)
        hh = embed()
        if phase == "joint" and a.joint in ("idec", "dec"):
            pred = torch.cdist(hh, mu.detach()).argmin(1)
        elif phase == "joint":
            pred = torch.cdist(hh, centres).argmin(1)
            for c in range(10):   # mean of members; an empty centre restarts on the worst point
                m = pred == c
                if m.any():
                    centres[c] = hh[m].mean(0)
                else:
                    far = ((hh - centres[pred]) ** 2).sum(1).argmax()
                    centres[c] = hh[far]
        else:
            pred = None
        rec = {"phase": phase, "epoch": epoch, "loss": round(tot, 4),
               "sec": round(time.time() - t0, 2)}
        if pred is not None:
            rec["m"] = metrics(pred.cpu().numpy())
        elif epoch % 5 == 0:
            km = KMeans(10, n_init=3, random_state=a.seed).fit(hh.cpu().numpy())
            rec["km"] = metrics(km.labels_)
        log(**rec)
    hh = embed().cpu().numpy()
    km = KMeans(10, n_init=10, random_state=a.seed).fit(hh)
    log(final_kmeans=metrics(km.labels_), epochs_done=epoch)


if __name__ == "__main__":
    main()
