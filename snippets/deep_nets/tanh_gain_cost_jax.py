import jax
import jax.numpy as jnp
from jax.nn import initializers

WIDTH, DEPTH, BATCH = 256, 50, 64
GAIN = 5 / 3  # PyTorch's calculate_gain("tanh")
# variance_scaling takes a variance multiplier: GAIN², on Var(w) = 1/fan_in
init = initializers.variance_scaling(GAIN**2, "fan_in", "normal", batch_axis=0)


def J(nudges, kernels, X, dZ_L):
    """nudges[l] is added to A[l] (and is 0), so dJ/dnudges[l] = dJ/dA[l];
    the sum injects dJ/dZ[50] = dZ_L."""
    def layer(a, kernel_and_nudge):
        kernel, nudge = kernel_and_nudge
        z = (a + nudge) @ kernel  # kernel: (fan_in, fan_out)
        return jnp.tanh(z), z
    A_50, Z = jax.lax.scan(layer, X, (kernels, nudges))
    return jnp.sum(Z[-1] * dZ_L), A_50


# impl="rbg": XLA's RngBitGenerator, quicker to compile than threefry
key_x, key_g, key_w = jax.random.split(jax.random.key(0, impl="rbg"), 3)
X = jax.random.normal(key_x, (BATCH, WIDTH))  # one example per row
dZ_L = jax.random.normal(key_g, (BATCH, WIDTH))  # injected dJ/dZ[50]
kernels = init(key_w, (DEPTH, WIDTH, WIDTH))  # DEPTH kernels, one draw


@jax.jit
def measure(kernels, X, dZ_L):
    nudges = jnp.zeros((DEPTH, BATCH, WIDTH))
    dA, A_50 = jax.grad(J, has_aux=True)(nudges, kernels, X, dZ_L)
    rms_50 = jnp.sqrt(jnp.mean(A_50**2))  # RMS of A[50]
    ms_0, ms_49 = jnp.mean(dA[0] ** 2), jnp.mean(dA[-1] ** 2)  # dJ/dA[l]
    grad_growth = jnp.sqrt(ms_0 / ms_49)  # RMS, layer 49 -> 0
    return rms_50, grad_growth


rms_50, grad_growth = (v.item() for v in measure(kernels, X, dZ_L))
print(f"RMS of A[{DEPTH}]: {rms_50:.3f}")
print(f"gradient RMS, layer {DEPTH - 1} down to 0: x{grad_growth:.3g}")
