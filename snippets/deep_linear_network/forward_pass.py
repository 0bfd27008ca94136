# --8<-- [start:shapes]
import numpy as np

rng = np.random.default_rng(0)
layer_sizes = [3, 4, 4, 2]        # n^[0] (inputs), n^[1], ..., n^[L]
L = len(layer_sizes) - 1
m = 5                             # examples, one per column of X
X = rng.standard_normal((layer_sizes[0], m))
W = {l: rng.standard_normal((layer_sizes[l], layer_sizes[l - 1]))
     for l in range(1, L + 1)}    # W[l] has shape (n^[l], n^[l-1])
# --8<-- [end:shapes]

# --8<-- [start:first_layer]
z1 = W[1] @ X                     # z^[1] = W^[1] X, shape (n^[1], m)
a1 = z1                           # g(z) = z, and b^[1] = 0
# --8<-- [end:first_layer]

# --8<-- [start:loop]
a = X                             # a^[0] = X
for l in range(1, L + 1):
    z = W[l] @ a                  # z^[l] = W^[l] a^[l-1]
    a = z                         # a^[l] = g(z^[l]) = z^[l]
    print(f"layer {l}: W{l} {W[l].shape} -> a{l} {a.shape}")
y_hat_loop = a
# --8<-- [end:loop]

# --8<-- [start:product]
# W^[L] W^[L-1] ... W^[1], multiplied first, then applied to X once
W_product = np.linalg.multi_dot([W[l] for l in range(L, 0, -1)])
y_hat_product = W_product @ X
# --8<-- [end:product]

max_difference = np.max(np.abs(y_hat_loop - y_hat_product))
print(f"W^[L]...W^[1] has shape {W_product.shape}")
print(f"largest |loop - product| = {max_difference:.1e}")
