import matplotlib.pyplot as plt

from diagnostics.update_ratios import STEPS, losses, ratios

fig, (ax_r, ax_l) = plt.subplots(1, 2, figsize=(9, 4))
for i, (name, r) in enumerate(ratios.items()):
    layers = range(1, len(r[0]) + 1)
    ax_r.plot(layers, r[0], f"C{i}o-", ms=4)  # first update: solid
    ax_r.plot(layers, r[-1], f"C{i}--", lw=1.2)  # last update: dashed
    ax_l.plot(range(STEPS), losses[name], f"C{i}o-", ms=3, label=name)
ax_r.plot([], [], "C7o-", ms=4, label="update 1")
ax_r.plot([], [], "C7--", lw=1.2, label=f"update {STEPS}")
ax_r.axhline(1e-3, color="C7", ls=":", lw=1.5, label="1e-3")
ax_r.set_yscale("log")
ax_r.set_xticks(range(1, 14, 3))
ax_r.set_xlabel("layer $l$")
ax_r.set_ylabel(r"$\Vert \Delta W \Vert / \Vert W \Vert$ (log scale)")
ax_r.set_title("update-to-weight ratio")
ax_l.set_yscale("log")
ax_l.set_xlabel("SGD updates made")
ax_l.set_ylabel("training loss (log scale)")
ax_l.set_title("loss")
ax_r.legend(loc="upper right")
fig.legend(*ax_l.get_legend_handles_labels(), loc="lower center", ncols=3)
fig.tight_layout(rect=(0, 0.08, 1, 1))
