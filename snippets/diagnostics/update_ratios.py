import torch
import torch.nn.functional as F

from diagnostics.task import INITS, X, mlp, y
from diagnostics.watch import update_ratio

torch.manual_seed(4)
STEPS, LR = 20, 0.1
ratios, losses = {}, {}  # ratios[name][t][l - 1]: ||ΔW^[l]|| / ||W^[l]||
for name, init in INITS.items():
    net = mlp(init)
    ratios[name], losses[name] = [], []
    for t in range(STEPS):
        net.zero_grad()
        loss = F.cross_entropy(net(X), y)
        loss.backward()
        with torch.no_grad(), update_ratio(net) as r:
            for p in net.parameters():  # torch.optim.SGD's step, written out
                p -= LR * p.grad
        ratios[name].append(list(r.values()))
        losses[name].append(loss.item())

print(f"||ΔW^[l]|| / ||W^[l]|| at the first SGD update (lr = {LR})")
print("layer" + "".join(f"{name:>17}" for name in ratios))
for l in range(len(ratios["std 1"][0])):
    print(f"{l + 1:5}" + "".join(f"{r[0][l]:17.1e}" for r in ratios.values()))
cells = [f"{v[0]:>10.2f} → {v[-1]:<5.2f}" for v in losses.values()]
print("loss " + "".join(cells))
print(f"(the loss before the first update and before update {STEPS})")

first = [r[0] for r in ratios.values()]  # the first update, per init
r1_default, r1_lecun, r1_std1 = (r[0] for r in first)  # layer 1
r13_default = first[0][-1]  # layer 13
lecun_min, lecun_max = min(first[1]), max(first[1])
lecun20_hidden_max = max(ratios["LeCun, gain 5/3"][-1][:-1])  # update 20
loss0_default, loss0_lecun, loss0_std1 = (v[0] for v in losses.values())
loss19_default, loss19_lecun, loss19_std1 = (v[-1] for v in losses.values())
