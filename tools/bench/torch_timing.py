"""Shared timing loop of the PyTorch reference benchmarks: warm-up steps, then the throughput of
`repeats` timed runs of `steps` training steps each (images/s), as `deepclust bench` measures."""
import statistics
import time


def training_rates(model, opt, loss_fn, x, warmup, steps, repeats):
    """Images/s of each timed run of `steps` Adam steps reconstructing the fixed batch `x`."""

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), x)
        loss.backward()
        opt.step()

    model.train()
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps * x.shape[0] / (time.perf_counter() - t0))
    return rates


def summary(rates):
    """`median M images/s (runs: a, b, c)`."""
    return (f"median {statistics.median(rates):.1f} images/s "
            f"(runs: {', '.join(f'{r:.1f}' for r in rates)})")
