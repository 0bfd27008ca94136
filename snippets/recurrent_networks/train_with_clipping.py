import numpy as np

from recurrent_networks.rnn import clip_grad_norm, forward, init_rnn, loss_and_grads

T, M, N_H, RHO, LR, CLIP, STEPS = 50, 64, 32, 3.0, 1.0, 1.0, 150
rng = np.random.default_rng(0)
X = 0.3 * rng.standard_normal((T, 1, M))  # noise at steps 2..T
X[0] = rng.choice([-1.0, 1.0], (1, M))  # the sign to remember
Y = (X[0] > 0).astype(float)
start = init_rnn(1, N_H, RHO, rng)

runs = {}  # name -> (loss before each step, gradient norm at each step, final params)
for name, c in (("unclipped", np.inf), ("clipped", CLIP)):
    params = {k: v.copy() for k, v in start.items()}
    losses, norms = [], []
    for step in range(STEPS):
        loss, grads = loss_and_grads(params, X, Y)
        grads, norm = clip_grad_norm(grads, c)
        for k in params:
            params[k] -= LR * grads[k]
        losses.append(loss)
        norms.append(norm)
    runs[name] = np.array(losses), np.array(norms), params


def at_the_end(params):
    loss, grads = loss_and_grads(params, X, Y)
    rho = np.max(np.abs(np.linalg.eigvals(params["W_hh"])))
    saturated = np.mean(np.abs(np.array(forward(params, X)[1][1:])) > 0.99)  # units with |h| > 0.99
    return loss, rho, saturated, np.linalg.norm(grads["W_hh"])


loss_u, rho_u, saturated_u, dW_hh_u = at_the_end(runs["unclipped"][2])
loss_c, rho_c, saturated_c, dW_hh_c = at_the_end(runs["clipped"][2])
norm_0 = runs["clipped"][1][0]  # the gradient at the start, the same for both runs
big_u, big_c = (np.sum(runs[name][1] > CLIP) for name in runs)  # steps with |g| > c

if __name__ == "__main__":  # printed when this file runs, not when it is imported
    print(f"gradient norm at the start: {norm_0:.3g}")
    print(f"{'at the end':17} {'loss':>8} {'rho(W_hh)':>9} {'saturated':>9} {'|dL/dW_hh|':>10} {'|g| > c':>7}")
    print(f"{'unclipped':17} {loss_u:8.3g} {rho_u:9.3g} {saturated_u:9.1%} {dW_hh_u:10.3g} {big_u:7}")
    print(f"{'clipped at c = 1':17} {loss_c:8.3g} {rho_c:9.3g} {saturated_c:9.1%} {dW_hh_c:10.3g} {big_c:7}")
