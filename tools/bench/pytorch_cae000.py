#!/usr/bin/python3
"""Reference training throughput of paper 000's CAE in PyTorch itself, for `deepclust bench`.

Same model, batch size, loss (BCE) and optimizer (Adam 1e-3) as the cae-bn-000 architecture,
on random [0,1] images (throughput does not depend on pixel values).

    /usr/bin/python3 tools/bench/pytorch_cae000.py --threads 2 --batch 256 --steps 10 --repeats 3
"""
import argparse
import torch
import torch.nn as nn

from torch_timing import summary, training_rates


def cae000():
    def cbr(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

    encoder = nn.Sequential(*cbr(1, 32), nn.MaxPool2d(2), *cbr(32, 64), nn.MaxPool2d(2),
                            *cbr(64, 128), *cbr(128, 256))
    decoder = nn.Sequential(nn.ConvTranspose2d(256, 128, 2, stride=2), nn.BatchNorm2d(128), nn.ReLU(),
                            nn.ConvTranspose2d(128, 64, 2, stride=2), nn.BatchNorm2d(64), nn.ReLU(),
                            *cbr(64, 32), nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid())
    return nn.Sequential(encoder, decoder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = cae000()
    print("parameters", sum(p.numel() for p in model.parameters()))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    x = torch.rand(a.batch, 1, 28, 28)

    rates = training_rates(model, opt, loss_fn, x, a.warmup, a.steps, a.repeats)
    print(f"torch {torch.__version__} threads {a.threads} batch {a.batch}: {summary(rates)}")


if __name__ == "__main__":
    main()
