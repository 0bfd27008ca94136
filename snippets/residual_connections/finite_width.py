import numpy as np

WIDTH, LAYERS, BLOCKS = 128, 150, 75
# one step (plain layer or residual block) multiplies ‖x‖² by r: (steps, E[r], Var(r))
steps = {"plain, He": (LAYERS, 1.0, 5 / WIDTH)}  # relu(z)²: mean s²/2, variance 5s⁴/4
for name, a2 in (("α = 1", 1.0), ("α = 1/√L", 1 / BLOCKS)):
    steps[name] = (BLOCKS, 1 + a2, (4 * a2 + 7 * a2**2) / WIDTH)  # cross term + branch
typical, low, high = {}, {}, {}
print(f"{'RMS at the top':14} {'closed form':>11} {'typical':>9}   central 95 % of inputs")
for name, (k, mean_r, var_r) in steps.items():
    v = var_r / mean_r**2  # Var(ln r), to first order in 1/n
    centre = k * (np.log(mean_r) - v / 2)  # median of ln(‖x_top‖² / ‖x_0‖²)
    spread = np.sqrt(k * v)  # its standard deviation
    typical[name] = np.exp(centre / 2)  # as an RMS
    low[name], high[name] = (np.exp((centre + s * 2 * spread) / 2) for s in (-1, 1))
    print(f"{name:14} {mean_r ** (k / 2):11.3g} {typical[name]:9.3g}   {low[name]:.3g} .. {high[name]:.3g}")
plain_typical, plain_low, plain_high = (d["plain, He"] for d in (typical, low, high))
scaled_typical, scaled_low, scaled_high = (d["α = 1/√L"] for d in (typical, low, high))
scaled_law = (1 + 1 / BLOCKS) ** (BLOCKS / 2)  # the mean-square law as an RMS, α = 1/√L
