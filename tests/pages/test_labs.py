"""The two lab notebooks' claims, checked on the variables the notebooks themselves computed.

Each fixture runs its notebook once (a few seconds) with one extra cell that reads the
results back (notebook_exec.probe).
"""

from pathlib import Path

import numpy as np
import pytest

from sitebuild import notebook_exec

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "docs" / "labs"


def _probe(name, expressions):
    return notebook_exec.probe(LABS / name, ROOT / "snippets", f"docs/labs/{name}", expressions)


@pytest.fixture(scope="module")
def he():
    return _probe("he-2015.ipynb", {
        "var_y": "float(Y.var())",
        "rms_xavier": "rms['Xavier']",
        "rms_he": "rms['He']",
        "loss_xavier": "history['Xavier']",
        "loss_he": "history['He']",
        "depth": "len(layer_dims) - 1",
    })


def test_he_lab_is_30_layers_deep(he):
    assert he["depth"] == 30 and len(he["rms_he"]) == 30


def test_he_lab_xavier_signal_is_he_signal_times_2_to_minus_l_over_2(he):
    # Same seed, every Xavier weight = He weight / sqrt(2), ReLU positively homogeneous,
    # biases zero: exact up to rounding.
    layers = np.arange(1, 31)
    np.testing.assert_allclose(np.divide(he["rms_xavier"], he["rms_he"]), 2.0 ** (-layers / 2),
                               rtol=1e-10)


def test_he_lab_he_signal_has_no_systematic_decay(he):
    # log2(rms[29] / rms[1]) under He init, measured over 300 seeds (width 32, this X):
    # mean -1.55, std 1.56. Xavier's is exactly -14 lower. Bound: mean - 3 std = -6.2.
    assert np.log2(he["rms_he"][28] / he["rms_he"][0]) > -6.2


def test_he_lab_xavier_stalls_at_the_loss_of_predicting_the_mean(he):
    loss, var_y = np.array(he["loss_xavier"]), he["var_y"]
    # Only the output bias learns; it converges to mean(y), where MSE = Var[y]. 1 % covers
    # the bias's leftover distance after 600 steps and the tiny input-dependent output.
    np.testing.assert_allclose(loss[-1], var_y, rtol=0.01)
    assert loss[100:].max() - loss[100:].min() < 0.01 * var_y  # flat after 100 steps


def test_he_lab_he_trains(he):
    loss, var_y = np.array(he["loss_he"]), he["var_y"]
    assert loss[-1] < 0.5 * var_y  # measured about 0.27 Var[y]; the claim is "well below"
    assert loss[-1] < 0.5 * he["loss_xavier"][-1]


@pytest.fixture(scope="module")
def course():
    return _probe("course-assignment.ipynb", {
        "train_acc": "{k: float(accuracy(p, X_train, Y_train)) for k, p in trained.items()}",
        "test_acc": "{k: float(accuracy(p, X_test, Y_test)) for k, p in trained.items()}",
        "balance": "float(Y_train.mean())",
        "zero_weights": "[float(abs(W).max()) for W, b in trained['zeros']]",
        "zero_W1": "trained['zeros'][0][0]",
        "start_cost": """{k: [course_cost(forward(init_params([2, 10, 5, 1], i,
            np.random.default_rng(SEED)), X_train, 'relu', 'sigmoid')[0], Y_train),
            float(loss_and_grad(forward(init_params([2, 10, 5, 1], i, np.random.default_rng(SEED)),
            X_train, 'relu', 'sigmoid')[1], Y_train, 'bce')[0])] for k, i in inits.items()}""",
    })


def test_course_lab_zeros_never_break_symmetry(course):
    assert course["balance"] == 0.5
    assert course["zero_weights"] == [0.0, 0.0, 0.0]  # no weight ever moved
    W1 = np.array(course["zero_W1"])
    assert np.all(W1 == W1[0])  # all hidden units identical
    assert course["train_acc"]["zeros"] == 0.5 and course["test_acc"]["zeros"] == 0.5


def test_course_lab_large_init_has_infinite_course_cost_at_step_0(course):
    naive, stable = course["start_cost"]["randn x 10"]
    assert naive == float("inf")
    assert np.isfinite(stable) and stable > 10  # finite from z, but huge (ln 2 is chance)
    for label in ("zeros", "He"):
        naive, stable = course["start_cost"][label]
        np.testing.assert_allclose(naive, stable, rtol=1e-12)  # same loss where both finite


def test_course_lab_he_reaches_high_accuracy_and_beats_large(course):
    acc = course["train_acc"]
    assert acc["He"] >= 0.95  # measured 98 % (course: 99 %)
    assert course["test_acc"]["He"] >= 0.9
    assert acc["He"] - acc["randn x 10"] >= 0.1  # measured 78 % for randn x 10
    assert acc["randn x 10"] > 0.6  # it does learn something: symmetry is broken
