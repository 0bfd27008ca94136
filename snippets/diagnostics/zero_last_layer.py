import torch
import torch.nn.functional as F

from diagnostics.task import INITS, X, mlp, y
from diagnostics.watch import watch

STEPS, LR = 10, 0.1
# per last layer, after t updates: ||dL/dW^[l]|| for l = 1..13, and the loss
grads, losses = {}, {}
for head in ("LeCun, gain 5/3", "zero"):
    torch.manual_seed(3)  # the same hidden layers for both
    net = mlp(INITS["LeCun, gain 5/3"])
    if head == "zero":
        torch.nn.init.zeros_(net[-1].weight)  # its bias is 0 already
    grads[head], losses[head] = [], []
    for t in range(STEPS + 1):
        net.zero_grad()
        with watch(net) as stats:
            loss = F.cross_entropy(net(X), y)
            loss.backward()
        grads[head].append([row["grad"] for row in stats["weights"]])
        losses[head].append(loss.item())
        with torch.no_grad():
            for p in net.parameters():
                p -= LR * p.grad  # one SGD step

g0 = grads["zero"][0]
print("zero last layer, before any update:")
print(f"  largest ||dL/dW^[l]|| for l = 1..12: {max(g0[:-1])}")
print(f"  ||dL/dW^[13]||: {g0[-1]:.3f}")
print("                loss       ||dL/dW^[1]||")
print("   t    LeCun    zero     LeCun     zero   (after t SGD updates)")
for t in (0, 1, 2, 5, 10):
    l_lecun, l_zero = (losses[head][t] for head in losses)
    g_lecun, g_zero = (grads[head][t][0] for head in grads)
    print(f"{t:4} {l_lecun:8.3f} {l_zero:7.3f} {g_lecun:9.2e} {g_zero:8.2e}")
loss10_lecun, loss10_zero = (losses[head][10] for head in losses)
grad1_lecun, grad1_zero = (grads[head][1][0] for head in grads)  # layer 1
