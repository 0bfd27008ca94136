import numpy as np

from nets.mlp import backward, forward, init_params, loss_and_grad, train

rng = np.random.default_rng(3)
X = rng.standard_normal((2, 40))
Y = (rng.random((1, 40)) < 0.3).astype(float)  # each label is 1 with probability 0.3
params = init_params([2, 4, 3, 1], "zeros", rng)  # every weight and bias 0
_, caches = forward(params, X, hidden="tanh", output="sigmoid")
_, dZ_L = loss_and_grad(caches, Y, "bce")
grads = backward(params, caches, dZ_L)
for l, (dW, db, _) in enumerate(grads, start=1):
    print(f"step 1, layer {l}: largest |dW| {np.abs(dW).max():.3g},", end=" ")
    print(f"largest |db| {np.abs(db).max():.3g}")
train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=1.0, steps=500)
values = [v for layer in params for v in layer]  # W[1], b[1], W[2], ...
names = [f"{P}[{l}]" for l in (1, 2, 3) for P in "Wb"]
moved = ", ".join(name for name, v in zip(names, values) if np.any(v != 0))
p = Y.mean()  # fraction of positive labels
b_out = params[-1][1].item()
y_hat = forward(params, X, hidden="tanh", output="sigmoid")[0]
print("after 500 steps, non-zero:", moved)
print(f"b[3] = {b_out:.6f}; log(p / (1 - p)) = {np.log(p / (1 - p)):.6f}, p = {p}")
print("distinct outputs over the 40 inputs:", np.unique(y_hat))
