import numpy as np

limits = {}                           # limits[dtype name][quantity]
for name in ["float16", "float32", "float64"]:
    info = np.finfo(name)
    # overflow and underflow are the point here, so allow them explicitly
    with np.errstate(over="ignore", under="ignore"):
        up = np.cumprod(np.full(2000, 1.5, dtype=name))    # up[L-1] = 1.5^L
        down = np.cumprod(np.full(1100, 0.5, dtype=name))  # 0.5^L
    tiny = info.smallest_normal
    limits[name] = {
        "largest value": float(info.max),
        "1.5^L reaches it at L =": np.log(float(info.max)) / np.log(1.5),
        "1.5^L is inf from L =": int(np.argmax(np.isinf(up))) + 1,
        "smallest normal": float(tiny),
        "0.5^L subnormal from L =": int(np.argmax(down < tiny)) + 1,
        "0.5^L is 0 from L =": int(np.argmax(down == 0)) + 1,
    }

print(" " * 24 + "".join(f"{name:>12}" for name in limits))
for row in limits["float32"]:
    fmt = ".1f" if "reaches" in row else ".5g"
    cells = "".join(f"{col[row]:>12{fmt}}" for col in limits.values())
    print(f"{row:<24}" + cells)

f16, f32 = limits["float16"], limits["float32"]
f16_overflow_depth = f16["1.5^L reaches it at L ="]
f32_overflow_depth = f32["1.5^L reaches it at L ="]
f16_inf_from = f16["1.5^L is inf from L ="]
f32_inf_from = f32["1.5^L is inf from L ="]
f32_subnormal_from = f32["0.5^L subnormal from L ="]
f32_zero_from = f32["0.5^L is 0 from L ="]
f32_last_normal = f32_subnormal_from - 1
f32_last_nonzero = f32_zero_from - 1
