import numpy as np

from nets.mlp import backward, forward, init_params

WIDTH, DEPTH, BATCH, SEED = 256, 50, 64, 0
INITS = ["small", "lecun", "he", "large"]  # std 0.01, √(1/n), √(2/n), 10
dims = [WIDTH] * (DEPTH + 1)
X = np.random.default_rng(1).standard_normal((WIDTH, BATCH))  # E[x²] = 1
# a unit-variance gradient dJ/dZ[L] injected at the top
dZ_L = np.random.default_rng(2).standard_normal((WIDTH, BATCH))

act_std, act_q, grad_std, grad_q, saturated = {}, {}, {}, {}, {}
for act in ["tanh", "relu"]:
    for init in INITS:
        rng = np.random.default_rng(SEED)  # same draw for every init
        params = init_params(dims, init, rng)
        _, caches = forward(params, X, hidden=act, output=act)
        grads = backward(params, caches, dZ_L)
        A = [c[2] for c in caches]  # A[l] for l = 1..L (index l - 1)
        dA = [g[2] for g in grads]  # dJ/dA[l] for l = 0..L-1 (index l)
        key = (act, init)
        act_std[key] = np.array([a.std() for a in A])
        act_q[key] = np.array([np.mean(a**2) for a in A])  # second moment E[a²]
        grad_std[key] = np.array([d.std() for d in dA])
        grad_q[key] = np.array([np.mean(d**2) for d in dA])
        saturated[key] = np.array([np.mean(np.abs(a) > 0.99) for a in A])

q30_lecun_relu = act_q["relu", "lecun"][29]  # E[a²] at layer 30; He et al.: 2^-30
q30_predicted = 2.0**-30
he_relu_q50 = act_q["relu", "he"][-1]
tanh_lecun_std_50 = act_std["tanh", "lecun"][-1]
tanh_he_std_50 = act_std["tanh", "he"][-1]
tanh_he_grad_0 = grad_std["tanh", "he"][0]
tanh_large_saturated = saturated["tanh", "large"].mean()
tanh_large_grad_0 = grad_std["tanh", "large"][0]

print(f"{'':13}  std(A[1])  std(A[50])  std(dJ/dA[0])")
for (act, init), s in act_std.items():
    g0 = grad_std[act, init][0]
    print(f"{act:4} {init:8}  {s[0]:9.3g}  {s[-1]:10.3g}  {g0:13.3g}")
