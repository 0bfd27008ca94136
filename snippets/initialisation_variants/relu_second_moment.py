import numpy as np

rng = np.random.default_rng(4)
z = rng.standard_normal(1_000_000)  # pre-activations, Var(z) = 1
a = np.maximum(z, 0)                # ReLU

second_moment = np.mean(a**2)       # E[relu(z)²]: theory 1/2
variance = a.var()                  # Var(relu(z)): theory 1/2 - 1/(2π)
std_ratio = z.std() / a.std()       # theory 1/√(1/2 - 1/(2π))
var_theory = 0.5 - 1 / (2 * np.pi)
print(f"E[relu(z)²]      = {second_moment:.4f}   (theory 0.5)")
print(f"Var(relu(z))     = {variance:.4f}   (theory {var_theory:.4f})")
print(f"std(z)/std(relu) = {std_ratio:.4f}   (theory {var_theory**-0.5:.4f})")
print(f"√2               = {np.sqrt(2):.4f}")

# "Matching the std" would mean Var(w) = c/n with c = std_ratio²;
# after 50 ReLU layers the RMS would be (c/2)^25 times too large.
c_matched = std_ratio**2
rms_growth_50 = (c_matched / 2) ** (50 / 2)
