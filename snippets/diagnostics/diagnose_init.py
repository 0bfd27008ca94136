import torch
import torch.nn.functional as F

from diagnostics.task import HIDDEN, INITS, X, mlp, y
from diagnostics.watch import show, watch

torch.manual_seed(1)
nets, stats, losses = {}, {}, {}
for name, init in INITS.items():
    nets[name] = mlp(init)
    with watch(nets[name]) as stats[name]:
        loss = F.cross_entropy(nets[name](X), y)
        loss.backward()
    losses[name] = loss.item()
    print(f"{name}: loss {losses[name]:.3f}")
    show(stats[name])
    print()

# The numbers the text quotes, per init (default, LeCun gain 5/3, std 1)
acts = [s["activations"] for s in stats.values()]  # a^[1] .. a^[12]
weights = [s["weights"] for s in stats.values()]  # W^[1] .. W^[13]
# how ||dL/da^[l]|| grows per layer on its way down, from l = 12 to l = 1
down = [(a[0]["grad"] / a[-1]["grad"]) ** (1 / (HIDDEN - 1)) for a in acts]
down_default, down_lecun, down_std1 = down
# ||dL/dW^[1]|| / ||dL/dW^[13]||
spread = [w[0]["grad"] / w[-1]["grad"] for w in weights]
spread_default, spread_lecun, spread_std1 = spread
std_default, std_lecun, std_std1 = (a[-1]["std"] for a in acts)  # layer 12
sat_default, sat_lecun, sat_std1 = (a[-1]["saturated"] for a in acts)
sat1_default, sat1_lecun, sat1_std1 = (a[0]["saturated"] for a in acts)
loss_default, loss_lecun, loss_std1 = losses.values()
