import jax
import jax.numpy as jnp

L = 30
x = jnp.array([[1.0, 1.0]])  # one example, as a row: (batch, features)
y = jnp.array([[1.0, 0.0]])
scales = [0.5, 0.9, 1.0, 1.1, 1.5]


def loss(kernels, nudges):
    """1/2 |a^[L] - y|². nudges[l] is added to a^[l] (and is 0), so the
    gradient with respect to nudges[l] is dL/da^[l]."""
    h = x + nudges[0]
    for kernel, nudge in zip(kernels, nudges[1:]):
        h = h @ kernel + nudge  # kernel: (fan_in, fan_out)
    return 0.5 * jnp.sum((h - y) ** 2)


@jax.jit
def gradient_norms(a):
    kernels = [a * jnp.eye(2) for _ in range(L)]  # W^[l] = a I
    nudges = [jnp.zeros_like(x)] * (L + 1)
    dW, dA = jax.grad(loss, argnums=(0, 1))(kernels, nudges)
    return [jnp.linalg.norm(d) for d in dA], [jnp.linalg.norm(d) for d in dW]


grad_a, grad_W = {}, {}  # norms per layer, for each a
for a in scales:
    norms = jax.device_get(gradient_norms(a))
    grad_a[a], grad_W[a] = norms  # l = 0 .. L, and l = 1 .. L

print("  a    |dL/da0| / |dL/dy_hat|   a^L          |dL/dW^[l]|, all l")
for a in scales:
    ratio = grad_a[a][0] / grad_a[a][L]
    print(f"{a:4}   {ratio:<22.4g}   {a**L:<10.4g}   "
          f"{min(grad_W[a]):.4g} to {max(grad_W[a]):.4g}")
