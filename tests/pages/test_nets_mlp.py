"""Tests of the shared NumPy MLP (snippets/nets/mlp.py) against finite differences and formulas."""

import numpy as np
import pytest

from nets.mlp import (
    ACTIVATIONS,
    backward,
    forward,
    init_params,
    init_std,
    loss_and_grad,
    orthogonal,
    stack_params,
    train,
)

# (hidden activation, output activation, loss): every activation appears as hidden and output.
CASES = [
    ("linear", "linear", "mse"),
    ("tanh", "tanh", "mse"),
    ("relu", "relu", "mse"),
    ("sigmoid", "sigmoid", "mse"),
    ("relu", "sigmoid", "bce"),
    ("tanh", "sigmoid", "bce"),
]
DIMS = [3, 5, 4, 2]


def _problem(hidden, output, loss, seed=0):
    rng = np.random.default_rng(seed)
    params = init_params(DIMS, "glorot", rng)
    for _, b in params:  # non-zero biases so db is exercised away from b = 0
        b += 0.1 * rng.standard_normal(b.shape)
    X = rng.standard_normal((DIMS[0], 6))
    Y = rng.random((DIMS[-1], 6)) if loss == "bce" else rng.standard_normal((DIMS[-1], 6))
    return params, X, Y


def _loss(params, X, Y, hidden, output, loss):
    _, caches = forward(params, X, hidden, output)
    return loss_and_grad(caches, Y, loss)[0]


