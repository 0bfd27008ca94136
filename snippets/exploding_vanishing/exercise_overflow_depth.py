import math

import numpy as np

a = 1.1
largest = float(np.finfo(np.float32).max)

depth_exact = math.log(largest) / math.log(a)   # a^L = largest here
first_inf_depth = math.floor(depth_exact) + 1   # first whole depth past it

# check by running it: multiply a float32 value by 1.1, layer after layer
with np.errstate(over="ignore"):
    factors = np.full(first_inf_depth, a, dtype=np.float32)
    sizes = np.cumprod(factors)                 # sizes[L-1] = a^L
print(f"1.1^L reaches the float32 maximum at L = {depth_exact:.2f}")
print(f"L = {first_inf_depth - 1}: {sizes[-2]:.5g}")
print(f"L = {first_inf_depth}: {sizes[-1]}")
