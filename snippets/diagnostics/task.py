import torch
from torch import nn

torch.manual_seed(0)
N, D, C = 256, 32, 10  # examples, input features, classes
WIDTH, HIDDEN = 128, 12  # 12 tanh layers of width 128, then a layer to C logits
X = torch.randn(N, D)  # inputs already normalised: mean 0, variance 1
y = (X @ torch.randn(D, C)).argmax(dim=1)  # labels from a random linear "teacher"

INITS = {  # how each nn.Linear weight is drawn; None keeps PyTorch's default
    "PyTorch default": None,  # U(±1/√n_in): Var(w) = 1/(3 n_in); bias alike
    "LeCun, gain 5/3": lambda w: nn.init.kaiming_normal_(w, nonlinearity="tanh"),
    "std 1": lambda w: nn.init.normal_(w, std=1.0),  # randn with no 1/√n
}


def mlp(init=None):
    widths = [D] + [WIDTH] * HIDDEN
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(n_in, n_out), nn.Tanh()]
    net = nn.Sequential(*layers, nn.Linear(WIDTH, C))
    for layer in net:
        if init is not None and isinstance(layer, nn.Linear):
            init(layer.weight)
            nn.init.zeros_(layer.bias)
    return net
