import math

import torch
import torch.nn.functional as F
from torch import nn

from diagnostics.task import INITS, C, X, mlp, y

torch.manual_seed(2)
net = mlp(INITS["LeCun, gain 5/3"])  # only the last layer changes below
head = net[-1].weight
lecun_head = head.detach().clone()
heads = {
    "std 1": lambda w: nn.init.normal_(w, std=1.0),
    "LeCun, gain 5/3": lambda w: w.copy_(lecun_head),
    "LeCun x 0.01": lambda w: w.copy_(0.01 * lecun_head),
    "zero": nn.init.zeros_,
}
z = torch.randn(100_000, C)  # for E[loss] when the logits are iid N(0, s²)

print(f"log C = log {C} = {math.log(C):.4f}")
print("last layer       logit std s     loss  E[loss] at s")
logit_std, loss, expected = {}, {}, {}
for name, init in heads.items():
    with torch.no_grad():
        init(head)
        logits = net(X)
    s = logit_std[name] = logits.std().item()
    loss[name] = F.cross_entropy(logits, y).item()
    expected[name] = torch.logsumexp(s * z, dim=1).mean().item()  # E[z_y] = 0
    print(f"{name:16} {s:11.4f} {loss[name]:8.4f} {expected[name]:13.4f}")

log_C = math.log(C)
s_std1, s_lecun = logit_std["std 1"], logit_std["LeCun, gain 5/3"]
loss_std1, loss_lecun, loss_small, loss_zero = loss.values()
expected_std1 = expected["std 1"]
