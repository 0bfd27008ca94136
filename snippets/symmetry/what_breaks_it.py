import numpy as np

from labs.circles import make_circles
from nets.mlp import init_params, stack_params, train

DIMS = [2, 10, 5, 1]
rng = np.random.default_rng(5)
X, Y = make_circles(300, noise=0.05, rng=rng)
starts = {
    name: init_params(DIMS, init, rng)
    for name, init in [
        ("every W 0.5, b 0", "zeros"),
        ("every W 0.5, b random", "zeros"),
        ("W[1] 0.5, W[2], W[3] random", "lecun"),
        ("W random, b 0", "lecun"),
        ("W orthogonal, b 0", "orthogonal"),
    ]
}
for W, b in starts["every W 0.5, b 0"] + starts["every W 0.5, b random"]:
    W[...] = 0.5
for W, b in starts["every W 0.5, b random"]:
    b[...] = rng.standard_normal(b.shape)
starts["W[1] 0.5, W[2], W[3] random"][0][0][...] = 0.5
params = stack_params(starts.values())
train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=1.0, steps=300)
W1 = params[0][0]  # (5 starts, 10 units, 2 inputs)
gap = np.abs(W1[:, :, None] - W1[:, None]).max(axis=-1) + np.diag(np.full(10, np.inf))
closest = gap.min(axis=(-2, -1))  # the two most alike units of each start
for name, c in zip(starts, closest):
    print(f"{name:30} closest two rows of W[1] after 300 steps differ by {c:.2g}")
