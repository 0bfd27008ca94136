import numpy as np

from initialisation_variants.init_schemes import glorot_normal, glorot_uniform, he_normal, he_uniform, lecun_normal

rng = np.random.default_rng(0)
n_in, n_out = 784, 300
shape = (n_out, n_in)  # one layer: 235,200 weights
formulas = {  # the variance each scheme promises
    "lecun_normal": 1 / n_in,
    "glorot_normal": 2 / (n_in + n_out),
    "glorot_uniform": 2 / (n_in + n_out),
    "he_normal": 2 / n_in,
    "he_uniform": 2 / n_in,
}
schemes = [lecun_normal, glorot_normal, glorot_uniform, he_normal, he_uniform]
sampled = {f.__name__: f(shape, rng).var() for f in schemes}

print(f"{'scheme':15} {'formula Var':>12} {'sampled Var':>12} {'ratio':>7}")
for name, var in formulas.items():
    print(f"{name:15} {var:12.4e} {sampled[name]:12.4e} {sampled[name] / var:7.4f}")
