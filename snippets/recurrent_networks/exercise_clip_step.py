import numpy as np

from recurrent_networks.rnn import clip_grad_norm

rng = np.random.default_rng(0)
W_hh, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 1))
grads = {"W_hh": W_hh, "b": b}
norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
grads = {k: g * 40 / norm for k, g in grads.items()}  # norm 40

clipped, norm_before = clip_grad_norm(grads, c=1.0)
g = np.concatenate([g.ravel() for g in grads.values()])
g_clipped = np.concatenate([g.ravel() for g in clipped.values()])
norm_after = np.linalg.norm(g_clipped)
cosine = g @ g_clipped / (np.linalg.norm(g) * norm_after)
scale = norm_after / norm_before
print(f"norm before {norm_before:.1f}, after {norm_after:.1f}")
print(f"cosine with the original {cosine:.3f}, scale factor {scale:.4f}")
