"""Initialisation schemes for a weight matrix W of shape (n_out, n_in).

The course's layout: W^[l] has shape (n^[l], n^[l-1]),
so fan_in = shape[1] and fan_out = shape[0].
"""
import numpy as np


# --8<-- [start:lecun]
def lecun_normal(shape, rng, gain=1.0):
    """Var(w) = gain² / fan_in  (LeCun et al. 1998; the course's tanh choice)."""
    return rng.standard_normal(shape) * gain * np.sqrt(1 / shape[1])
# --8<-- [end:lecun]


# --8<-- [start:glorot]
def glorot_normal(shape, rng, gain=1.0):
    """Var(w) = gain² · 2 / (fan_in + fan_out)  (Glorot & Bengio 2010)."""
    return rng.standard_normal(shape) * gain * np.sqrt(2 / (shape[1] + shape[0]))


def glorot_uniform(shape, rng, gain=1.0):
    """U(-b, b), b = gain · √(6 / (fan_in + fan_out)); Var(w) = b² / 3."""
    bound = gain * np.sqrt(6 / (shape[1] + shape[0]))
    return rng.uniform(-bound, bound, size=shape)
# --8<-- [end:glorot]


# --8<-- [start:he]
def he_normal(shape, rng, gain=np.sqrt(2)):
    """Var(w) = gain² / fan_in = 2 / fan_in for ReLU  (He et al. 2015)."""
    return rng.standard_normal(shape) * gain * np.sqrt(1 / shape[1])


def he_uniform(shape, rng, gain=np.sqrt(2)):
    """U(-b, b), b = gain · √(3 / fan_in) = √(6 / fan_in); Var(w) = 2 / fan_in."""
    bound = gain * np.sqrt(3 / shape[1])
    return rng.uniform(-bound, bound, size=shape)
# --8<-- [end:he]


# --8<-- [start:orthogonal]
def orthogonal(shape, rng, gain=1.0):
    """gain × a random (semi-)orthogonal matrix (Saxe et al. 2013).

    W Wᵀ = gain² I (wide W) or Wᵀ W = gain² I (tall W).
    """
    a = rng.standard_normal((max(shape), min(shape)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))  # sign fix makes q uniformly (Haar) distributed
    return gain * (q if shape[0] >= shape[1] else q.T)
# --8<-- [end:orthogonal]
