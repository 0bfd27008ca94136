import numpy as np


def bfloat16(x):
    """Round x to bfloat16, which NumPy lacks: keep a float32's top 16 bits
    (sign, 8 exponent bits, 7 mantissa bits), to nearest, ties to even."""
    bits = int(np.float32(x).view(np.uint32))
    bits = (bits + 0x7FFF + (bits >> 16 & 1)) & 0xFFFF0000
    return np.uint32(bits).view(np.float32)


if __name__ == "__main__":           # runs when this file is the snippet
    for x in [1.5**9, 1.5**10, 0.1]:
        print(f"{x:<12.10g} in bfloat16: {bfloat16(x):.10g}")
