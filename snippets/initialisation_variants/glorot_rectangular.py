import numpy as np

rng = np.random.default_rng(3)
widths = [784, 300, 100, 10]
fans = list(zip(widths[:-1], widths[1:]))  # (n_in, n_out) of each layer
schemes = {"fan-in 1/n_in": lambda i, o: 1 / i,
           "fan-out 1/n_out": lambda i, o: 1 / o,
           "Glorot 2/(n_in+n_out)": lambda i, o: 2 / (i + o)}
x = rng.standard_normal((2000, widths[0]))   # a batch of unit-variance inputs
g = rng.standard_normal((2000, widths[-1]))  # unit-variance gradients at the output

forward, backward = {}, {}
for name, var_w in schemes.items():
    Ws = [rng.standard_normal((o, i)) * np.sqrt(var_w(i, o)) for i, o in fans]
    a, fwd = x, []
    for W in Ws:          # linear net: a^[l] = W^[l] a^[l-1]
        a = a @ W.T
        fwd.append(a.var())
    d, bwd = g, []
    for W in Ws[::-1]:    # backward: dL/da^[l-1] = W^[l]ᵀ dL/da^[l]
        d = d @ W
        bwd.append(d.var())
    forward[name], backward[name] = np.array(fwd), np.array(bwd[::-1])

print(f"{'':22} {'Var a^[1], a^[2], a^[3]':24} | Var dL/da^[0], [1], [2]")
for name in schemes:
    fwd = np.array2string(forward[name], precision=3)
    bwd = np.array2string(backward[name], precision=3)
    print(f"{name:22} {fwd:24} | {bwd}")

fan_in_bwd_at_input = backward["fan-in 1/n_in"][0]     # theory 10/784
fan_out_fwd_at_output = forward["fan-out 1/n_out"][-1]  # theory 784/10
glorot_fwd_at_output = forward["Glorot 2/(n_in+n_out)"][-1]
glorot_bwd_at_input = backward["Glorot 2/(n_in+n_out)"][0]
