import matplotlib.pyplot as plt
import numpy as np

scales = [0.5, 0.9, 1.0, 1.1, 1.5]    # W^[l] = a*I in every layer
depth = 50
layers = np.arange(depth + 1)

fig, ax = plt.subplots(figsize=(7, 4.2))
for a in scales:
    h = np.array([1.0, 1.0])          # a^[0] = X
    size = [np.sqrt(np.mean(h**2))]   # RMS of the activation vector
    for l in range(depth):
        h = (a * np.eye(2)) @ h
        size.append(np.sqrt(np.mean(h**2)))
    ax.plot(layers, size, label=f"a = {a}")

ax.set_yscale("log")
ax.set_xlabel("layer l")
ax.set_ylabel(r"activation size, RMS of $a^{[l]}$ (log scale)")
ax.set_title("Two units per layer, W = a·I, input X = [1, 1]")
ax.legend(title="weight scale", ncols=2)
fig.tight_layout()
