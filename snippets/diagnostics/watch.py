"""Paste into a training loop: per-layer statistics from hooks, and update ratios."""

from contextlib import contextmanager

from torch import nn

SATURATED = 0.99  # a tanh unit is saturated when |a| > 0.99 (slope below 1 - 0.99²)


@contextmanager
def watch(model, activation=nn.Tanh):
    """Per-layer statistics of the forward and backward passes run inside the block."""
    stats = {"activations": [], "weights": []}  # a row per activation call, per weight

    def forward_hook(module, inputs, a):  # runs once `module` has computed a
        saturated = (a.abs() > SATURATED).float().mean()
        row = {"mean": a.mean().item(), "std": a.std().item(), "saturated": saturated.item()}
        stats["activations"].append(row)
        if a.requires_grad:  # a tensor hook: runs during backward, with dL/da
            a.register_hook(lambda grad: row.update(grad=grad.norm().item()))

    def weight_hook(row):  # runs during backward, with dL/dW of this pass only
        return lambda grad: row.update(grad=grad.norm().item())

    hooked = [m for m in model.modules() if isinstance(m, activation)]
    handles = [m.register_forward_hook(forward_hook) for m in hooked]
    for name, p in model.named_parameters():
        if p.dim() > 1:  # weight matrices (and conv kernels), not biases
            stats["weights"].append(row := {"name": name, "norm": p.norm().item()})
            handles.append(p.register_hook(weight_hook(row)))
    try:
        yield stats
    finally:
        for handle in handles:
            handle.remove()


@contextmanager
def update_ratio(model):
    """||ΔW|| / ||W|| for each weight matrix, over the update made inside the block."""
    weights = {name: p for name, p in model.named_parameters() if p.dim() > 1}
    before = {name: p.detach().clone() for name, p in weights.items()}
    ratios = {}
    yield ratios
    for name, p in weights.items():
        change = (p.detach() - before[name]).norm() / before[name].norm()
        ratios[name] = change.item()


def show(stats):
    """A line per layer l: its activation a^[l], then the gradient of its weight W^[l]
    (for an MLP, where activation l follows weight l)."""
    print("layer    mean    std saturated   |dL/da|   |dL/dW|")
    acts, weights = stats["activations"], stats["weights"]
    for l, w in enumerate(weights, start=1):
        left = ""  # the last layer has no activation
        if l <= len(acts):
            a = acts[l - 1]
            grad_a = a.get("grad", float("nan"))
            left = f"{a['mean']:7.3f} {a['std']:6.3f} {a['saturated']:9.1%} {grad_a:9.2e}"
        print(f"{l:5} {left:34} {w.get('grad', float('nan')):9.2e}")
