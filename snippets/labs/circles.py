"""scikit-learn's make_circles, step by step in NumPy (no scikit-learn needed).

    X, Y = make_circles(300, noise=0.05, rng=np.random.RandomState(1))   # X (2, 300), Y (1, 300)

Same steps and random draws as sklearn.datasets.make_circles(n_samples, noise=noise,
factor=factor, random_state=rng): evenly spaced angles, label 0 on the unit circle and
1 on the circle of radius `factor`, then one shuffle, then Gaussian noise. Pass
np.random.RandomState(seed): it is the generator np.random.seed(seed) resets, which
make_circles uses when random_state is None (the course calls it that way).
"""

import numpy as np


def make_circles(n_samples, noise, rng, factor=0.8):
    n_out = n_samples // 2
    n_in = n_samples - n_out
    angle_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    angle_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(angle_out), np.cos(angle_in) * factor),
                   np.append(np.sin(angle_out), np.sin(angle_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n_samples)
    rng.shuffle(order)  # sklearn.utils.shuffle: one permutation of the rows
    X, y = X[order], y[order]
    X = X + rng.normal(scale=noise, size=X.shape)
    return X.T, y[None, :].astype(float)  # columns are examples, as in the course
