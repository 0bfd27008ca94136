import numpy as np

from exploding_vanishing.bfloat16_rounding import bfloat16

formats = {"float16": np.float16, "bfloat16": bfloat16,
           "float32": np.float32, "float64": np.float64}
limits = {}                           # limits[format name][quantity]
for name, rounded in formats.items():
    if name == "bfloat16":            # float32's exponents, 7 mantissa bits
        largest, tiny = (2 - 2.0**-7) * 2.0**127, 2.0**-126
    else:
        info = np.finfo(name)
        largest, tiny = float(info.max), float(info.smallest_normal)
    up, down = [rounded(1.0)], [rounded(1.0)]  # up[L] = 1.5^L, down[L] = 0.5^L
    with np.errstate(over="ignore", under="ignore"):  # the point: allow them
        while not np.isinf(up[-1]):
            up.append(rounded(up[-1] * 1.5))  # rounded after every layer
        while down[-1] != 0:
            down.append(rounded(down[-1] * 0.5))
    limits[name] = {
        "largest value": largest,
        "1.5^L reaches it at L =": np.log(largest) / np.log(1.5),
        "1.5^L is inf from L =": len(up) - 1,
        "smallest normal": tiny,
        "0.5^L subnormal from L =": int(np.argmax(np.array(down) < tiny)),
        "0.5^L is 0 from L =": len(down) - 1,
    }

print(" " * 24 + "".join(f"{name:>11}" for name in limits))
for row in limits["float32"]:
    fmt = ".1f" if "reaches" in row else ".4g"
    cells = "".join(f"{col[row]:>11{fmt}}" for col in limits.values())
    print(f"{row:<24}{cells}")

f16, bf16, f32 = limits["float16"], limits["bfloat16"], limits["float32"]
f16_overflow_depth = f16["1.5^L reaches it at L ="]
f32_overflow_depth = f32["1.5^L reaches it at L ="]
f16_inf_from = f16["1.5^L is inf from L ="]
f32_inf_from = f32["1.5^L is inf from L ="]
bf16_inf_from = bf16["1.5^L is inf from L ="]
bf16_zero_from = bf16["0.5^L is 0 from L ="]
f32_subnormal_from = f32["0.5^L subnormal from L ="]
f32_zero_from = f32["0.5^L is 0 from L ="]
f32_last_normal = f32_subnormal_from - 1
f32_last_nonzero = f32_zero_from - 1
