import numpy as np

from nets.mlp import init_params, train

rng = np.random.default_rng(0)
d, width, L, m = 4, 16, 10, 128
X = rng.standard_normal((d, m))
Y = np.sin(X[:1] + 0.5 * X[1:2])             # (1, m): a smooth target
sizes = [d] + [width] * (L - 1) + [1]
# gains: factors on He's standard deviation sqrt(2 / n^[l-1])
gains = {"too small": 0.25, "He": 1.0, "too large": 4.0}
lr, steps = 0.02, 1000

loss = {}                    # loss[name][k]: the loss after k steps
for name, g in gains.items():
    params = init_params(sizes, "he", np.random.default_rng(1), gain=g)
    with np.errstate(over="ignore", invalid="ignore"):
        loss[name] = np.array(train(params, X, Y, hidden="relu",
                                    output="linear", lr=lr, steps=steps + 1))

best_constant = Y.var()      # what the output bias alone can reach
small_ratio = loss["too small"][-1] / loss["too small"][0]
he_ratio = loss["He"][-1] / loss["He"][0]
first_nonfinite = int(np.argmin(np.isfinite(loss["too large"])))
for name, g in gains.items():
    print(f"gain {g:<4} on He: loss {loss[name][0]:.4g} at step 0,"
          f" {loss[name][-1]:.4g} at step {steps}")
print(f"best constant prediction: loss {best_constant:.4g}")
print(f"too large: loss non-finite from step {first_nonfinite} on")
