import math

import numpy as np

rng = np.random.default_rng(15)
n, batch = 784, 2000
pixels = rng.integers(0, 256, size=(batch, n)).astype(float)  # raw 8-bit images
normalised = (pixels - pixels.mean(axis=0)) / pixels.std(axis=0)
W = rng.standard_normal((100, n)) * np.sqrt(1 / n)  # LeCun

std_raw = (pixels @ W.T).std()       # theory √E[x²] = √(255·511/6)
std_norm = (normalised @ W.T).std()  # theory 1
saturated = np.mean(np.abs(np.tanh(pixels @ W.T)) > 0.99)
# P(|z| > atanh 0.99) for a normal z with the measured std
theory_saturated = math.erfc(math.atanh(0.99) / std_raw / math.sqrt(2))
theory_raw = math.sqrt(255 * 511 / 6)
print(f"raw pixels : std(z) = {std_raw:7.2f}  (theory {theory_raw:.2f})")
print(f"normalised : std(z) = {std_norm:7.3f}  (theory 1)")
print(f"saturated on raw pixels: {saturated:.1%}  (theory {theory_saturated:.1%})")
