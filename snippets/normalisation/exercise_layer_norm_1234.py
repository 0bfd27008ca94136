import numpy as np

from normalisation.norm import LAYER, normalise

z = np.array([[1.0], [2.0], [3.0], [4.0]])  # one example, n = 4
out, _ = normalise(z, LAYER)
print("mean", z.mean(), " variance", z.var())
print("layer norm:          ", out.ravel().round(4))
by_hand = (z - 2.5) / np.sqrt(1.25)  # without eps
print("(z - 2.5)/sqrt(1.25):", by_hand.ravel().round(4))
