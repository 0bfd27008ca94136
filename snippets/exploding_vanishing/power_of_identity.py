import numpy as np

L = 10
X = np.array([1.0, 1.0])              # one example, x1 = x2 = 1
W_last = np.array([[0.5, 0.5]])       # distinct last layer (1 x 2): mean


def network_output(a, last_apart):
    """L layers of a*I, or L-1 of them followed by W_last."""
    h = X
    for l in range(L - 1 if last_apart else L):
        h = (a * np.eye(2)) @ h
    return (W_last @ h)[0] if last_apart else h[0]


y_all_15, y_last_15 = network_output(1.5, False), network_output(1.5, True)
y_all_05, y_last_05 = network_output(0.5, False), network_output(0.5, True)

print(f"L = {L}        all layers a*I    last layer apart")
print(f"a = 1.5   {y_all_15:14.6g}   {y_last_15:14.6g}")
print(f"a = 0.5   {y_all_05:14.6g}   {y_last_05:14.6g}")
