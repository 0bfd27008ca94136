import numpy as np

N, T = 32, 100
rng = np.random.default_rng(0)
G = rng.standard_normal((N, N))
G /= np.max(np.abs(np.linalg.eigvals(G)))  # spectral radius exactly 1
h0 = rng.standard_normal((N, 1))

norms = {}  # rho -> (linear, tanh): ||dh_t/dh_0||_2 for t = 1..T
for rho in (0.9, 1.0, 1.1):
    W = rho * G
    J_lin, J_tanh, h = np.eye(N), np.eye(N), h0
    lin, tanh = [], []
    for t in range(T):
        h = np.tanh(W @ h)
        J_lin = W @ J_lin  # dh_t/dh_0 = W^t
        J_tanh = (1 - h**2) * (W @ J_tanh)  # diag(tanh'(z_t)) W dh_{t-1}/dh_0
        lin.append(np.linalg.norm(J_lin, 2))
        tanh.append(np.linalg.norm(J_tanh, 2))
    norms[rho] = np.array(lin), np.array(tanh)

(lin_09, tanh_09), (lin_10, tanh_10), (lin_11, tanh_11) = norms.values()
rates = [lin[-1] ** (1 / T) for lin in (lin_09, lin_10, lin_11)]  # ||W^T||^(1/T)
rate_09, rate_10, rate_11 = rates
norm_W_09 = np.linalg.norm(0.9 * G, 2)  # the most one step can stretch
norm_W_11 = np.linalg.norm(1.1 * G, 2)
t_below_one = 1 + np.argmax(lin_09 < 1)  # first t with ||(0.9 G)^t|| < 1
end_lin_11, end_tanh_11, power_11 = lin_11[-1], tanh_11[-1], 1.1**T

if __name__ == "__main__":  # printed when run, not when imported
    print(" rho  ||W||_2    t     rho^t    linear      tanh")
    for rho, (lin, tanh) in norms.items():
        norm_W = np.linalg.norm(rho * G, 2)
        for t in (10, 50, 100):
            row = rho**t, lin[t - 1], tanh[t - 1]
            print(f"{rho:4} {norm_W:8.2f} {t:4}", *(f"{v:9.2e}" for v in row))
    print(f"||W^T||^(1/T), T = 100: {rate_09:.4f} {rate_10:.4f} {rate_11:.4f}")
