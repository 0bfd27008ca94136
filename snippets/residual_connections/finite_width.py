import numpy as np

WIDTH, LAYERS, BLOCKS = 128, 150, 75
# one step (a plain layer or a residual block) multiplies ‖x‖² by r: (steps, E[r], Var(r))
steps = {"plain, He": (LAYERS, 1.0, 5 / WIDTH)}  # relu(z)² has mean s²/2 and variance 5s⁴/4
for name, a2 in (("α = 1", 1.0), ("α = 1/√L", 1 / BLOCKS)):
    steps[name] = (BLOCKS, 1 + a2, (4 * a2 + 7 * a2**2) / WIDTH)  # cross term + branch size
typical, low, high = {}, {}, {}
for name, (k, mean_r, var_r) in steps.items():
    v = var_r / mean_r**2  # Var(ln r), to first order in 1/n
    centre, spread = k * (np.log(mean_r) - v / 2), np.sqrt(k * v)  # ln E[x²] at the top, per input
    typical[name] = np.exp(centre / 2)  # as an RMS: the median net
    low[name], high[name] = np.exp((centre - 2 * spread) / 2), np.exp((centre + 2 * spread) / 2)
    print(
        f"{name:10} RMS at the top: mean-square law {mean_r ** (k / 2):8.3g}, typical {typical[name]:8.3g}"
        f", 95 % of nets within {low[name]:.3g} .. {high[name]:.3g}"
    )
plain_typical, plain_low, plain_high = typical["plain, He"], low["plain, He"], high["plain, He"]
scaled_typical, scaled_low, scaled_high = typical["α = 1/√L"], low["α = 1/√L"], high["α = 1/√L"]
scaled_law = (1 + 1 / BLOCKS) ** (BLOCKS / 2)  # RMS at the top from the mean-square law, α = 1/√L
