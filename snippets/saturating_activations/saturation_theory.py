from math import erfc

import numpy as np

from saturating_activations.deep_stack import ACTS, DEPTH, STDS, WIDTH
from saturating_activations.derivatives import z_star_sigmoid, z_star_tanh


def gauss_mean(f, q):
    """E[f(z)] for z ~ N(0, q), q a number or an array: trapezoid rule over ±12 std."""
    u = np.linspace(-12, 12, 4001)[:, None]  # z = u √q with u ~ N(0, 1)
    weights = np.exp(-(u**2) / 2) / np.sqrt(2 * np.pi)
    return np.trapezoid(f(u * np.sqrt(q)) * weights, u, axis=0).squeeze()


def mean_square(f, q):
    """E[f(z)²] for z ~ N(0, q)."""
    return gauss_mean(lambda z: f(z) ** 2, q)


Z_SAT = {"sigmoid": z_star_sigmoid, "tanh": z_star_tanh}  # saturated: |z| > Z_SAT
q, predicted = {}, {}  # q[l-1] = E[z[l]²] and the saturated fraction of layer l
for act in Z_SAT:
    g = ACTS[act][0]
    for scale in ["too small", "LeCun", "4 × LeCun", "too large"]:
        n_var = WIDTH * STDS[scale] ** 2  # n Var(w)
        qs = [n_var * 1.0]  # the inputs have E[x²] = 1
        for _ in range(DEPTH - 1):
            qs.append(n_var * mean_square(g, qs[-1]))
        q[act, scale] = np.array(qs)
        predicted[act, scale] = np.array([erfc(Z_SAT[act] / np.sqrt(2 * v)) for v in qs])
# --8<-- [start:quoted]
tanh_lecun_layer_1 = predicted["tanh", "LeCun"][0]  # the one LeCun layer with saturated units
sigmoid_lecun_sds = Z_SAT["sigmoid"] / np.sqrt(q["sigmoid", "LeCun"][-1])  # cut / sd of z
# --8<-- [end:quoted]
