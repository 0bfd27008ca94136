import torch
from torch import nn

torch.manual_seed(0)
n_in, n_out = 784, 300
W = torch.empty(n_out, n_in)  # nn.Linear's layout: (out_features, in_features)
formulas = {  # the variance each scheme promises
    "lecun_normal": 1 / n_in,
    "glorot_normal": 2 / (n_in + n_out),
    "glorot_uniform": 2 / (n_in + n_out),
    "he_normal": 2 / n_in,
    "he_uniform": 2 / n_in,
}
initialisers = {
    "lecun_normal": lambda w: nn.init.kaiming_normal_(w, nonlinearity="linear"),  # gain 1
    "glorot_normal": nn.init.xavier_normal_,
    "glorot_uniform": nn.init.xavier_uniform_,
    "he_normal": nn.init.kaiming_normal_,  # default: leaky_relu, a = 0: gain √2
    "he_uniform": lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
}
sampled = {name: init(W).var().item() for name, init in initialisers.items()}

print(f"{'scheme':15} {'formula Var':>12} {'sampled Var':>12} {'ratio':>7}")
for name, var in formulas.items():
    print(f"{name:15} {var:12.4e} {sampled[name]:12.4e} {sampled[name] / var:7.4f}")
