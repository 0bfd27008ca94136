import numpy as np

from gradients.linear_backprop import backward, forward

rng = np.random.default_rng(1)
sizes = [3, 4, 4, 2]
Ws = [rng.standard_normal((o, i)) / np.sqrt(i)
      for i, o in zip(sizes[:-1], sizes[1:])]
X, Y = rng.standard_normal((3, 5)), rng.standard_normal((2, 5))


def loss():
    return 0.5 * np.sum((forward(Ws, X)[-1] - Y) ** 2)


loss_value = loss()
dA, dW = backward(Ws, forward(Ws, X), Y)
exact = np.concatenate([dA[0].ravel()] + [d.ravel() for d in dW])  # X, W's
print(f"L = {loss_value:.3f}, largest |gradient entry| = "
      f"{np.max(np.abs(exact)):.3f}")
steps = [1e-1, 1e-3, 1e-5, 1e-7]
max_error = []                       # largest |difference - backprop|, per h
for h in steps:
    numeric = []
    for P in [X, *Ws]:
        for i in np.ndindex(P.shape):
            old = P[i]
            P[i] = old + h; up = loss()
            P[i] = old - h; down = loss()
            P[i] = old
            numeric.append((up - down) / (2 * h))
    max_error.append(np.max(np.abs(np.array(numeric) - exact)))
    print(f"h = {h:.0e}: largest |error| over {exact.size} entries"
          f" = {max_error[-1]:.1e}")
