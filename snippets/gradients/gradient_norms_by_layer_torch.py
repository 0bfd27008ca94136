import torch
from torch import nn

L = 30
x = torch.tensor([[1.0, 1.0]])  # one example, as a row: (batch, features)
y = torch.tensor([[1.0, 0.0]])
scales = [0.5, 0.9, 1.0, 1.1, 1.5]

grad_a, grad_W = {}, {}  # norms per layer, for each a
for a in scales:
    net = nn.Sequential(*[nn.Linear(2, 2, bias=False) for _ in range(L)])
    with torch.no_grad():
        for layer in net:
            layer.weight.copy_(a * torch.eye(2))  # W^[l] = a I
    acts = [x.clone().requires_grad_()]  # a^[0] = x, then a^[1] .. a^[L]
    for layer in net:
        acts.append(layer(acts[-1]))
        acts[-1].retain_grad()  # keep dL/da^[l] for this intermediate tensor
    loss = 0.5 * (acts[-1] - y).pow(2).sum()
    loss.backward()
    grad_a[a] = [h.grad.norm().item() for h in acts]  # l = 0 .. L
    grad_W[a] = [lin.weight.grad.norm().item() for lin in net]  # l = 1 .. L

print("  a    |dL/da0| / |dL/dy_hat|   a^L          |dL/dW^[l]|, all l")
for a in scales:
    ratio = grad_a[a][0] / grad_a[a][L]
    print(f"{a:4}   {ratio:<22.4g}   {a**L:<10.4g}   "
          f"{min(grad_W[a]):.4g} to {max(grad_W[a]):.4g}")
