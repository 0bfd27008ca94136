import numpy as np

scales = [0.5, 0.9, 1.1, 1.5]         # W = a*I, below and above 1
depths = [10, 30, 150]
X = np.array([1.0, 1.0])

y = np.empty((len(scales), len(depths)))  # y[i, j]: after depths[j] layers
for i, a in enumerate(scales):
    h = X
    for l in range(1, max(depths) + 1):
        h = (a * np.eye(2)) @ h
        if l in depths:
            y[i, depths.index(l)] = h[0]

print("a      " + "".join(f"L = {L:<10}" for L in depths))
for a, row in zip(scales, y):
    print(f"{a:<6} " + "".join(f"{v:<14.3g}" for v in row))

y_30_15, y_150_15 = y[3, 1], y[3, 2]
y_30_05, y_150_05 = y[0, 1], y[0, 2]
y_150_11, y_150_09 = y[2, 2], y[1, 2]
