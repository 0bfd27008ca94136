import numpy as np

rng = np.random.default_rng(12)
n, depth, batch = 256, 50, 32
x = rng.standard_normal((batch, n))
scales = {  # numpy's normal(loc, scale) takes the standard deviation
    "normal(0, np.sqrt(1/n))": np.sqrt(1 / n),  # right: Var(w) = 1/n
    "normal(0, 1/n)": 1 / n,  # variance passed as std: Var = 1/n²
    "normal(0, np.sqrt(1/np.sqrt(n)))": n**-0.25,  # 1/√n read as a variance
}
final_std, saturated = {}, {}
for code, scale in scales.items():
    a = x
    for _ in range(depth):
        a = np.tanh(a @ rng.normal(0, scale, size=(n, n)).T)
    final_std[code] = a.std()
    saturated[code] = np.mean(np.abs(a) > 0.99)  # tanh'(z) < 0.02 there
    print(f"{code:33} std {final_std[code]:9.3g}  saturated {saturated[code]:.0%}")

right, var_as_std, misread = scales  # the three lines, in order
std_right, std_var_as_std, std_misread = (final_std[k] for k in scales)
saturated_misread = saturated[misread]
