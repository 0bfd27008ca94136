import torch
import torch.nn.functional as F

from diagnostics.task import INITS, X, mlp, y
from diagnostics.watch import show, watch

torch.manual_seed(6)
net = mlp(INITS["LeCun, gain 5/3"])
X_raw = 3 + X  # the features before normalisation: mean 3, variance 1
saturated = {}  # per input: the saturated fraction of each layer
for name, inputs in (("normalised", X), ("mean 3", X_raw)):
    with watch(net) as stats:
        F.cross_entropy(net(inputs), y).backward()
    saturated[name] = [row["saturated"] for row in stats["activations"]]
    net.zero_grad()

print("saturated in layers 1, 2, 3 and 12:")
for name, s in saturated.items():
    cells = [f"{s[l]:6.1%}" for l in (0, 1, 2, -1)]
    print(f"  {name:10}", "  ".join(cells))
print(f"watch, inputs of mean {X_raw.mean():.2f}, std {X_raw.std():.2f}:")
show(stats)
sat1_normalised, sat1_raw = (s[0] for s in saturated.values())  # layer 1
