import numpy as np

from normalisation.norm import BATCH, LAYER, normalise

Z = np.array(
    [
        [1.0, 2.0, 3.0, 6.0],  # 3 units (rows) x 4 examples (columns)
        [10.0, 20.0, 30.0, 60.0],  # unit 1 times 10
        [-1.0, 0.0, 0.0, 1.0],
    ]
)
bn, _ = normalise(Z, BATCH)  # each row over the batch
ln, _ = normalise(Z, LAYER)  # each column over the units
for name, out, axis in (("batch norm", bn, 1), ("layer norm", ln, 0)):
    means = out.mean(axis=axis).round(12) + 0.0  # + 0.0 turns -0.0 into 0.0
    along = ("column", "row")[axis]
    with np.printoptions(precision=3, suppress=True):
        print(f"{name}:", out, f"mean, std of each {along}:", sep="\n")
        print(means, out.std(axis=axis), sep="\n")
