"""Shared parts of the PyTorch reference benchmarks (`deepclust bench --pytorch` runs them):
the command-line options every script takes, the loss and optimizer they name, and the timing
loop, which does what deepclust's training loop does per step: take the next shuffled batch of a
pool of images, forward, loss, backward, optimizer step.

Timing: `warmup` untimed steps, then `repeats` timed runs; each run is one epoch of `steps`
batches over the first `steps * batch` images of the pool, in a fresh random order (drawn before
the clock starts, as deepclust draws an epoch's batch order before its steps). Images/s of a run =
steps * batch / seconds; the median is reported.
"""
import statistics
import sys
import time

try:
    import torch
except ImportError as e:  # a clear message instead of a traceback
    sys.exit(f"PyTorch is not importable by {sys.executable} ({e}); install it with: "
             "apt-get update && apt-get install -y python3-torch (or run with a python that has torch)")

# What the scripts print last, parsed by `deepclust bench --pytorch`.
RESULT_PREFIX = "deepclust-bench:"


def add_common_args(ap, batch, loss="bce"):
    """Threads, batch, steps, loss and optimizer options (torch.optim defaults)."""
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--batch", type=int, default=batch)
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    ap.add_argument("--steps", type=int, default=10, help="steps per timed run")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--loss", choices=["bce", "mse"], default=loss,
                    help="torch.nn.BCELoss or MSELoss against the input")
    ap.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    ap.add_argument("--lr", type=float, default=None, help="default: adam 1e-3, sgd 0.01")
    ap.add_argument("--beta1", type=float, default=0.9)
    ap.add_argument("--beta2", type=float, default=0.999)
    ap.add_argument("--eps", type=float, default=1e-8)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--dampening", type=float, default=0.0)
    ap.add_argument("--nesterov", action="store_true")
    ap.add_argument("--weight-decay", type=float, default=0.0, help="L2 added to the gradient")
    ap.add_argument("--input-shape", default="1,28,28", help="C,H,W of the images")


def input_shape(a):
    return tuple(int(v) for v in a.input_shape.split(","))


def make_optimizer(a, params):
    if a.optimizer == "adam":
        return torch.optim.Adam(params, lr=1e-3 if a.lr is None else a.lr,
                                betas=(a.beta1, a.beta2), eps=a.eps, weight_decay=a.weight_decay)
    return torch.optim.SGD(params, lr=0.01 if a.lr is None else a.lr, momentum=a.momentum,
                           dampening=a.dampening, nesterov=a.nesterov,
                           weight_decay=a.weight_decay)


def make_loss(a):
    return torch.nn.BCELoss() if a.loss == "bce" else torch.nn.MSELoss()


def training_rates(model, opt, loss_fn, pool, batch, warmup, steps, repeats):
    """Images/s of each timed run of `steps` steps reconstructing shuffled batches of `pool`."""

    def epoch(count):
        order = torch.randperm(count * batch)
        return [order[i * batch:(i + 1) * batch] for i in range(count)]

    def step(rows):
        x = pool[rows]
        opt.zero_grad()
        loss = loss_fn(model(x), x)
        loss.backward()
        opt.step()
        return loss

    model.train()
    for rows in epoch(warmup):
        step(rows)
    rates = []
    loss = float("nan")
    for _ in range(repeats):
        batches = epoch(steps)
        t0 = time.perf_counter()
        for rows in batches:
            loss = step(rows)
        rates.append(steps * batch / (time.perf_counter() - t0))
    return rates, float(loss)


def peak_rss_bytes():
    """VmHWM of /proc/self/status (as deepclust reports), -1 where unknown. Not getrusage's
    ru_maxrss: Linux carries it over exec, so a child of the JVM would report the JVM's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # the kernel reports kB
    except OSError:
        pass
    return -1


def run(model, a, description):
    """Times `model` with the options `a` and prints the human summary and the result line."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    parameters = sum(p.numel() for p in model.parameters())
    opt = make_optimizer(a, model.parameters())
    pool = torch.rand(max(a.warmup, a.steps) * a.batch, *input_shape(a))
    rates, loss = training_rates(model, opt, make_loss(a), pool, a.batch, a.warmup, a.steps,
                                 a.repeats)
    peak = peak_rss_bytes()
    rss = f"{peak / 2**20:.1f} MiB" if peak >= 0 else "unknown"
    median = statistics.median(rates)
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} batch {a.batch} "
          f"{description} {a.loss.upper()} + {a.optimizer}: median {median:.1f} images/s "
          f"(runs: {', '.join(f'{r:.1f}' for r in rates)}), {parameters:,} parameters, "
          f"peak RSS {rss}")
    print(f"{RESULT_PREFIX} median_images_per_second={median:.3f} "
          f"runs={','.join(f'{r:.3f}' for r in rates)} parameters={parameters} "
          f"peak_rss_bytes={peak} final_loss={loss:.6g} torch={torch.__version__} "
          f"threads={torch.get_num_threads()}")
