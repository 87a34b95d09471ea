#!/usr/bin/env python3
"""The PyTorch side of `bench/run peers` (PeersBenchmark starts it once and drives it over stdin/stdout).

Builds the network PeersBenchmark describes on the command line, layer by layer as our ModelSpec lists it:
  conv:FILTERS:SIZE:STRIDE:PADDING:BN:ACTIVATION  (BN 1: no bias, BatchNorm2d, then the activation; leaky = slope 0.1)
  max:SIZE:STRIDE:PAD_BEFORE:PAD_AFTER            (padding with -inf, as Darknet: padded cells never win)
  region                                          (nothing to compute in the forward pass the loss is taken on)
Trains with Adam (lr, beta1 = momentum, L2 weight decay as DL4J's l2: added to the gradient) on an MSE loss against a
fixed random target of the output's shape: a stand-in for the region loss, whose cost in our DL4J path is measured
separately (it is a few thousand predictions per batch, small next to the convolutions).

Protocol: prints one JSON line {"ready": ...} once built; then for each line "round WARMUP ITERATIONS" on stdin runs
that many forward passes (eval mode, no autograd) and training steps (train mode), each kind warm-up first, and prints
{"forward": [ms/image...], "training": [ms/image...]} for the timed ones. "quit" ends it.
"""
import argparse
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class DarknetMaxPool(nn.Module):
    def __init__(self, size, stride, before, after):
        super().__init__()
        self.size, self.stride, self.before, self.after = size, stride, before, after

    def forward(self, x):
        if self.before or self.after:
            x = F.pad(x, (self.before, self.after, self.before, self.after), value=float("-inf"))
        return F.max_pool2d(x, self.size, self.stride)


def activation(name):
    if name == "leaky":
        return nn.LeakyReLU(0.1)
    if name == "relu":
        return nn.ReLU()
    if name == "logistic":
        return nn.Sigmoid()
    if name == "linear":
        return None
    raise ValueError("unknown activation " + name)


def build(layers, channels):
    modules = []
    for layer in layers.split(","):
        parts = layer.split(":")
        if parts[0] == "conv":
            filters, size, stride, padding, bn = (int(value) for value in parts[1:6])
            modules.append(nn.Conv2d(channels, filters, size, stride, padding, bias=not bn))
            if bn:
                modules.append(nn.BatchNorm2d(filters, eps=1e-5, momentum=0.1))
            act = activation(parts[6])
            if act is not None:
                modules.append(act)
            channels = filters
        elif parts[0] == "max":
            size, stride, before, after = (int(value) for value in parts[1:5])
            modules.append(DarknetMaxPool(size, stride, before, after))
        elif parts[0] == "region":
            pass
        else:
            raise ValueError("unknown layer " + layer)
    return nn.Sequential(*modules)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", required=True)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--size", type=int, default=416)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    model = build(arguments.layers, arguments.channels)
    optimizer = torch.optim.Adam(model.parameters(), lr=arguments.learning_rate, betas=(arguments.momentum, 0.999),
                                 eps=1e-8, weight_decay=arguments.weight_decay)
    images = torch.rand(arguments.batch, arguments.channels, arguments.size, arguments.size)
    with torch.no_grad():
        target = torch.randn_like(model.eval()(images)) * 0.1

    def forward():
        model.eval()
        with torch.inference_mode():
            model(images)

    def training_step():
        model.train()
        optimizer.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(images), target)
        loss.backward()
        optimizer.step()

    def timed(step, warmup, iterations):
        for _ in range(warmup):
            step()
        values = []
        for _ in range(iterations):
            start = time.perf_counter()
            step()
            values.append((time.perf_counter() - start) * 1000 / arguments.batch)
        return values

    parameters = sum(parameter.numel() for parameter in model.parameters())
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": parameters,
                      "onednn": torch.backends.mkldnn.is_available(), "config": torch.__config__.parallel_info().splitlines()[:3]}),
          flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        warmup, iterations = int(words[1]), int(words[2])
        result = {"forward": timed(forward, warmup, iterations), "training": timed(training_step, warmup, iterations)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
