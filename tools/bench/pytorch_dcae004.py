#!/usr/bin/python3
"""Reference training throughput of paper 004's DCAE in PyTorch, with per-layer times.

`deepclust bench --recipe tools/bench/dcae004.yaml --pytorch` times the same network through
pytorch_conv.py; this script adds `--layers` (forward / backward ms of each convolution).

Same network as tools/bench/dcae004.yaml (301,399 parameters; sigmoid throughout): conv 9x9x8
(28 -> 20), conv 9x9x4 (20 -> 12), FC 250, FC 10; decoder FC 250, conv-transpose 12x12x4
(1 -> 12), conv-transpose 17x17x4 (12 -> 28), 1x1 conv-transpose to one map. Batch 100, the
paper's SGD (lr 0.006, momentum 0.9, weight decay 5e-4), BCE loss on random [0,1] images
(throughput does not depend on pixel values). The paper's lambda * k-means term is left out: it
is a (100, 10) distance to fixed centres, negligible next to the convolutions. `--adam` measures
the step `deepclust bench` runs today instead (BCE + Adam lr 1e-3, no weight decay).

    /usr/bin/python3 tools/bench/pytorch_dcae004.py --threads 2 --steps 20 --repeats 3
    /usr/bin/python3 tools/bench/pytorch_dcae004.py --layers   # forward/backward ms per layer
"""
import argparse
import time

import torch
import torch.nn as nn

import statistics

from torch_timing import training_rates


def dcae004():
    s = nn.Sigmoid
    encoder = nn.Sequential(nn.Conv2d(1, 8, 9), s(), nn.Conv2d(8, 4, 9), s(), nn.Flatten(),
                            nn.Linear(4 * 12 * 12, 250), s(), nn.Linear(250, 10), s())
    decoder = nn.Sequential(nn.Linear(10, 250), s(), nn.Unflatten(1, (250, 1, 1)),
                            nn.ConvTranspose2d(250, 4, 12), s(), nn.ConvTranspose2d(4, 4, 17), s(),
                            nn.ConvTranspose2d(4, 1, 1), s())
    model = nn.Sequential(encoder, decoder)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def layer_times(model, x, reps):
    """Forward and backward ms of each conv / conv-transpose layer alone, on its real input."""
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    inputs = {}
    hooks = [m.register_forward_hook(lambda m, i, o: inputs.__setitem__(m, i[0].detach()))
             for m in layers]
    model(x)
    for h in hooks:
        h.remove()
    for m in layers:
        xi = inputs[m].clone().requires_grad_(True)
        for _ in range(3):
            m(xi).sum().backward()
        fwd = bwd = 0.0
        for _ in range(reps):
            t0 = time.perf_counter()
            y = m(xi)
            t1 = time.perf_counter()
            y.backward(torch.ones_like(y))
            t2 = time.perf_counter()
            fwd += t1 - t0
            bwd += t2 - t1
        print(f"{m}: in {tuple(xi.shape)} forward {1e3 * fwd / reps:.2f} ms"
              f" backward {1e3 * bwd / reps:.2f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--adam", action="store_true",
                    help="BCE + Adam lr 1e-3 (deepclust bench's step) instead of the paper's SGD")
    ap.add_argument("--layers", action="store_true", help="also time each conv layer alone")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = dcae004()
    print("parameters", sum(p.numel() for p in model.parameters()))
    if a.adam:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.006, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.BCELoss()
    x = torch.rand(a.batch, 1, 28, 28)
    pool = torch.rand(max(a.warmup, a.steps) * a.batch, 1, 28, 28)

    rates, _ = training_rates(model, opt, loss_fn, pool, a.batch, a.warmup, a.steps, a.repeats)
    step = "BCE+Adam(1e-3)" if a.adam else "BCE+SGD(0.006, m 0.9, wd 5e-4)"
    print(f"torch {torch.__version__} threads {a.threads} batch {a.batch} {step}: median"
          f" {statistics.median(rates):.1f} images/s (runs: {', '.join(f'{r:.1f}' for r in rates)})")
    if a.layers:
        layer_times(model, x, 10)


if __name__ == "__main__":
    main()