def _numeric_grad(f, x, eps=1e-6):
    """Central differences of scalar f() w.r.t. every entry of array x (perturbed in place)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f()
        x[i] = old - eps
        fm = f()
        x[i] = old
        g[i] = (fp - fm) / (2 * eps)
    return g


# Central differences have truncation error O(eps^2 * f''') ~ 1e-12 and rounding error
# O(machine eps * |J| / eps) ~ 1e-10 at eps = 1e-6; rtol 1e-6 / atol 1e-8 leaves a wide margin
# yet catches any wrong factor, sign or transpose (those are O(1) relative errors).
RTOL, ATOL = 1e-6, 1e-8


@pytest.mark.parametrize("hidden,output,loss", CASES)
def test_backward_matches_finite_differences_for_weights_and_biases(hidden, output, loss):
    params, X, Y = _problem(hidden, output, loss)
    _, caches = forward(params, X, hidden, output)
    grads = backward(params, caches, loss_and_grad(caches, Y, loss)[1])
    assert len(grads) == len(params)
    for (W, b), (dW, db, _) in zip(params, grads):
        assert dW.shape == W.shape and db.shape == b.shape
        f = lambda: _loss(params, X, Y, hidden, output, loss)  # noqa: E731
        np.testing.assert_allclose(dW, _numeric_grad(f, W), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(db, _numeric_grad(f, b), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("hidden,output,loss", CASES)
def test_backward_gradient_wrt_each_layers_input(hidden, output, loss):
    # grads[l-1][2] is dJ/dA[l-1]; check it by perturbing A[l-1] and running layers l..L only.
    params, X, Y = _problem(hidden, output, loss, seed=1)
    _, caches = forward(params, X, hidden, output)
    grads = backward(params, caches, loss_and_grad(caches, Y, loss)[1])
    for l in range(1, len(params) + 1):
        A_prev = caches[l - 1][0].copy()
        f = lambda: _loss(params[l - 1 :], A_prev, Y, hidden, output, loss)  # noqa: E731
        np.testing.assert_allclose(grads[l - 1][2], _numeric_grad(f, A_prev), rtol=RTOL, atol=ATOL)


def test_activations_match_their_definitions():
    Z = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"][0](Z), 1 / (1 + np.exp(-Z)), rtol=1e-14)
    np.testing.assert_allclose(ACTIVATIONS["relu"][0](Z), np.where(Z > 0, Z, 0.0))
    np.testing.assert_allclose(ACTIVATIONS["tanh"][0](Z), np.tanh(Z))
    # The sigmoid is written through tanh so that huge |Z| gives exactly 0 or 1, without an
    # overflow warning (warnings are errors here) that 1 / (1 + exp(-Z)) raises at Z = -1000.
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"][0](np.array([-1e3, 1e3])), [0.0, 1.0])


def test_bce_stays_finite_when_the_sigmoid_saturates():
    # A saturated wrong prediction: Z = -800 with Y = 1. log(A) would be log(0) = -inf;
    # the log-sum-exp form gives the exact value log(1 + e^-800) - (-800) = 800 (to 1e-300).
    Z = np.array([[-800.0]])
    caches = [(None, Z, ACTIVATIONS["sigmoid"][0](Z), "sigmoid")]
    J, dZ = loss_and_grad(caches, np.array([[1.0]]), "bce")
    np.testing.assert_allclose(J, 800.0, rtol=1e-15)
    np.testing.assert_allclose(dZ, [[-1.0]])
    with pytest.raises(ValueError):
        loss_and_grad([(None, Z, Z, "linear")], np.array([[1.0]]), "bce")


N_IN, N_OUT = 400, 600  # 240,000 weights per sample matrix


@pytest.mark.parametrize(
    "init,expected_var",
    [
        ("small", 0.01**2),
        ("lecun", 1 / N_IN),
        ("glorot", 2 / (N_IN + N_OUT)),
        ("he", 2 / N_IN),
        ("large", 100.0),
    ],
)
@pytest.mark.parametrize("gain", [1.0, 3.0])
def test_init_sample_variance_matches_formula(init, expected_var, gain):
    rng = np.random.default_rng(42)
    (W, b), = init_params([N_IN, N_OUT], init, rng, gain=gain)
    assert W.shape == (N_OUT, N_IN) and W.dtype == np.float64
    np.testing.assert_array_equal(b, np.zeros((N_OUT, 1)))
    np.testing.assert_allclose(init_std(init, N_IN, N_OUT) ** 2, expected_var, rtol=1e-15)
    # For N Gaussian samples the sample variance has relative standard error sqrt(2/N) ≈ 0.0029
    # (N = 240,000) and the sample mean has standard error sigma/sqrt(N): allow 5 standard errors.
    # The gain multiplies the standard deviation (PyTorch's meaning): the variance by gain^2.
    N, var = W.size, gain**2 * expected_var
    np.testing.assert_allclose(W.var(), var, rtol=5 * np.sqrt(2 / N))
    assert abs(W.mean()) < 5 * np.sqrt(var / N)


def test_zeros_init_is_all_zero():
    for W, b in init_params([4, 3, 2], "zeros", np.random.default_rng(0)):
        assert not W.any() and not b.any()


@pytest.mark.parametrize("n_in,n_out", [(64, 64), (64, 16), (16, 64)])
def test_orthogonal_init_is_orthogonal(n_in, n_out):
    (W, _), = init_params([n_in, n_out], "orthogonal", np.random.default_rng(3), gain=2.0)
    assert W.shape == (n_out, n_in)
    # Rows orthonormal when n_out <= n_in, columns when n_out >= n_in; all singular values = 2.
    k = min(n_in, n_out)
    gram = W @ W.T if n_out <= n_in else W.T @ W
    np.testing.assert_allclose(gram, 4.0 * np.eye(k), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 2.0, rtol=1e-12)


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("n_out,n_in", [(3, 3), (2, 3), (3, 2)])
def test_orthogonal_init_is_haar_distributed(n_out, n_in, seed):
    # Haar (uniform) orthogonal matrices: every row and column of a 3 x 3 draw, and every
    # orthonormal row (2 x 3) or column (3 x 2) of a non-square one, is uniform on the sphere
    # S^2, whose coordinates are Uniform(-1, 1) (Archimedes): mean 0, variance 1/3. numpy's
    # QR (Householder, LAPACK) returns R[0, 0] = -sign(A[0, 0]) |A[:, 0]|, so without the
    # sign fix Q[0, 0] = -|A[0, 0]| / |A[:, 0]| <= 0 always, with mean -1/2. Over N draws each
    # entry's sample mean has standard error sqrt(1 / (3 N)) = 0.0091 (N = 4000); allow
    # 5 SE = 0.046 (false alarm 6e-7 per entry), far below the 0.5 bias of an unfixed draw.
    N = 4000
    rng = np.random.default_rng(seed)
    draws = np.array([orthogonal(n_out, n_in, rng) for _ in range(N)])
    assert draws.shape == (N, n_out, n_in)
    se = np.sqrt(1 / (3 * N))
    assert np.all(np.abs(draws.mean(axis=0)) < 5 * se), draws.mean(axis=0)
    # Second moments: E[Q_ij^2] = 1/3; Q_ij^2 has variance E[u^4] - 1/9 = 1/5 - 1/9 = 4/45.
    np.testing.assert_allclose((draws**2).mean(axis=0), 1 / 3, atol=5 * np.sqrt(4 / 45 / N))


def test_forward_shapes_and_cache_layout():
    rng = np.random.default_rng(0)
    params = init_params([2, 10, 5, 1], "he", rng)
    X = rng.standard_normal((2, 7))
    A_L, caches = forward(params, X, hidden="relu", output="sigmoid")
    assert A_L.shape == (1, 7) and len(caches) == 3
    assert caches[0][0] is X and caches[-1][2] is A_L
    assert [c[3] for c in caches] == ["relu", "relu", "sigmoid"]
    for l in range(1, 3):  # A of layer l is the input of layer l + 1 (same array, no copy)
        assert caches[l - 1][2] is caches[l][0]
        np.testing.assert_array_equal(caches[l - 1][2], np.maximum(caches[l - 1][1], 0))


def test_train_one_step_is_gradient_descent():
    rng = np.random.default_rng(5)
    params = init_params([3, 4, 1], "lecun", rng)
    X, Y = rng.standard_normal((3, 8)), rng.standard_normal((1, 8))
    _, caches = forward(params, X, "tanh", "linear")
    J0, dZ = loss_and_grad(caches, Y, "mse")
    expected = [(W - 0.1 * dW, b - 0.1 * db) for (W, b), (dW, db, _) in
                zip(params, backward(params, caches, dZ))]
    history = train(params, X, Y, hidden="tanh", output="linear", loss="mse", lr=0.1, steps=1)
    assert history == [float(J0)]
    for (W, b), (W1, b1) in zip(params, expected):
        np.testing.assert_allclose(W, W1, rtol=1e-15)
        np.testing.assert_allclose(b, b1, rtol=1e-15)


def test_training_reduces_loss_on_a_tiny_problem():
    # Two Gaussian blobs in 2-D, net [2, 10, 5, 1] as in the course assignment (He, ReLU, sigmoid).
    rng = np.random.default_rng(0)
    Y = (rng.random((1, 200)) < 0.5).astype(float)
    X = rng.standard_normal((2, 200)) + 2.0 * (2 * Y - 1)
    params = init_params([2, 10, 5, 1], "he", rng)
    history = train(params, X, Y, hidden="relu", output="sigmoid", loss="bce", lr=0.1, steps=500)
    assert len(history) == 500
    assert history[-1] < 0.25 * history[0]
    assert np.all(np.diff(history[-100:]) <= 1e-12)  # settled: monotone at the end
    A_L, _ = forward(params, X, "relu", "sigmoid")
    assert np.mean((A_L > 0.5) == Y) > 0.95  # the blobs are 4 std apart: near-separable


@pytest.mark.parametrize("hidden,output,loss", CASES)
def test_stacked_networks_each_get_their_own_loss_and_gradient(hidden, output, loss):
    # Three networks stacked on a leading axis: PyTorch's autograd of the SUM of their losses
    # gives each network the gradient of its own loss (the others do not depend on its
    # weights), so it must equal what backward() returns per network. Float64: rtol 1e-12.
    torch = pytest.importorskip("torch")
    problems = [_problem(hidden, output, loss, seed) for seed in (1, 2, 3)]
    X, Y = problems[0][1], problems[0][2]
    stacked = stack_params([params for params, _, _ in problems])
    _, caches = forward(stacked, X, hidden, output)
    J, dZ = loss_and_grad(caches, Y, loss)
    grads = backward(stacked, caches, dZ)

    acts = {"linear": lambda z: z, "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}
    leaves = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in stacked]
    A = torch.tensor(X)
    for l, (W, b) in enumerate(leaves, start=1):
        Z = W @ A + b
        A = acts[output if l == len(leaves) else hidden](Z)
    Yt = torch.tensor(Y)
    if loss == "mse":
        per_net = ((A - Yt) ** 2).mean(dim=(-2, -1))
    else:
        per_net = torch.nn.functional.binary_cross_entropy_with_logits(
            Z, Yt.expand_as(Z), reduction="none").mean(dim=(-2, -1))
    per_net.sum().backward()
    np.testing.assert_allclose(J, per_net.detach().numpy(), rtol=1e-12)
    for (dW, db, _), (W, b) in zip(grads, leaves):
        np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_training_stacked_networks_is_training_each_alone():
    # The course lab trains 21 networks in one call: each must follow exactly the path it
    # follows alone (same floating-point operations on its own slice: bit for bit).
    rng = np.random.default_rng(7)
    X, Y = rng.standard_normal((2, 30)), (rng.random((1, 30)) < 0.5).astype(float)
    alone = [init_params([2, 4, 3, 1], init, np.random.default_rng(s)) for s, init in enumerate(["he", "lecun", "large"])]
    together = stack_params(alone)
    history = train(together, X, Y, hidden="relu", output="sigmoid", loss="bce", lr=0.05, steps=50)
    for i, params in enumerate(alone):
        own = train(params, X, Y, hidden="relu", output="sigmoid", loss="bce", lr=0.05, steps=50)
        assert [step[i] for step in history] == own
        for (W, b), (Ws, bs) in zip(params, together):
            assert np.array_equal(W, Ws[i]) and np.array_equal(b, bs[i])
