import numpy as np

from gradients.linear_backprop import backward, forward

L = 30
X = np.array([[1.0], [1.0]])         # one example, x = [1, 1]
Y = np.array([[1.0], [0.0]])         # its target
scales = [0.5, 0.9, 1.0, 1.1, 1.5]

grad_a, grad_W = {}, {}              # norms per layer, for each a
for a in scales:
    Ws = [a * np.eye(2) for _ in range(L)]
    dA, dW = backward(Ws, forward(Ws, X), Y)
    grad_a[a] = np.array([np.linalg.norm(d) for d in dA])  # l = 0 .. L
    grad_W[a] = np.array([np.linalg.norm(d) for d in dW])  # l = 1 .. L

# layer 0 against the output, and the weight gradients
ratio_05, ratio_15 = (grad_a[a][0] / grad_a[a][L] for a in (0.5, 1.5))
dW_05, dW_11, dW_15 = (grad_W[a][0] for a in (0.5, 1.1, 1.5))

print("  a    |dL/da0| / |dL/dy_hat|   a^L          |dL/dW^[l]|, all l")
for a in scales:
    ratio = grad_a[a][0] / grad_a[a][L]
    print(f"{a:4}   {ratio:<22.4g}   {a**L:<10.4g}   "
          f"{grad_W[a].min():.4g} to {grad_W[a].max():.4g}")
