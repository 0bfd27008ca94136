import jax
from jax.nn import initializers

key = jax.random.key(0)
n_in, n_out = 784, 300
shape = (n_in, n_out)  # JAX's (and Keras's) kernel layout: (fan_in, fan_out)
formulas = {  # the variance each scheme promises
    "lecun_normal": 1 / n_in,
    "glorot_normal": 2 / (n_in + n_out),
    "glorot_uniform": 2 / (n_in + n_out),
    "he_normal": 2 / n_in,
    "he_uniform": 2 / n_in,
}
initialisers = {  # the *_normal ones draw from a truncated, widened normal
    "lecun_normal": initializers.lecun_normal(),
    "glorot_normal": initializers.glorot_normal(),
    "glorot_uniform": initializers.glorot_uniform(),
    "he_normal": initializers.he_normal(),
    "he_uniform": initializers.he_uniform(),
}
keys = jax.random.split(key, len(initialisers))
sampled = {name: init(k, shape).var().item() for (name, init), k in zip(initialisers.items(), keys)}

print(f"{'scheme':15} {'formula Var':>12} {'sampled Var':>12} {'ratio':>7}")
for name, var in formulas.items():
    print(f"{name:15} {var:12.4e} {sampled[name]:12.4e} {sampled[name] / var:7.4f}")
