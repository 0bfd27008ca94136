import torch
from torch import nn

WIDTH, DEPTH, BATCH = 256, 50, 64
torch.manual_seed(0)
f64 = torch.float64  # the too-large ReLU rows reach 1e102, past float32's 3e38
X = torch.randn(BATCH, WIDTH, dtype=f64)  # one example per row, E[x²] = 1
dZ_L = torch.randn(BATCH, WIDTH, dtype=f64)  # gradient injected at Z[50]
inits = {  # std 0.01, √(1/n) (gain 1), √(2/n) (ReLU's gain √2), 10
    "small": lambda w: nn.init.normal_(w, std=0.01),
    "lecun": lambda w: nn.init.kaiming_normal_(w, nonlinearity="linear"),
    "he": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
    "large": lambda w: nn.init.normal_(w, std=10.0),
}
layers = [nn.Linear(WIDTH, WIDTH, bias=False, dtype=f64) for _ in range(DEPTH)]
for layer in layers:
    layer.requires_grad_(False)  # only gradients w.r.t. activations are wanted

act_std, grad_std = {}, {}
for init, init_ in inits.items():
    for layer in layers:
        init_(layer.weight)  # one draw per init, used for both activations
    for act, g in {"tanh": torch.tanh, "relu": torch.relu}.items():
        A = [X.clone().requires_grad_()]  # A[0], then A[1] .. A[50]
        for layer in layers:
            z = layer(A[-1])
            A.append(g(z))
            A[-1].retain_grad()
        z.backward(dZ_L)  # backpropagate dJ/dZ[50] = dZ_L
        act_std[act, init] = [a.std().item() for a in A[1:]]
        grad_std[act, init] = [a.grad.std().item() for a in A[:-1]]

print(f"{'':13}  std(A[1])  std(A[50])  std(dJ/dA[0])")
for act in ("tanh", "relu"):
    for init in inits:
        s, g0 = act_std[act, init], grad_std[act, init][0]
        print(f"{act:4} {init:8}  {s[0]:9.3g}  {s[-1]:10.3g}  {g0:13.3g}")
