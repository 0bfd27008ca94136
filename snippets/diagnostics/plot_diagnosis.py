import matplotlib.pyplot as plt

from diagnostics.diagnose_init import stats

fig, (ax_a, ax_g) = plt.subplots(1, 2, figsize=(9, 4))
for i, (name, s) in enumerate(stats.items()):
    std = [row["std"] for row in s["activations"]]  # a^[1] .. a^[12]
    grad = [row["grad"] for row in s["weights"]]  # W^[1] .. W^[13]
    ax_a.plot(range(1, len(std) + 1), std, f"C{i}o-", ms=4, label=name)
    ax_g.plot(range(1, len(grad) + 1), grad, f"C{i}o-", ms=4)
ax_a.set_ylabel(r"std of $a^{[l]}$ (log scale)")
ax_g.set_ylabel(r"$\Vert\partial L / \partial W^{[l]} \Vert$ (log scale)")
ax_a.set_title("forward: activations")
ax_g.set_title("backward: weight gradients")
for ax in (ax_a, ax_g):
    ax.set_yscale("log")
    ax.set_xticks(range(1, 14, 3))
    ax.set_xlabel("layer $l$")
fig.legend(*ax_a.get_legend_handles_labels(), loc="lower center", ncols=3)
fig.tight_layout(rect=(0, 0.08, 1, 1))
