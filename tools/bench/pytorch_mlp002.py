#!/usr/bin/python3
"""Reference training throughput of paper 002's MLP autoencoder in PyTorch, for `deepclust bench`.

Same model as the mlp-soft-centroids recipe (784 -> 128 ReLU -> 64, 64 -> 128 ReLU -> 784 Sigmoid,
218,192 parameters, on (N, 1, 28, 28) images flattened and reshaped back as the Java model does)
and the same step as `deepclust bench --recipe mlp-soft-centroids`: BCE loss (torch.nn.BCELoss)
and Adam 1e-3 without weight decay, batch 32, on random [0,1] images (throughput does not depend
on pixel values). The recipe itself trains with MSE and Adam weight decay 1e-8: `--recipe-loss`
measures that step instead.

    /usr/bin/python3 tools/bench/pytorch_mlp002.py --threads 2 --batch 32 --steps 200 --repeats 5
"""
import argparse
import torch
import torch.nn as nn

from torch_timing import summary, training_rates


def mlp002():
    encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64))
    decoder = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid(),
                            nn.Unflatten(1, (1, 28, 28)))
    return nn.Sequential(encoder, decoder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--recipe-loss", action="store_true",
                    help="MSE + Adam weight decay 1e-8 (the recipe's) instead of BCE + Adam")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = mlp002()
    print("parameters", sum(p.numel() for p in model.parameters()))
    wd = 1e-8 if a.recipe_loss else 0.0
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=wd)
    loss_fn = nn.MSELoss() if a.recipe_loss else nn.BCELoss()
    x = torch.rand(a.batch, 1, 28, 28)

    rates = training_rates(model, opt, loss_fn, x, a.warmup, a.steps, a.repeats)
    print(f"torch {torch.__version__} threads {a.threads} batch {a.batch} "
          f"{'MSE+Adam(wd 1e-8)' if a.recipe_loss else 'BCE+Adam'}: {summary(rates)}")


if __name__ == "__main__":
    main()
