import numpy as np

from nets.mlp import backward, forward, init_params, loss_and_grad
from residual_connections import resnet

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (2, 64))  # 64 points in the square, one per column
Y = np.sin(3 * X[:1]) * np.cos(3 * X[1:])  # the function to fit
WIDTH, LAYERS, STEPS, LR, MOMENTUM = 16, 150, 150, 1e-3, 0.9
leaves = lambda t: [t] if isinstance(t, np.ndarray) else [a for s in t for a in leaves(s)]  # noqa: E731


def plain_loss_grads(params):
    _, caches = forward(params, X, hidden="relu", output="linear")
    J, dZ = loss_and_grad(caches, Y, "mse")
    return J, [g[:2] for g in backward(params, caches, dZ)]  # [(dW, db)], like params


def residual_loss_grads(params):
    out, cache = resnet.forward(params, X)
    return np.mean((out - Y) ** 2), resnet.backward(params, cache, 2 * (out - Y) / Y.size)


def fit(loss_grads, params):  # full-batch gradient descent with heavy-ball momentum
    losses, velocity = [], [np.zeros_like(w) for w in leaves(params)]
    for _ in range(STEPS):
        J, grads = loss_grads(params)
        for w, v, g in zip(leaves(params), velocity, leaves(grads)):
            v *= MOMENTUM
            v += g
            w -= LR * v
        losses.append(float(J))
    return np.array(losses)


plain = init_params([2] + [WIDTH] * LAYERS + [1], "he", rng)  # 150 ReLU layers, He
residual = resnet.init_net(2, WIDTH, LAYERS // 2, 1, 1 / np.sqrt(LAYERS // 2), rng)  # 75 blocks, α = 1/√L
top_rms_init = np.sqrt(np.mean(forward(plain, X)[1][-2][2] ** 2))  # plain: last hidden layer at step 0
plain_loss, residual_loss = fit(plain_loss_grads, plain), fit(residual_loss_grads, residual)
plain_out_std = forward(plain, X)[0].std()  # spread of the plain net's 64 outputs after training
target_var = Y.var()  # the loss of the best constant prediction
plain_ratio, residual_ratio = plain_loss[-1] / target_var, residual_loss[-1] / target_var
(plain_start, plain_end), (residual_start, residual_end) = plain_loss[[0, -1]], residual_loss[[0, -1]]
for name, loss in (("plain", plain_loss), ("residual", residual_loss)):
    print(f"{name:9} loss {loss[0]:.3f} -> {loss[-1]:.4f}  ({loss[-1] / target_var:.1%} of Var(y) = {target_var:.3f})")
print(
    f"plain net: RMS of its last hidden layer at step 0 {top_rms_init:.1e};"
    f" std of its 64 outputs after training {plain_out_std:.1e}"
)
