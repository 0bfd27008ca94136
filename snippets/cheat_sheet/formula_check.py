import numpy as np

from initialisation_variants.init_schemes import (
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    lecun_normal,
    orthogonal,
)

rng = np.random.default_rng(20)
n_in, n_out = 512, 256
shape = (n_out, n_in)  # W^[l] is (n^[l], n^[l-1])


def torch_linear_default(shape, rng):  # U(±1/√fan_in)
    return rng.uniform(-1, 1, size=shape) / np.sqrt(shape[1])


rows = [  # name, Var(w) as the cheat sheet writes it, that formula here, sampler
    ("LeCun normal", "1/n_in", 1 / n_in, lecun_normal),
    ("Glorot normal", "2/(n_in+n_out)", 2 / (n_in + n_out), glorot_normal),
    ("Glorot uniform", "b²/3, b = √(6/(n_in+n_out))", 2 / (n_in + n_out),
     glorot_uniform),
    ("He normal", "2/n_in", 2 / n_in, he_normal),
    ("He uniform", "b²/3, b = √(6/n_in)", 2 / n_in, he_uniform),
    ("Orthogonal", "1/max(n_in, n_out)", 1 / max(n_in, n_out), orthogonal),
    ("nn.Linear default", "b²/3, b = 1/√n_in", 1 / (3 * n_in),
     torch_linear_default),
]
sampled = {name: sampler(shape, rng).var() for name, _, _, sampler in rows}
print(f"n_in = {n_in}, n_out = {n_out}")
print(f"{'scheme':18} {'Var(w) formula':29} {'formula':>10} {'sampled':>10}")
for name, text, value, _ in rows:
    print(f"{name:18} {text:29} {value:10.3e} {sampled[name]:10.3e}")
