import numpy as np

from nets.mlp import forward, init_params, train

rng = np.random.default_rng(6)
X = rng.standard_normal((2, 50))
Y = (rng.random((1, 50)) < 0.3).astype(float)  # each label is 1 with probability 0.3
names = [f"{P}[{l}]" for l in (1, 2, 3) for P in "Wb"]
first_change, nets = {}, {}  # per starting bias: {parameter: first step it changed}
for b_start in (0.0, 0.1):
    params = nets[b_start] = init_params([2, 10, 5, 1], "zeros", rng)  # weights 0
    for W, b in params:
        b[...] = b_start
    first_change[b_start] = {}
    for step in range(1, 301):
        before = [P.copy() for layer in params for P in layer]
        train(params, X, Y, "relu", "sigmoid", "bce", lr=0.5, steps=1)  # one step
        after = [P for layer in params for P in layer]
        for name, P, P0 in zip(names, after, before):
            if np.any(P != P0):
                first_change[b_start].setdefault(name, step)
    print(f"biases start at {b_start}: first step that changed each parameter:")
    print("   ", first_change[b_start])
y_hat_zero = forward(nets[0.0], X, hidden="relu", output="sigmoid")[0]  # (1, 50)
print(f"all-zero start, outputs after 300 steps: {np.unique(y_hat_zero)}")
print(f"fraction of labels equal to 1: {Y.mean()}")
