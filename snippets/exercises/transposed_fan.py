import numpy as np

widths = [784, 512, 256, 128, 64]
x = np.random.default_rng(14).standard_normal((2000, widths[0]))  # E[x²] = 1


def second_moments(fan_axis):
    """E[a²] after each ReLU layer; He init, fan read from W.shape[fan_axis]."""
    rng = np.random.default_rng(15)  # the same weight draws for both calls
    a, out = x, []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        W = rng.standard_normal((n_out, n_in))  # this code's layout: (n_out, n_in)
        W *= np.sqrt(2 / W.shape[fan_axis])
        a = np.maximum(a @ W.T, 0)
        out.append(np.mean(a**2))
    return np.array(out)


right = second_moments(fan_axis=1)  # fan_in = W.shape[1]
bug = second_moments(fan_axis=0)    # from a (n_in, n_out) layout: fan_out
print("E[a²], fan from shape[1]:", np.array2string(right, precision=3))
print("E[a²], fan from shape[0]:", np.array2string(bug, precision=3))
print("ratio bug / right       :", np.array2string(bug / right, precision=3))
right_at_output, bug_at_output = right[-1], bug[-1]
ratio_at_output = bug_at_output / right_at_output
