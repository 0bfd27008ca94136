import math

import torch
import torch.nn.functional as F

from diagnostics.task import INITS, C, N, X, mlp

# examples per class, N = 256 in all: an imbalanced batch, C = 10
counts = torch.tensor([96, 48, 32, 24, 16, 12, 10, 8, 6, 4])
labels = torch.repeat_interleave(torch.arange(C), counts)
freq = counts / N  # class frequencies, from 0.375 down to 0.016

torch.manual_seed(5)
net = mlp(INITS["LeCun, gain 5/3"])
torch.nn.init.zeros_(net[-1].weight)
loss_zero_bias = F.cross_entropy(net(X), labels).item()
with torch.no_grad():
    net[-1].bias.copy_(torch.log(freq))  # softmax(bias) = freq
loss_log_freq = F.cross_entropy(net(X), labels).item()
entropy = -(freq * torch.log(freq)).sum().item()  # H(freq)

print(f"zero bias:     loss {loss_zero_bias:.4f}, log C = {math.log(C):.4f}")
print(f"bias log freq: loss {loss_log_freq:.4f}, H(freq) = {entropy:.4f}")
