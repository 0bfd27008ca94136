import numpy as np

from normalisation.norm import BATCH, forward

DEPTH, WIDTH, BATCH_SIZE = 10, 64, 256
rng = np.random.default_rng(3)
X = rng.standard_normal((WIDTH, BATCH_SIZE))
y = rng.standard_normal((1, BATCH_SIZE))  # targets, Var(y) = 1
he_std = np.sqrt(2 / WIDTH)
hidden = [rng.standard_normal((WIDTH, WIDTH)) * he_std for _ in range(DEPTH)]
head = rng.standard_normal((1, WIDTH)) * np.sqrt(1 / WIDTH)  # LeCun: 1/n
OUT_GAINS = (0.0, 1.0, 10.0, 100.0)
rms_out, loss = {}, {}  # output gain -> RMS of the output, MSE against y
print(f"{'output gain':>12}{'RMS of output':>15}{'initial loss':>14}")
for g_out in OUT_GAINS:
    out, caches = forward(hidden + [g_out * head], X, BATCH)
    rms_out[g_out] = np.sqrt(np.mean(out**2))
    loss[g_out] = np.mean((out - y) ** 2)
    print(f"{g_out:12g}{rms_out[g_out]:15.3g}{loss[g_out]:14.4g}")
a_ms = np.mean(caches[-1][0] ** 2)  # mean square of the last hidden output
loss_zero, loss_one, loss_ten = loss[0.0], loss[1.0], loss[10.0]
rms_one = rms_out[1.0]
