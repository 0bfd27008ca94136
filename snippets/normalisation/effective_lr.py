import numpy as np

from normalisation.norm import BATCH, EPS, backward, forward

STEPS, WIDTH, DEPTH, LR = 200, 32, 4, 0.05
rng = np.random.default_rng(2)
X = rng.uniform(-1, 1, (2, 64))  # 64 points in [-1, 1]², one per column
y = np.sin(3 * X[:1]) * np.cos(3 * X[1:])
dims = [2] + [WIDTH] * DEPTH
shapes = list(zip(dims[1:], dims))  # (n_out, n_in) of each hidden layer
draw = [rng.standard_normal((o, i)) * np.sqrt(2 / i) for o, i in shapes]  # He
head = rng.standard_normal((1, WIDTH)) * np.sqrt(1 / WIDTH)


def train(g, lr_hidden, eps=EPS):
    """Gradient descent from hidden weights g * draw (output layer at LR).
    Return the loss before each step and, per hidden layer, |W| at the end
    over |W| at the start."""
    Ws, losses = [g * W for W in draw] + [head.copy()], []
    for _ in range(STEPS):
        out, caches = forward(Ws, X, BATCH, eps)
        losses.append(np.mean((out - y) ** 2))
        dWs = backward(Ws, caches, 2 * (out - y) / X.shape[1])[0]
        for W, dW, lr in zip(Ws, dWs, [lr_hidden] * DEPTH + [LR]):
            W -= lr * dW
    size = np.linalg.norm
    growth = [size(W) / size(g * W0) for W, W0 in zip(Ws, draw)]
    return np.array(losses), np.array(growth)


same_lr = {g: train(g, LR) for g in (0.1, 1.0, 10.0)}  # g -> (losses, growth)
scaled_lr = {g: train(g, LR * g**2) for g in (0.1, 10.0)}  # hidden at LR * g²
scaled_lr[1.0] = same_lr[1.0]
final_same = {g: run[0][-1] for g, run in same_lr.items()}  # after last step
final_scaled = {g: run[0][-1] for g, run in scaled_lr.items()}
slow_10 = final_same[10.0] / final_same[1.0]
loss_small, loss_one = final_same[0.1], final_same[1.0]
scaled_spread = max(final_scaled.values()) / min(final_scaled.values()) - 1
growth_small = same_lr[0.1][1].max()  # largest growth of a hidden |W|, g = 0.1
if __name__ == "__main__":  # printed when this file runs, not when imported
    print(f"{'':6}{f'loss after {STEPS} steps':^32}{'|W| at end / start':^26}")
    heads = ["gain", "same LR", "LR * g² (hidden)", "same LR, layers 1-4"]
    print("".join(f"{h:>{w}}" for h, w in zip(heads, (6, 13, 19, 26))))
    for g in same_lr:
        growth = " ".join(f"{r:.2f}" for r in same_lr[g][1])
        print(f"{g:6g}{final_same[g]:13.2e}{final_scaled[g]:19.2e}{growth:>26}")
