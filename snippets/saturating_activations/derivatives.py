import numpy as np


def d_sigmoid(z):
    s = 0.5 * (1 + np.tanh(z / 2))  # σ(z) = 1 / (1 + e^-z), written without overflow
    return s * (1 - s)  # σ'(z) = σ(z) (1 - σ(z))


def d_tanh(z):
    return 1 - np.tanh(z) ** 2  # tanh'(z) = 1 - tanh(z)²


z = np.linspace(-10, 10, 200_001)  # step 1e-4, with z = 0 on the grid
sigmoid_max, sigmoid_argmax = d_sigmoid(z).max(), z[d_sigmoid(z).argmax()]
tanh_max, tanh_argmax = d_tanh(z).max(), z[d_tanh(z).argmax()]
CUT = 1 - 0.99**2  # saturated: g'(z) below CUT times the largest g'
z_star_tanh = np.arctanh(0.99)  # tanh'(z) = CUT exactly where |tanh z| = 0.99
z_star_sigmoid = 2 * z_star_tanh  # σ'(z) = tanh'(z/2) / 4

if __name__ == "__main__":  # printed when this file runs, not when it is imported
    print(f"max σ'    = {sigmoid_max:.4f} at z = {sigmoid_argmax:g}")
    print(f"max tanh' = {tanh_max:.4f} at z = {tanh_argmax:g}")
    print("    z     σ'(z)   σ'/¼   tanh'(z)")
    for at in [0, 1, 2, z_star_tanh, 4, z_star_sigmoid, 8]:
        s, t = d_sigmoid(at), d_tanh(at)
        print(f"{at:5.2f}  {s:8.2e}  {s / 0.25:6.2g}  {t:8.2e}")
