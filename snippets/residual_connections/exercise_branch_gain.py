import numpy as np

L, LIMIT = 150, 2.0
alpha = np.sqrt(LIMIT ** (1 / L) - 1)  # solves (1 + α²)^L = 2
print(f"largest α: {alpha:.4f}; (1 + α²)^L = {(1 + alpha**2) ** L:.4f}")
print(f"1/√L = {1 / np.sqrt(L):.4f} gives {(1 + 1 / L) ** L:.4f}")
