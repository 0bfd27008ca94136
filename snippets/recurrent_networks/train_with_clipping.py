import numpy as np

from recurrent_networks import rnn

T, M, N_H, RHO, LR, CLIP, STEPS = 50, 64, 32, 3.0, 1.0, 1.0, 120
rng = np.random.default_rng(0)
X = 0.3 * rng.standard_normal((T, 1, M))  # noise at steps 2..T
X[0] = rng.choice([-1.0, 1.0], (1, M))  # the sign to remember
Y = (X[0] > 0).astype(float)
start = rnn.init_rnn(1, N_H, RHO, rng)

runs = {}  # name -> (loss at each step, gradient norm at each step, params)
for name, c in (("unclipped", np.inf), ("clipped", CLIP)):
    params = {k: v.copy() for k, v in start.items()}
    losses, norms = [], []
    for step in range(STEPS):
        loss, grads = rnn.loss_and_grads(params, X, Y)
        grads, norm = rnn.clip_grad_norm(grads, c)
        for k in params:
            params[k] -= LR * grads[k]
        losses.append(loss)
        norms.append(norm)
    runs[name] = np.array(losses), np.array(norms), params


def at_the_end(params):
    loss, grads = rnn.loss_and_grads(params, X, Y)
    rho = np.max(np.abs(np.linalg.eigvals(params["W_hh"])))
    hs = np.array(rnn.forward(params, X)[1][1:])
    saturated = np.mean(np.abs(hs) > 0.99)  # fraction of states with |h| > 0.99
    return loss, rho, saturated, np.linalg.norm(grads["W_hh"])


loss_u, rho_u, saturated_u, dW_hh_u = at_the_end(runs["unclipped"][2])
loss_c, rho_c, saturated_c, dW_hh_c = at_the_end(runs["clipped"][2])
norm_0 = runs["clipped"][1][0]  # the first gradient, the same for both runs
big_u, big_c = (np.sum(runs[name][1] > CLIP) for name in runs)  # steps, |g| > c

if __name__ == "__main__":  # printed when run, not when imported
    print(f"gradient norm at the start: {norm_0:.3g}")
    print("at the end   loss  rho(W_hh)  saturated  |dL/dW_hh|  steps |g|>c")
    rows = {
        "unclipped": (loss_u, rho_u, saturated_u, dW_hh_u, big_u),
        "clipped": (loss_c, rho_c, saturated_c, dW_hh_c, big_c),
    }
    for name, (L, r, sat, dW, big) in rows.items():
        print(f"{name:9} {L:7.2g} {r:10.3g} {sat:10.1%} {dW:11.2g} {big:12}")
