import numpy as np

W = np.array([[0.5, 1.0], [-1.0, -1.2]])
rho = np.max(np.abs(np.linalg.eigvals(W)))
norm_W = np.linalg.norm(W, 2)  # largest singular value
D = np.diag([0.0, 1.0])  # slopes: unit 1 saturated, unit 2 linear
grown = np.linalg.norm(np.linalg.matrix_power(D @ W, 50), 2)
unsaturated = np.linalg.norm(np.linalg.matrix_power(W, 50), 2)  # slopes 1
print(f"rho(W) = {rho:.3f}, ||W||_2 = {norm_W:.3f}")
print(f"||(DW)^50||_2 = {grown:.3e}, ||W^50||_2 = {unsaturated:.3e}")
