import numpy as np

from nets.mlp import init_params

WIDTH, DEPTH = 256, 50


def log10_singular_values(Ws):
    """log10 of the singular values of W[L] ··· W[1], largest first.

    Never multiplied out: the product is kept as Q · diag(e^c) · B, Q orthogonal,
    B upper triangular with |B_ii| = 1, c the log scale of each row."""
    n = Ws[0].shape[1]
    Q, c, B = np.eye(n), np.zeros(n), np.eye(n)
    for W in Ws:
        Q, R = np.linalg.qr(W @ Q)  # W · Q_old = Q · R
        N = (R * np.exp(np.triu(c - c[:, None]))) @ B  # diag(e^-c) R diag(e^c) B
        d = np.abs(np.diag(N))
        c, B = c + np.log(d), N / d[:, None]
    return np.log10(np.linalg.svd(np.exp(c)[:, None] * B, compute_uv=False))


weights = {}  # the draws of orthogonal_linear.py
for init in ["lecun", "orthogonal"]:
    params = init_params([WIDTH] * (DEPTH + 1), init, np.random.default_rng(0))
    weights[init] = [W for W, _ in params]
log10_sv = {init: log10_singular_values(Ws) for init, Ws in weights.items()}
gauss = log10_sv["lecun"]
log10_smallest, log10_condition = gauss[-1], gauss[0] - gauss[-1]

naive_sv = {}  # the same product multiplied out, in float32 and in float64
for dtype in (np.float32, np.float64):
    P = np.linalg.multi_dot([W.astype(dtype) for W in weights["lecun"][::-1]])
    naive_sv[dtype.__name__] = np.linalg.svd(P, compute_uv=False)
s64 = naive_sv["float64"]
naive_log10_condition = np.log10(s64[0] / s64[-1])

print(f"Gaussian: log10 σ from {gauss[0]:.2f} down to {gauss[-1]:.1f}")
for dtype, s in naive_sv.items():
    print(f"  multiplied out in {dtype}: smallest log10 σ {np.log10(s[-1]):.1f}")
print(f"orthogonal: largest |log10 σ| {np.abs(log10_sv['orthogonal']).max():.0e}")
