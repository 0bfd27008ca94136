import numpy as np

from nets.mlp import forward, init_params, train

rng = np.random.default_rng(0)
X, Y = rng.standard_normal((4, 64)), rng.standard_normal((1, 64))
params = init_params([4, 8, 1], "he", rng)
params[0][1][0] = -10.0  # unit 1 of layer 1: bias -10, so z < 0 on every example
_, caches = forward(params, X, hidden="relu")
largest_z = caches[0][1][0].max()  # the dead unit's largest pre-activation
before = [W.copy() for W, _ in params]

history = train(params, X, Y, hidden="relu", loss="mse", lr=0.05, steps=200)
moved = [np.abs(W - W0).max(axis=1) for (W, _), W0 in zip(params, before)]
dead_moved, live_moved = moved[0][0], moved[0][1:]  # largest change, per unit of layer 1
print(f"largest z of the dead unit: {largest_z:.2f}")
print(f"loss {history[0]:.3f} -> {history[-1]:.3f} after {len(history)} steps")
print(f"dead unit: its weights moved by {dead_moved}, its bias is {params[0][1][0, 0]}")
print(f"the other {live_moved.size} units: each moved by at least {live_moved.min():.1e}")
