import matplotlib.pyplot as plt

from symmetry.train_three_inits import inits, loss, spread

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.6))
for k, name in enumerate(inits):
    dashed = name == "zeros"  # drawn on top of the constant start's line
    style = dict(color=f"C{k}", linestyle="--" if dashed else "-", zorder=3 - k)
    left.plot(loss[:, k], label=name, **style)
    right.plot(spread[:, k], label=name, **style)
left.set_title("training loss", fontsize="medium")
left.set_ylabel("cross-entropy")
left.legend(loc="lower left")
right.set_title("how different the units of layer 1 are", fontsize="medium")
right.set_ylabel("row spread of W1")
for ax in (left, right):
    ax.set_xlabel("gradient-descent step")
fig.tight_layout()
