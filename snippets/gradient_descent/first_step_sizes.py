import numpy as np

from gradient_descent.linear_regression_data import L, X, Y, n
from nets.mlp import backward, forward, init_params, loss_and_grad

scales = {"too small": 0.5, "well scaled": 1.0, "too large": 1.5}
lr = 0.04                            # as in train_deep_linear.py
params = {}                          # params[name]: the layers a Q^[l], b = 0
relative_step = {}                   # lr |dW^[l]| / |W^[l]| at step 0, all l
print("  a    |dW^[l]|, l = 1 .. L       first step changes W^[l] by")
for name, a in scales.items():
    params[name] = init_params([n] * (L + 1), "orthogonal",
                               np.random.default_rng(1), gain=a)
    _, caches = forward(params[name], X, hidden="linear", output="linear")
    _, dZ_L = loss_and_grad(caches, Y, "mse")
    grads = backward(params[name], caches, dZ_L)
    norms = np.array([np.linalg.norm(dW) for dW, _, _ in grads])
    relative_step[name] = lr * norms / (a * np.sqrt(n))  # |a Q| = a sqrt(n)
    print(f"{a:4}   {norms.min():<8.3g} to {norms.max():<8.3g}   "
          f"{relative_step[name].max():.2g} of its size")
step_small, step_well, step_large = (relative_step[k].max() for k in scales)
