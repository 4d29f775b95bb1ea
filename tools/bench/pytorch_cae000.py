#!/usr/bin/python3
"""Reference training throughput of paper 000's CAE in PyTorch itself, for `deepclust bench`.

Same model as the cae-bn-000 architecture (572,033 parameters for 1 x 28 x 28 images), by default
with its benchmark's loss (BCE) and optimizer (Adam 1e-3); the options of torch_timing.py set
another loss, optimizer, batch or thread count (`deepclust bench --pytorch` passes its own).

    /usr/bin/python3 tools/bench/pytorch_cae000.py --threads 2 --batch 256 --steps 10 --repeats 3
"""
import argparse

import torch_timing  # first: a clear message when torch is missing
import torch.nn as nn


def cae000(in_channels):
    def cbr(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

    encoder = nn.Sequential(*cbr(in_channels, 32), nn.MaxPool2d(2), *cbr(32, 64), nn.MaxPool2d(2),
                            *cbr(64, 128), *cbr(128, 256))
    decoder = nn.Sequential(nn.ConvTranspose2d(256, 128, 2, stride=2), nn.BatchNorm2d(128), nn.ReLU(),
                            nn.ConvTranspose2d(128, 64, 2, stride=2), nn.BatchNorm2d(64), nn.ReLU(),
                            *cbr(64, 32), nn.Conv2d(32, in_channels, 3, padding=1), nn.Sigmoid())
    return nn.Sequential(encoder, decoder)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    torch_timing.add_common_args(ap, batch=256)
    a = ap.parse_args()
    torch_timing.torch.manual_seed(a.seed)
    model = cae000(torch_timing.input_shape(a)[0])
    torch_timing.run(model, a, "cae-bn-000")


if __name__ == "__main__":
    main()
