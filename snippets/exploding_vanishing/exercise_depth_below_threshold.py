import math

a, threshold = 0.9, 1e-3

# a^L >= threshold  <=>  L <= log(threshold) / log(a)
# (dividing by log(a) < 0 flips the inequality)
max_depth = math.floor(math.log(threshold) / math.log(a))

print(f"0.9^{max_depth} = {a**max_depth:.6f}  (still >= {threshold})")
print(f"0.9^{max_depth + 1} = {a**(max_depth + 1):.6f}  (below)")
