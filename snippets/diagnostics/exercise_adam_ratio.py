import torch
import torch.nn.functional as F

from diagnostics.task import INITS, X, mlp, y
from diagnostics.watch import update_ratio

torch.manual_seed(4)
LR = 1e-3
# per init: ||ΔW^[l]|| / ||W^[l]|| of Adam's first update; RMS(W^[l])
ratios, rms_w = {}, {}
for name, init in INITS.items():
    net = mlp(init)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    F.cross_entropy(net(X), y).backward()
    weights = [p for p in net.parameters() if p.dim() > 1]
    rms_w[name] = [w.pow(2).mean().sqrt().item() for w in weights]
    with update_ratio(net) as r:
        opt.step()
    ratios[name] = list(r.values())

print(f"Adam, lr = {LR}: ||ΔW^[l]|| / ||W^[l]||, and lr / RMS(W^[l])")
print("layer" + "".join(f"{name:>22}" for name in ratios))
for l in range(len(ratios["std 1"])):
    pairs = [(ratios[n][l], LR / rms_w[n][l]) for n in ratios]
    print(f"{l + 1:5}" + "".join(f"{r:11.2e} {p:10.2e}" for r, p in pairs))
