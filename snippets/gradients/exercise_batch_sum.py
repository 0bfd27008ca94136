import numpy as np

from gradients.linear_backprop import backward, forward

rng = np.random.default_rng(3)
sizes = [3, 4, 2]
Ws = [rng.standard_normal((o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
X = rng.standard_normal((3, 6))      # m = 6 examples
Y = rng.standard_normal((2, 6))

_, dW_batch = backward(Ws, forward(Ws, X), Y)
dW_sum = [np.zeros_like(W) for W in Ws]
for j in range(X.shape[1]):          # one example at a time
    _, dW_j = backward(Ws, forward(Ws, X[:, [j]]), Y[:, [j]])
    dW_sum = [total + d for total, d in zip(dW_sum, dW_j)]

gap = max(np.max(np.abs(b - s)) for b, s in zip(dW_batch, dW_sum))
print(f"batch dW minus the sum of 6 one-example dW: largest |gap| = {gap:.1e}")
