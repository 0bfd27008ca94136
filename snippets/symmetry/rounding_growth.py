import numpy as np

from labs.circles import make_circles
from nets.mlp import backward, forward, init_params, loss_and_grad, stack_params

DIMS, STEPS, LR, NUDGE = [2, 10, 1], 4200, 1.0, 1e-15
rng = np.random.default_rng(0)
X, Y = make_circles(300, noise=0.05, rng=rng)
nets = [init_params(DIMS, "zeros", rng) for _ in range(2)]
for W, b in nets[0] + nets[1]:
    W[...] = 0.5
nets[1][0][0][0, 0] += NUDGE  # the second copy: one weight of W[1] moved by 1e-15
params = stack_params(nets)
loss, spread = [], []
for step in range(STEPS + 1):
    _, caches = forward(params, X, hidden="tanh", output="sigmoid")
    J, dZ = loss_and_grad(caches, Y, "bce")
    loss.append(J)
    (W1, b1), (W2, _) = params  # W1 (2, 10, 2), b1 (2, 10, 1), W2 (2, 1, 10)
    units = np.concatenate([W1, b1, W2.mT], axis=-1)  # one row per unit: (2, 10, 4)
    spread.append(np.ptp(units, axis=-2).max(axis=-1))  # largest gap between two units
    for (W, b), (dW, db, _) in zip(params, backward(params, caches, dZ)):
        W -= LR * dW
        b -= LR * db
loss, spread = np.array(loss), np.array(spread)  # (STEPS + 1, 2): as computed, nudged
growth_per_step = (spread[2000, 1] / spread[1000, 1]) ** (1 / 1000)  # steps 1000-2000
step_apart = int(np.argmax(spread[:, 1] > 0.01))  # the nudged units 0.01 apart
spread_as_computed_2000 = spread[2000, 0]
outcome = {True: "rounding alone broke the tie", False: "its units were still tied"}
rounding_outcome = outcome[bool(spread[-1, 0] > 0.01)]
print(f"{'step':>5}{'gap':>11}{'nudged':>11}{'loss':>9}{'nudged':>9}")
for s in [*range(0, STEPS, 500), STEPS]:
    print(f"{s:5}{spread[s, 0]:11.2g}{spread[s, 1]:11.2g}", end="")
    print(f"{loss[s, 0]:9.4f}{loss[s, 1]:9.4f}")
print(f"growth of the nudged gap per step, steps 1000-2000: {growth_per_step:.5f}")
