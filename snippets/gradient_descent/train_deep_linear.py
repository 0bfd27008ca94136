import numpy as np

from gradient_descent.linear_regression_data import L, X, Y, n
from nets.mlp import init_params, train

scales = {"too small": 0.5, "well scaled": 1.0, "too large": 1.5}
lr, steps = 0.04, 500

loss = {}                    # loss[name][k]: the loss after k steps
for name, a in scales.items():
    params = init_params([n] * (L + 1), "orthogonal",
                         np.random.default_rng(1), gain=a)
    with np.errstate(over="ignore", invalid="ignore"):  # let it overflow
        loss[name] = np.array(train(params, X, Y, hidden="linear",
                                    output="linear", lr=lr, steps=steps + 1))

# the loss of predicting the mean of Y, which b^[L] alone can learn
best_constant = np.mean((Y - Y.mean(axis=1, keepdims=True)) ** 2)
small_ratio = loss["too small"][-1] / loss["too small"][0]
well_ratio = loss["well scaled"][-1] / loss["well scaled"][0]
blowup = loss["too large"]
large_start = blowup[0]
first_nonfinite = int(np.argmin(np.isfinite(blowup)))  # first inf/NaN step
last_finite = blowup[first_nonfinite - 1]
print(f"best constant prediction: loss {best_constant:.4g}")
for name, a in scales.items():
    print(f"a = {a}: loss {loss[name][0]:.4g} at step 0,"
          f" {loss[name][-1]:.4g} at step {steps}")
print(f"too large: loss {last_finite:.3g} at step {first_nonfinite - 1},"
      f" {blowup[first_nonfinite]} from step {first_nonfinite} on")
