import numpy as np

# E[x[L]²] / E[x[0]²] = (1 + α²)^L after L residual blocks whose branches have gain α
print(f"{'L':>6} {'α = 1':>10} {'α = 1/√L':>10} {'α = 1/√(2L)':>12}")
for L in (10, 75, 150, 1000):
    growth = {rule: (1 + a2) ** L for rule, a2 in (("1", 1.0), ("1/√L", 1 / L), ("1/√(2L)", 1 / (2 * L)))}
    print(f"{L:6} {growth['1']:10.3g} {growth['1/√L']:10.4f} {growth['1/√(2L)']:12.4f}")
L = 150
explode_150 = 2.0**L  # α = 1
scaled_150 = (1 + 1 / L) ** L  # α = 1/√L: below its limit e
half_scaled_150 = (1 + 1 / (2 * L)) ** L  # α = 1/√(2L): below √e
print(f"limits as L grows: e = {np.e:.4f}, √e = {np.sqrt(np.e):.4f}")
