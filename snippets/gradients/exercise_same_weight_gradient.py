import numpy as np

from gradients.linear_backprop import backward, forward

L, a = 30, 1.1
X = np.array([[1.0], [1.0]])
Y = np.array([[1.0], [0.0]])
Ws = [a * np.eye(2) for _ in range(L)]
acts = forward(Ws, X)
dA, dW = backward(Ws, acts, Y)

# dW^[l] = dL/dz^[l] a^[l-1]^T = (a^(L-l) (y_hat - y)) (a^(l-1) x)^T
predicted = a ** (L - 1) * (acts[-1] - Y) @ X.T
scale = np.max(np.abs(predicted))
worst = max(np.max(np.abs(d - predicted)) / scale for d in dW)
print("every dW^[l] equals a^(L-1) (y_hat - y) x^T;"
      f" largest relative gap {worst:.1e}")
