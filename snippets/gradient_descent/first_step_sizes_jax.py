import jax
import jax.numpy as jnp
import numpy as np

from gradient_descent.linear_regression_data import L, X, Y, n
from nets.mlp import orthogonal

# The NumPy tab's data and orthogonal matrices, so the tabs print the same
# numbers (jax.nn.initializers.orthogonal(a) would draw its own). Rows:
# examples; a kernel is (fan_in, fan_out), the transpose of W.
x, y = jnp.asarray(X.T, jnp.float32), jnp.asarray(Y.T, jnp.float32)
rng = np.random.default_rng(1)
Q = [jnp.asarray(orthogonal(n, n, rng).T, jnp.float32) for _ in range(L)]


def loss(params):
    h = x
    for p in params:
        h = h @ p["kernel"] + p["bias"]
    return jnp.mean((h - y) ** 2)


scales = {"too small": 0.5, "well scaled": 1.0, "too large": 1.5}
lr = 0.04                            # as in train_deep_linear.py
grad = jax.jit(jax.grad(loss))
relative_step = {}                   # lr |dW^[l]| / |W^[l]| at step 0, all l
print("  a    |dW^[l]|, l = 1 .. L       first step changes W^[l] by")
for name, a in scales.items():
    params = [{"kernel": a * q, "bias": jnp.zeros(n)} for q in Q]  # a Q^[l]
    norms = np.array([jnp.linalg.norm(g["kernel"]) for g in grad(params)])
    relative_step[name] = lr * norms / (a * n**0.5)  # |a Q|_F = a sqrt(n)
    print(f"{a:4}   {norms.min():<8.3g} to {norms.max():<8.3g}   "
          f"{relative_step[name].max():.2g} of its size")
