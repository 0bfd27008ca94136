import numpy as np

n_prev, n = 784, 300  # n^[l-1] inputs feed layer l, which has n^[l] units
shape = (n, n_prev)

try:  # the slide's line, with the shape passed as one tuple
    W = np.random.randn(shape) * np.sqrt(2 / n_prev)
except TypeError as err:
    print("np.random.randn(shape)  ->  TypeError:", err)

# randn takes the dimensions as separate arguments: np.random.randn(*shape).
# This site uses a seeded Generator, whose standard_normal takes the tuple:
rng = np.random.default_rng(0)
W = rng.standard_normal(shape) * np.sqrt(2 / n_prev)
n_var_w = n_prev * W.var()
print(f"n^[l-1] · Var(W) = {n_var_w:.3f}   (target 2)")
