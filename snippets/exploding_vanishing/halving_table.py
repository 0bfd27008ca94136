from fractions import Fraction

import numpy as np

W = 0.5 * np.eye(2)
a = np.array([1.0, 1.0])              # a^[0] = X = [1, 1]
layers = range(1, 11)
activations = []                      # a^[l] for l = 1 .. 10

for l in layers:
    a = W @ a                         # a^[l] = W a^[l-1]
    activations.append(a)
    # Fraction(float) is the float's exact binary value, no rounding
    exact = [str(Fraction(v)) for v in a]
    print(f"a^[{l:2}] = [{exact[0]:>6}, {exact[1]:>6}]   {a[0]:.10g}")

activations = np.array(activations)   # shape (10, 2)
