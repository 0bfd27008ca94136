import numpy as np

from nets.mlp import backward, forward, init_params, loss_and_grad

rng = np.random.default_rng(1)
X, Y = rng.standard_normal((2, 4)), np.array([[0.0, 1.0, 1.0, 0.0]])  # 4 examples
params = init_params([2, 3, 2, 1], "zeros", rng)
for W, b in params:
    W[...] = 0.5  # every weight 0.5, every bias 0
_, caches = forward(params, X, hidden="tanh", output="sigmoid")
_, dZ_L = loss_and_grad(caches, Y, "bce")
grads = backward(params, caches, dZ_L)
with np.printoptions(precision=5, suppress=True):
    print("A[1], one row per unit:", caches[0][2], sep="\n")
    for l, (dW, db, _) in enumerate(grads, start=1):
        print(f"dW[{l}]:", dW, f"db[{l}]: {db.ravel()}", sep="\n")
