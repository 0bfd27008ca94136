import numpy as np


# --8<-- [start:functions]
def forward(Ws, X):
    """a^[0] = X, a^[l] = W^[l] a^[l-1] (g(z) = z, b = 0).

    Returns [a^[0], ..., a^[L]].
    """
    acts = [X]
    for W in Ws:
        acts.append(W @ acts[-1])
    return acts


def backward(Ws, acts, Y):
    """Gradients of L = 1/2 ||a^[L] - Y||^2 (summed over the columns).

    Returns dA = [dL/da^[0], ..., dL/da^[L]]
    and     dW = [dL/dW^[1], ..., dL/dW^[L]].
    """
    dA = [acts[-1] - Y]              # dL/da^[L] = y_hat - y
    dW = []
    for W, a_prev in zip(Ws[::-1], acts[-2::-1]):
        dZ = dA[0]                   # g(z) = z: dL/dz^[l] = dL/da^[l]
        dW.insert(0, dZ @ a_prev.T)  # (n^[l], m) @ (m, n^[l-1]): sums examples
        dA.insert(0, W.T @ dZ)       # dL/da^[l-1] = W^[l]^T dL/dz^[l]
    return dA, dW
# --8<-- [end:functions]


if __name__ == "__main__":           # runs when this file is the snippet
    rng = np.random.default_rng(0)
    sizes = [3, 4, 4, 2]             # n^[0], ..., n^[L]; L = 3
    Ws = [rng.standard_normal((n_out, n_in))
          for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    X = rng.standard_normal((3, 5))  # m = 5 examples
    Y = rng.standard_normal((2, 5))
    dA, dW = backward(Ws, forward(Ws, X), Y)
    for l in range(1, len(Ws) + 1):
        print(f"l = {l}: W {Ws[l - 1].shape}  dW {dW[l - 1].shape}"
              f"  dL/da^[l] {dA[l].shape}")
