import numpy as np

CUT = 1 - 0.99**2  # saturated: g'(z) < CUT · max g'
z_tanh = 0.5 * np.log(199)  # artanh(0.99) = ½ ln(1.99 / 0.01)
z_sigmoid = 2 * z_tanh  # σ'(z) = tanh'(z/2) / 4
sigma_at = 1 / (1 + np.exp(-z_sigmoid))  # σ there: 199/200

tanh_slope = 1 - np.tanh(z_tanh) ** 2  # should equal CUT
sigmoid_slope = sigma_at * (1 - sigma_at)  # should equal CUT / 4
print(f"tanh:    |z| > {z_tanh:.4f}; there tanh' = {tanh_slope:.6f} = CUT")
print(f"sigmoid: |z| > {z_sigmoid:.4f}; there σ' = {sigmoid_slope:.7f} = CUT / 4")
print(f"         and σ = {sigma_at:.4f}")
