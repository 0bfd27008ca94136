import torch
from torch import nn

WIDTH, DEPTH, BATCH = 256, 50, 64
torch.manual_seed(0)
GAIN = nn.init.calculate_gain("tanh")  # 5/3: std = GAIN · √(1/n)
layers = [nn.Linear(WIDTH, WIDTH, bias=False) for _ in range(DEPTH)]
for layer in layers:
    nn.init.kaiming_normal_(layer.weight, nonlinearity="tanh")  # fan_in, GAIN
    layer.requires_grad_(False)  # only gradients w.r.t. activations are wanted
X = torch.randn(BATCH, WIDTH)  # one example per row, E[x²] = 1
dZ_L = torch.randn(BATCH, WIDTH)  # gradient injected at Z[50]

A = [X.requires_grad_()]  # A[0], then A[1] .. A[50]
for layer in layers:
    z = layer(A[-1])
    A.append(torch.tanh(z))
    A[-1].retain_grad()
z.backward(dZ_L)
rms_50 = A[-1].pow(2).mean().sqrt().item()  # RMS of A[50]
ms_0, ms_49 = A[0].grad.pow(2).mean(), A[-2].grad.pow(2).mean()  # dJ/dA[l]
grad_growth = (ms_0 / ms_49).sqrt().item()  # RMS, layer 49 -> 0

print(f"RMS of A[{DEPTH}]: {rms_50:.3f}")
print(f"gradient RMS, layer {DEPTH - 1} down to 0: x{grad_growth:.3g}")
