import numpy as np

from nets.mlp import backward, forward, init_params, loss_and_grad
from residual_connections import resnet

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (2, 64))  # 64 points in the square, one per column
Y = np.sin(3 * X[:1]) * np.cos(3 * X[1:])  # the function to fit
WIDTH, LAYERS, STEPS, LR, MOMENTUM = 16, 150, 150, 1e-3, 0.9


def leaves(tree):  # the arrays of nested lists and tuples, in order
    if isinstance(tree, np.ndarray):
        return [tree]
    return [a for t in tree for a in leaves(t)]


def plain_loss_grads(params):
    _, caches = forward(params, X, hidden="relu", output="linear")
    J, dZ = loss_and_grad(caches, Y, "mse")
    return J, [g[:2] for g in backward(params, caches, dZ)]  # [(dW, db)], like params


def residual_loss_grads(params):
    out, cache = resnet.forward(params, X)
    grads = resnet.backward(params, cache, 2 * (out - Y) / Y.size)
    return np.mean((out - Y) ** 2), grads


def fit(loss_grads, params):  # full-batch gradient descent, heavy-ball momentum
    weights = leaves(params)  # updated in place below, so this list stays valid
    losses, velocity = [], [np.zeros_like(w) for w in weights]
    for _ in range(STEPS):
        J, grads = loss_grads(params)
        for w, v, g in zip(weights, velocity, leaves(grads)):
            v *= MOMENTUM
            v += g
            w -= LR * v  # in place
        losses.append(float(J))
    return np.array(losses)


plain = init_params([2] + [WIDTH] * LAYERS + [1], "he", rng)  # 150 ReLU layers, He
blocks = LAYERS // 2  # 75 blocks of two layers, α = 1/√L
residual = resnet.init_net(2, WIDTH, blocks, 1, 1 / np.sqrt(blocks), rng)
top_rms_init = np.sqrt(np.mean(forward(plain, X)[1][-2][2] ** 2))  # plain, last hidden
plain_loss = fit(plain_loss_grads, plain)
residual_loss = fit(residual_loss_grads, residual)
plain_out_std = forward(plain, X)[0].std()  # spread of the plain net's 64 outputs
target_var = Y.var()  # the loss of the best constant prediction
plain_start, plain_end = plain_loss[0], plain_loss[-1]
residual_start, residual_end = residual_loss[0], residual_loss[-1]
plain_ratio, residual_ratio = plain_end / target_var, residual_end / target_var
print(f"Var(y) = {target_var:.4f}")
for name, loss in (("plain", plain_loss), ("residual", residual_loss)):
    ratio = loss[-1] / target_var
    print(f"{name:9} loss {loss[0]:.3f} -> {loss[-1]:.4f}, {ratio:.1%} of Var(y)")
print(f"plain, last hidden layer's RMS at step 0: {top_rms_init:.1e}")
print(f"plain, std of its 64 outputs after training: {plain_out_std:.1e}")
