import torch
import torch.nn.functional as F

from diagnostics.task import INITS, X, mlp, y
from diagnostics.watch import update_ratio

torch.manual_seed(4)
LR = 1e-3
ratios, rms_w = {}, {}  # per init: Adam's first ||ΔW^[l]|| / ||W^[l]||, and RMS of W^[l]
for name, init in INITS.items():
    net = mlp(init)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    F.cross_entropy(net(X), y).backward()
    rms_w[name] = [w.pow(2).mean().sqrt().item() for w in net.parameters() if w.dim() > 1]
    with update_ratio(net) as r:
        opt.step()
    ratios[name] = list(r.values())

print(f"Adam, lr = {LR}: first update's ||ΔW^[l]|| / ||W^[l]||, and lr / RMS(W^[l])")
print("layer" + "".join(f"{name:>22}" for name in ratios))
for l in range(len(ratios["std 1"])):
    cells = [f"{ratios[n][l]:11.2e} {LR / rms_w[n][l]:10.2e}" for n in ratios]
    print(f"{l + 1:5}" + "".join(cells))
