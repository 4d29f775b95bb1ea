#!/usr/bin/python3
"""Reference training throughput of a recipe's `type: conv` autoencoder in PyTorch, for
`deepclust bench`.

The model is the recipe's layer list as `config.json` writes it (`--architecture`, JSON with
`input_shape`, `encoder` and `decoder`), each layer the torch.nn module of the same name with
PyTorch's defaults (deepclust's `LayerSpec` says which): conv -> Conv2d, conv_transpose ->
ConvTranspose2d, max_pool -> MaxPool2d, linear -> Linear, flatten -> Flatten, reshape ->
a reshape of each sample, batch_norm -> BatchNorm1d / 2d / 3d, layer_norm -> LayerNorm(sample shape), dropout ->
Dropout, activation -> the activation, l2_normalize -> F.normalize(dim=1). The parameter count is
printed so it can be compared with deepclust's. Weight initialisation does not change the time
of a step and is left at PyTorch's default. `deepclust bench --recipe R --pytorch` passes the
recipe's model, loss and optimizer; by hand, e.g. paper 004's DCAE with its SGD:

    /usr/bin/python3 tools/bench/pytorch_conv.py --architecture "$(cat arch.json)" \
        --batch 100 --optimizer sgd --lr 0.006 --momentum 0.9 --weight-decay 5e-4
"""
import argparse
import json
import sys

import torch_timing  # first: a clear message when torch is missing
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01), "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh, "gelu": nn.GELU, "elu": lambda: nn.ELU(1.0), "none": nn.Identity,
}


class L2Normalize(nn.Module):
    def forward(self, x):
        return F.normalize(x, p=2, dim=1)


class Reshape(nn.Module):
    """Each sample to `shape` (any input of the same size, as deepclust's reshape)."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


def convolved(size, kernel, stride, padding):
    return (size + 2 * padding - kernel) // stride + 1


def layer(spec, shape):
    """The torch.nn module of one layer spec for per-sample input `shape`, and its output shape."""
    t = spec["type"]
    if t in ("conv", "conv_transpose"):
        k, s = pair(spec["kernel"]), pair(spec.get("stride", 1))
        p = pair(spec.get("padding", 0))
        bias = spec.get("bias", True)
        if t == "conv":
            out = (spec["filters"],) + tuple(convolved(shape[i + 1], k[i], s[i], p[i])
                                             for i in range(2))
            return nn.Conv2d(shape[0], spec["filters"], k, s, p, bias=bias), out
        op = pair(spec.get("output_padding", 0))
        out = (spec["filters"],) + tuple((shape[i + 1] - 1) * s[i] - 2 * p[i] + k[i] + op[i]
                                         for i in range(2))
        return nn.ConvTranspose2d(shape[0], spec["filters"], k, s, p, op, bias=bias), out
    if t == "max_pool":
        k = pair(spec["kernel"])
        s = pair(spec.get("stride", spec["kernel"]))
        out = (shape[0],) + tuple(convolved(shape[i + 1], k[i], s[i], 0) for i in range(2))
        return nn.MaxPool2d(k, s), out
    if t == "linear":
        return nn.Linear(shape[0], spec["units"], bias=spec.get("bias", True)), (spec["units"],)
    if t == "flatten":
        n = 1
        for v in shape:
            n *= v
        return nn.Flatten(), (n,)
    if t == "reshape":
        return Reshape(spec["shape"]), tuple(spec["shape"])
    if t == "batch_norm":
        # over axis 1 of the batch whatever the sample's rank, as deepclust's batch_norm
        norm = {1: nn.BatchNorm1d, 2: nn.BatchNorm1d, 3: nn.BatchNorm2d, 4: nn.BatchNorm3d}
        if len(shape) not in norm:
            sys.exit(f"--architecture: batch_norm of a rank-{len(shape)} sample has no torch.nn module")
        return norm[len(shape)](shape[0]), shape
    if t == "layer_norm":
        return nn.LayerNorm(list(shape)), shape
    if t == "dropout":
        return nn.Dropout(spec.get("rate", 0.5)), shape
    if t == "activation":
        return ACTIVATIONS[spec["name"]](), shape
    if t == "l2_normalize":
        return L2Normalize(), shape
    sys.exit(f"--architecture: layer type '{t}' has no PyTorch version in {__file__}")


def half(specs, shape):
    modules = []
    for spec in specs:
        m, shape = layer(spec, shape)
        modules.append(m)
    return nn.Sequential(*modules), shape


def conv_autoencoder(arch):
    shape = tuple(arch.get("input_shape", [1, 28, 28]))
    encoder, embedding = half(arch["encoder"], shape)
    decoder, output = half(arch["decoder"], embedding)
    if output != shape:
        sys.exit(f"--architecture: the decoder gives {output}, not the input shape {shape}")
    return nn.Sequential(encoder, decoder)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    torch_timing.add_common_args(ap, batch=100)
    ap.add_argument("--architecture", required=True,
                    help="the model as config.json's recipe.model (JSON)")
    a = ap.parse_args()
    arch = json.loads(a.architecture)
    a.input_shape = ",".join(str(v) for v in arch.get("input_shape", [1, 28, 28]))
    torch_timing.torch.manual_seed(a.seed)
    model = conv_autoencoder(arch)
    torch_timing.run(model, a, f"conv ({len(arch['encoder'])} + {len(arch['decoder'])} layers)")


if __name__ == "__main__":
    main()
