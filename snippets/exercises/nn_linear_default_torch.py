import torch
from torch import nn

torch.manual_seed(13)
n, depth, batch = 256, 50, 32
f64 = torch.float64  # the nudge's mean square reaches ~1e-39: float32's edge
x = torch.randn(batch, n, dtype=f64)  # E[x²] = 1
v = torch.randn(batch, n, dtype=f64)  # a nudge to each input, E[v²] = 1
default = [nn.Linear(n, n, dtype=f64) for _ in range(depth)]  # PyTorch's init
kaiming = [nn.Linear(n, n, dtype=f64) for _ in range(depth)]
for layer in kaiming:  # He weights, default biases kept
    nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")


@torch.no_grad()
def run(layers):
    """ReLU after each layer: RMS of a and of its nudge t after each."""
    a, t, rms, rms_nudge = x, v, [], []
    for layer in layers:
        z = layer(a)
        # the bias does not move with the input: the nudge only sees the weight
        a, t = torch.relu(z), (z > 0) * nn.functional.linear(t, layer.weight)
        rms.append(a.pow(2).mean().sqrt().item())
        rms_nudge.append(t.pow(2).mean().sqrt().item())
    return rms, rms_nudge


rms_default, nudge_default = run(default)
rms_kaiming, nudge_kaiming = run(kaiming)
floor = (5 * n) ** -0.5  # fixed point of E[a²] ← E[a²]/6 + 1/(6n)
nudge_theory = 6 ** (-depth / 2)  # E[t²] × (1/3)·(1/2) per layer
print("        default nn.Linear    kaiming_uniform_ (ReLU)")
print("layer   RMS a   RMS nudge    RMS a   RMS nudge")
for i in (1, 2, 5, 10, 20, 50):
    print(f"{i:5d} {rms_default[i - 1]:7.3f} {nudge_default[i - 1]:11.3g}"
          f" {rms_kaiming[i - 1]:8.3f} {nudge_kaiming[i - 1]:11.3g}")
print(f"theory: RMS a → 1/√(5n) = {floor:.4f}, nudge 6^-25 = {nudge_theory:.3g}")
