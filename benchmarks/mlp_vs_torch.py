"""Training-step time of the site's NumPy MLP (snippets/nets/mlp.py) against the same net in PyTorch.

    python benchmarks/mlp_vs_torch.py [--width 128] [--depth 30] [--batch 256] [--steps 50]

Run it with a Python that has both NumPy and PyTorch (torch is not a site dependency; this
script installs nothing), e.g.

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0 numpy==2.4.6
    /tmp/torchvenv/bin/python benchmarks/mlp_vs_torch.py

The net is the He-2015 lab's: `depth` weight layers, ReLU in every hidden layer, a linear
output unit, MSE loss, full-batch gradient descent. One step = forward + backward + update.
Both sides start from the same weights and run in float64 (the site's dtype); PyTorch float32
is printed too. Thread counts matter a lot on a shared 2-core machine, so each comparison is
run with 1 thread and with the library default; set OPENBLAS_NUM_THREADS before starting to
control NumPy's (it cannot be changed after NumPy has loaded).
Prints figures; asserts nothing (timings are not tests). Target: NumPy / PyTorch <= 2.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "snippets"))

import numpy as np  # noqa: E402

from nets.mlp import init_params, train  # noqa: E402

try:
    import torch
except ImportError:
    print(
        "PyTorch is not installed in this Python. It is not a site dependency; to run this\n"
        "benchmark, make a separate environment:\n"
        "    python3 -m venv /tmp/torchvenv\n"
        "    /tmp/torchvenv/bin/pip install torch==2.13.0 numpy==2.4.6\n"
        "    /tmp/torchvenv/bin/python benchmarks/mlp_vs_torch.py",
        file=sys.stderr,
    )
    sys.exit(2)


def numpy_step_times(params, X, Y, steps, repeats):
    train(params, X, Y, hidden="relu", output="linear", loss="mse", lr=1e-3, steps=3)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        train(params, X, Y, hidden="relu", output="linear", loss="mse", lr=1e-3, steps=steps)
        times.append((time.perf_counter() - start) / steps)
    return times


def torch_step_times(params, X, Y, steps, repeats, dtype):
    layers = []
    for l, (W, b) in enumerate(params, start=1):
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b[:, 0]))
        layers += [lin] if l == len(params) else [lin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=1e-3)
    x = torch.from_numpy(X.T.copy()).to(dtype)  # PyTorch's layout: one example per row
    y = torch.from_numpy(Y.T.copy()).to(dtype)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((net(x) - y) ** 2)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--depth", type=int, default=30)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    dims = [args.width] * args.depth + [1]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.width, args.batch))
    Y = rng.standard_normal((1, args.batch))
    params = init_params(dims, "he", rng)

    flops = 6 * args.batch * sum(a * b for a, b in zip(dims[:-1], dims[1:]))  # fwd 2, bwd 4
    print(f"net: {args.depth} layers of width {args.width}, ReLU, batch {args.batch}; "
          f"{flops / 1e6:.0f} MFLOP per step")
    print(f"numpy {np.__version__}, torch {torch.__version__}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"cores {os.cpu_count()}")

    default_threads = torch.get_num_threads()
    np_times = numpy_step_times([(W.copy(), b.copy()) for W, b in params], X, Y, args.steps,
                                args.repeats)
    np_ms = statistics.median(np_times) * 1e3
    print(f"\nnumpy float64                      {np_ms:8.2f} ms/step "
          f"({flops / np_ms / 1e6:.1f} GFLOP/s)")
    for threads in sorted({1, default_threads}):
        torch.set_num_threads(threads)
        for dtype in (torch.float64, torch.float32):
            t_ms = statistics.median(torch_step_times(params, X, Y, args.steps, args.repeats,
                                                      dtype)) * 1e3
            print(f"torch {str(dtype)[6:]:7} {threads} thread(s)          {t_ms:8.2f} ms/step"
                  f"   numpy / torch = {np_ms / t_ms:.2f}")
    torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
