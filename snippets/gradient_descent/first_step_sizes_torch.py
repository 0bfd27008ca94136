import numpy as np
import torch
from torch import nn

from gradient_descent.linear_regression_data import L, X, Y, n
from nets.mlp import orthogonal

# The NumPy tab's data and orthogonal matrices, so the tabs print the same
# numbers (nn.init.orthogonal_(w, gain=a) would draw its own). Rows: examples.
x, y = torch.from_numpy(X.T).float(), torch.from_numpy(Y.T).float()
rng = np.random.default_rng(1)
Q = [torch.from_numpy(orthogonal(n, n, rng)).float() for _ in range(L)]

scales = {"too small": 0.5, "well scaled": 1.0, "too large": 1.5}
lr = 0.04                            # as in train_deep_linear.py
relative_step = {}                   # lr |dW^[l]| / |W^[l]| at step 0, all l
print("  a    |dW^[l]|, l = 1 .. L       first step changes W^[l] by")
for name, a in scales.items():
    net = nn.Sequential(*[nn.Linear(n, n) for _ in range(L)])
    with torch.no_grad():
        for layer, q in zip(net, Q):
            layer.weight.copy_(a * q)    # W^[l] = a Q^[l]
            layer.bias.zero_()
    loss = nn.functional.mse_loss(net(x), y)  # mean over all entries
    loss.backward()
    norms = torch.stack([layer.weight.grad.norm() for layer in net])
    relative_step[name] = lr * norms / (a * n**0.5)  # |a Q|_F = a sqrt(n)
    print(f"{a:4}   {norms.min():<8.3g} to {norms.max():<8.3g}   "
          f"{relative_step[name].max():.2g} of its size")
