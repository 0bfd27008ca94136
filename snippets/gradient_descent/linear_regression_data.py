import numpy as np

rng = np.random.default_rng(0)
n, L, m = 8, 20, 200                     # width of every layer, depth, examples
X = rng.standard_normal((n, m))          # one example per column
A = rng.standard_normal((n, n)) / np.sqrt(n)
Y = A @ X                                # the target: a random linear map of X
