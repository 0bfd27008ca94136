import numpy as np

WIDTH, DEPTH, BATCH, SEED = 128, 20, 32, 0
CUT = 1 - 0.99**2  # saturated: g'(z) < CUT · max g' (for tanh: |tanh z| > 0.99)


def sech2(z):  # 1 / cosh(z)², written so that it cannot overflow
    e = np.exp(-2 * np.abs(z))
    return 4 * e / (1 + e) ** 2


ACTS = {  # name: (g, g', max of g')
    "sigmoid": (lambda z: 0.5 * (1 + np.tanh(z / 2)), lambda z: sech2(z / 2) / 4, 0.25),
    "tanh": (np.tanh, sech2, 1.0),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0, 1.0),
}
STDS = {
    "too small": 0.01,
    "LeCun": np.sqrt(1 / WIDTH),
    "4 × LeCun": 4 * np.sqrt(1 / WIDTH),
    "too large": 10.0,
    "He": np.sqrt(2 / WIDTH),
}  # std of each weight
RUNS = [(a, s) for a in ("sigmoid", "tanh") for s in list(STDS)[:4]] + [("relu", "He")]
rng = np.random.default_rng(SEED)
W = rng.standard_normal((DEPTH, WIDTH, WIDTH))  # one draw, rescaled by each std
X, dA_top = rng.standard_normal((2, WIDTH, BATCH))  # inputs; dJ/da[L] for the top
spectral = np.linalg.norm(W, ord=2, axis=(1, 2))  # ||W[l]||₂ of the unscaled draw
lecun_norms = spectral * STDS["LeCun"]  # ||W[l]||₂ of the LeCun layers
Z, grad, bound, saturated = {}, {}, {}, {}
for act, scale in RUNS:
    g, dg, top = ACTS[act]
    std, A, dA = STDS[scale], [X], [dA_top]
    Z[act, scale] = np.empty((DEPTH, WIDTH, BATCH))  # z[l] at index l - 1
    for l in range(DEPTH):
        Z[act, scale][l] = std * W[l] @ A[-1]
        A.append(g(Z[act, scale][l]))
    for l in reversed(range(DEPTH)):  # dJ/da[l-1] = W[l]ᵀ (g'(z[l]) ⊙ dJ/da[l])
        dA.insert(0, std * W[l].T @ (dg(Z[act, scale][l]) * dA[0]))
    grad[act, scale] = np.linalg.norm(dA, axis=(1, 2))  # ||dJ/da[l]||, l = 0 … L
    factors = np.append(top * std * spectral, 1.0)  # max g' · ||W[l]||₂, then 1
    bound[act, scale] = grad[act, scale][-1] * np.cumprod(factors[::-1])[::-1]
    saturated[act, scale] = np.mean(dg(Z[act, scale]) < CUT * top, axis=(1, 2))

ratio = {key: g[0] / g[-1] for key, g in grad.items()}  # ||dJ/da[0]|| / ||dJ/da[L]||
if __name__ == "__main__":  # printed when this file runs, not when it is imported
    print(f"{'':18} saturated in layer   |dJ/da[0]| / |dJ/da[{DEPTH}]|")
    print(f"{'':18}    1      {DEPTH}      measured   bound")
    for (act, scale), s in saturated.items():
        b = bound[act, scale][0] / grad[act, scale][-1]
        print(f"{act:7} {scale:9} {s[0]:6.1%} {s[-1]:6.1%} {ratio[act, scale]:11.1e} {b:8.1e}")
# --8<-- [start:quoted]
lecun_norm_low, lecun_norm_high = lecun_norms.min(), lecun_norms.max()
sigmoid_lecun_ratio = ratio["sigmoid", "LeCun"]
sigmoid_lecun_bound = bound["sigmoid", "LeCun"][0] / grad["sigmoid", "LeCun"][-1]
sigmoid_lecun_per_layer = sigmoid_lecun_ratio ** (1 / DEPTH)
sigmoid_4_ratio, relu_he_ratio = ratio["sigmoid", "4 × LeCun"], ratio["relu", "He"]
large_ratio_low = min(ratio["sigmoid", "too large"], ratio["tanh", "too large"])
# --8<-- [end:quoted]
