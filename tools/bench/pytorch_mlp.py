#!/usr/bin/python3
"""Reference training throughput of a fully connected autoencoder in PyTorch, for `deepclust bench`.

The model of a recipe's `type: mlp` without norm or dropout: the encoder flattens (N, C, H, W) and
applies Linear(dims[i], dims[i+1]) layers, the decoder Linear(decoder_dims[i], decoder_dims[i+1])
layers (the mirror by default) and reshapes back; hidden layers end with --activation, the
embedding with --embedding-activation, the output with --output-activation. The defaults are paper
002's 784 -> 128 (ReLU) -> 64, 64 -> 128 (ReLU) -> 784 (Sigmoid), 218,192 parameters, at batch 32
with BCE + Adam 1e-3 (the mlp-soft-centroids recipe trains with MSE and Adam weight decay 1e-8:
`--loss mse --weight-decay 1e-8`). `deepclust bench --recipe ... --pytorch` passes the recipe's
model, loss and optimizer.

    /usr/bin/python3 tools/bench/pytorch_mlp.py --threads 2 --batch 32 --warmup 20 --steps 80

DEC's autoencoder (Xie et al. 2016), 784-500-500-2000-10, linear embedding and output, MSE,
3,330,794 parameters:

    /usr/bin/python3 tools/bench/pytorch_mlp.py --dims 784,500,500,2000,10 --output-activation none \
        --loss mse --batch 256
"""
import argparse

import torch_timing  # first: a clear message when torch is missing
import torch.nn as nn

ACTIVATIONS = {
    "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01), "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh, "gelu": nn.GELU, "elu": lambda: nn.ELU(1.0), "none": None,
}


def layers(sizes, hidden, last):
    out = []
    for i in range(1, len(sizes)):
        out.append(nn.Linear(sizes[i - 1], sizes[i]))
        act = ACTIVATIONS[hidden if i < len(sizes) - 1 else last]
        if act is not None:
            out.append(act())
    return out


def mlp(dims, decoder_dims, activation, embedding_activation, output_activation, shape):
    encoder = nn.Sequential(nn.Flatten(), *layers(dims, activation, embedding_activation))
    decoder = nn.Sequential(*layers(decoder_dims, activation, output_activation),
                            nn.Unflatten(1, shape))
    return nn.Sequential(encoder, decoder)


def sizes(text):
    return [int(v) for v in text.split(",")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    torch_timing.add_common_args(ap, batch=32)
    ap.add_argument("--dims", type=sizes, default=[784, 128, 64],
                    help="encoder sizes, input first, embedding last (comma-separated)")
    ap.add_argument("--decoder-dims", type=sizes, default=None, help="default: dims reversed")
    choices = sorted(ACTIVATIONS)
    ap.add_argument("--activation", choices=choices, default="relu")
    ap.add_argument("--embedding-activation", choices=choices, default="none")
    ap.add_argument("--output-activation", choices=choices, default="sigmoid")
    a = ap.parse_args()
    decoder_dims = a.decoder_dims or a.dims[::-1]
    torch_timing.torch.manual_seed(a.seed)
    model = mlp(a.dims, decoder_dims, a.activation, a.embedding_activation, a.output_activation,
                torch_timing.input_shape(a))
    torch_timing.run(model, a, "mlp " + "-".join(map(str, a.dims)))


if __name__ == "__main__":
    main()
