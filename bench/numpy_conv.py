"""The numpy side of bench/conv.bench.ts: one training step of the SIGNS network (course 4 week 1:
CONV 8 4x4 same -> RELU -> MAXPOOL 8x8 -> CONV 16 2x2 same -> RELU -> MAXPOOL 4x4 -> FLATTEN ->
softmax 6) on a batch of 64, float64, written with im2col and np.tensordot so BLAS does the
products, on the data and initial weights that the TypeScript benchmark wrote. Prints one JSON
object on stdout: the seconds of each timed step and the cost of every step.

Usage: python3 bench/numpy_conv.py MANIFEST.json
"""
import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def load(manifest, key):
    shape, path = manifest[key]
    return np.fromfile(path, dtype="<f8").reshape(shape)


def pads(n, f, s):
    """TensorFlow's "same": output ceil(n / s), the smaller half of the padding before."""
    out = -(-n // s)
    total = max((out - 1) * s + f - n, 0)
    return total // 2, total - total // 2


def windows(A, f, s, pad):
    """(m, n_H, n_W, f, f, n_C): every window, a view of the padded input."""
    (t, b), (l, r) = pad
    Ap = np.pad(A, ((0, 0), (t, b), (l, r), (0, 0)))
    win = sliding_window_view(Ap, (f, f), axis=(1, 2))[:, ::s, ::s]
    return win.transpose(0, 1, 2, 4, 5, 3)


def conv_forward(A, W, b, s):
    f = W.shape[0]
    pad = (pads(A.shape[1], f, s), pads(A.shape[2], f, s))
    cols = windows(A, f, s, pad)
    Z = np.tensordot(cols, W, axes=([3, 4, 5], [0, 1, 2])) + b.reshape(-1)
    return Z, (cols, W, pad, A.shape, s)


def conv_backward(dZ, cache, m, need_dA):
    cols, W, pad, shape, s = cache
    f = W.shape[0]
    dW = np.tensordot(cols, dZ, axes=([0, 1, 2], [0, 1, 2])) / m
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, -1) / m
    if not need_dA:
        return None, dW, db
    dcols = np.tensordot(dZ, W, axes=([3], [3]))  # (m, n_H, n_W, f, f, n_C[l-1])
    (t, b), (l, r) = pad
    dAp = np.zeros((shape[0], shape[1] + t + b, shape[2] + l + r, shape[3]))
    h, w = dZ.shape[1], dZ.shape[2]
    for fy in range(f):
        for fx in range(f):
            dAp[:, fy:fy + s * h:s, fx:fx + s * w:s, :] += dcols[:, :, :, fy, fx, :]
    return dAp[:, t:t + shape[1], l:l + shape[2], :], dW, db


def pool_forward(A, f, s):
    assert pads(A.shape[1], f, s) == (0, 0), "the SIGNS pools need no padding"
    win = sliding_window_view(A, (f, f), axis=(1, 2))[:, ::s, ::s]  # (m, h, w, C, f, f)
    out = win.max(axis=(4, 5))
    return out, (A, win, out, f, s)


def pool_backward(dA, cache):
    A, win, out, f, s = cache
    mask = win == out[..., None, None]  # the course's create_mask_from_window, every window at once
    dA_prev = np.zeros(A.shape)
    h, w = dA.shape[1], dA.shape[2]
    for fy in range(f):
        for fx in range(f):
            dA_prev[:, fy:fy + s * h:s, fx:fx + s * w:s, :] += mask[:, :, :, :, fy, fx] * dA
    return dA_prev


def step(X, Y, p, lr):
    m = X.shape[0]
    Z1, c1 = conv_forward(X, p["W1"], p["b1"], 1)
    A1 = np.maximum(0, Z1)
    P1, cp1 = pool_forward(A1, 8, 8)
    Z3, c3 = conv_forward(P1, p["W3"], p["b3"], 1)
    A3 = np.maximum(0, Z3)
    P3, cp3 = pool_forward(A3, 4, 4)
    F = P3.reshape(m, -1).T
    Z6 = p["W6"] @ F + p["b6"]
    e = np.exp(Z6 - Z6.max(axis=0, keepdims=True))
    AL = e / e.sum(axis=0, keepdims=True)
    cost = float(-np.sum(Y * np.log(AL)) / m)
    dZ6 = AL - Y
    g = {"W6": dZ6 @ F.T / m, "b6": dZ6.sum(axis=1, keepdims=True) / m}
    dF = (p["W6"].T @ dZ6).T.reshape(P3.shape)
    dA3 = pool_backward(dF, cp3)
    dZ3 = dA3 * (Z3 > 0)
    dP1, g["W3"], g["b3"] = conv_backward(dZ3, c3, m, True)
    dA1 = pool_backward(dP1, cp1)
    dZ1 = dA1 * (Z1 > 0)
    _, g["W1"], g["b1"] = conv_backward(dZ1, c1, m, False)
    for k in p:
        p[k] = p[k] - lr * g[k]
    return cost


def main():
    manifest = json.load(open(sys.argv[1]))
    cfg = manifest["config"]
    X = load(manifest, "X")
    Y = load(manifest, "Y")
    times, costs = [], []
    for _ in range(cfg["repeats"]):
        p = {k: load(manifest, k) for k in ["W1", "b1", "W3", "b3", "W6", "b6"]}
        costs = [step(X, Y, p, cfg["learningRate"])]  # untimed, like the engine's first iteration
        for _ in range(cfg["steps"]):
            t = time.perf_counter()
            costs.append(step(X, Y, p, cfg["learningRate"]))
            times.append(time.perf_counter() - t)
    json.dump({"numpy": np.__version__, "seconds": times, "costs": costs}, sys.stdout)


if __name__ == "__main__":
    main()
