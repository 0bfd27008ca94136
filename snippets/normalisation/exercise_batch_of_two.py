import numpy as np

from normalisation.norm import BATCH, normalise

Z = np.array(
    [
        [0.3, 0.34],  # 4 units (rows),
        [-1.2, 0.5],  # a batch of two examples (columns)
        [25.0, -3.0],
        [0.001, 0.002],
    ]
)
out, _ = normalise(Z, BATCH)
print("batch norm of each unit's two values:", out.round(4), sep="\n")
