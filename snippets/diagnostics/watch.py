"""Paste into a training loop: per-layer statistics from hooks, update ratios."""

from contextlib import contextmanager

from torch import nn

# a tanh unit is saturated when |a| > 0.99 (its slope is below 1 - 0.99²)
SATURATED = 0.99


@contextmanager
def watch(model, activation=nn.Tanh):
    """Per-layer statistics of the forward and backward passes in the block."""
    stats = {"activations": [], "weights": []}  # a row per call, per weight

    def forward_hook(module, inputs, a):  # runs once `module` has computed a
        row = {
            "mean": a.mean().item(),
            "std": a.std().item(),
            "saturated": (a.abs() > SATURATED).float().mean().item(),
        }
        stats["activations"].append(row)
        if a.requires_grad:  # a tensor hook: runs during backward, with dL/da
            a.register_hook(lambda grad: row.update(grad=grad.norm().item()))

    def weight_hook(row):  # runs during backward, with this pass's dL/dW
        return lambda grad: row.update(grad=grad.norm().item())

    hooked = [m for m in model.modules() if isinstance(m, activation)]
    handles = [m.register_forward_hook(forward_hook) for m in hooked]
    for name, p in model.named_parameters():
        if p.dim() > 1:  # weight matrices (and conv kernels), not biases
            row = {"name": name, "norm": p.norm().item()}
            stats["weights"].append(row)
            handles.append(p.register_hook(weight_hook(row)))
    try:
        yield stats
    finally:
        for handle in handles:
            handle.remove()


@contextmanager
def update_ratio(model):
    """||ΔW|| / ||W|| of each weight matrix, for the update made in the block."""
    weights = {name: p for name, p in model.named_parameters() if p.dim() > 1}
    before = {name: p.detach().clone() for name, p in weights.items()}
    ratios = {}
    yield ratios
    for name, p in weights.items():
        change = (p.detach() - before[name]).norm() / before[name].norm()
        ratios[name] = change.item()


def show(stats):
    """A line per layer l: activation a^[l], then the gradient of weight W^[l]
    (for an MLP, where activation l follows weight l)."""
    print("layer    mean    std saturated   |dL/da|   |dL/dW|")
    acts, weights = stats["activations"], stats["weights"]
    for l, w in enumerate(weights, start=1):
        left = ""  # the last layer has no activation
        if l <= len(acts):
            a = acts[l - 1]
            mean, std, sat = a["mean"], a["std"], a["saturated"]
            grad_a = a.get("grad", float("nan"))
            left = f"{mean:7.3f} {std:6.3f} {sat:9.1%} {grad_a:9.2e}"
        print(f"{l:5} {left:34} {w.get('grad', float('nan')):9.2e}")
