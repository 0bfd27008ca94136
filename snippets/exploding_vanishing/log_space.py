import numpy as np

a, L = 1.5, 10_000

with np.errstate(over="ignore"):      # we expect float64 to overflow here
    direct = np.prod(np.full(L, a))
direct_overflowed = bool(np.isinf(direct))

# log10(a^L) = L log10(a): an ordinary number, nothing can overflow
log10_y = L * np.log10(a)
exponent = int(np.floor(log10_y))
mantissa = 10 ** (log10_y - exponent)

note = "  <- overflowed, discard it" if direct_overflowed else ""
print(f"direct product: {direct}{note}")
print(f"log10(1.5^{L}) = {log10_y:.4f}")
print(f"1.5^{L} = {mantissa:.4f} x 10^{exponent}")
