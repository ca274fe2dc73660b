#!/usr/bin/env python3
"""The course's numpy implementation timed on the engine benchmark's sizes (bench/engine.bench.ts).

Prints one JSON object: {"planar": ms per iteration, "deep": ms per iteration, "threads": ...}.
Usage: numpy_reference.py PLANAR_ITERATIONS DEEP_ITERATIONS REPEATS
"""
import json
import os
import sys
import time

try:
    import numpy as np
except ImportError:
    print("numpy is missing: apt-get install python3-numpy (or pip install numpy)", file=sys.stderr)
    sys.exit(3)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def planar_ms(iterations):
    """nn_model from week 3 on planar-sized data (2, 400), n_h = 4."""
    rs = np.random.RandomState(1)
    X = rs.randn(2, 400)
    Y = (rs.rand(1, 400) > 0.5).astype(float)
    rs = np.random.RandomState(2)
    W1 = rs.randn(4, 2) * 0.01; b1 = np.zeros((4, 1)); W2 = rs.randn(1, 4) * 0.01; b2 = np.zeros((1, 1))
    m = 400
    start = time.perf_counter()
    for i in range(iterations):
        Z1 = np.dot(W1, X) + b1
        A1 = np.tanh(Z1)
        Z2 = np.dot(W2, A1) + b2
        A2 = sigmoid(Z2)
        logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), (1 - Y))
        cost = - np.sum(logprobs) / m
        dZ2 = A2 - Y
        dW2 = (1 / m) * np.dot(dZ2, A1.T)
        db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
        dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
        dW1 = (1 / m) * np.dot(dZ1, X.T)
        db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
        W1 = W1 - 1.2 * dW1; b1 = b1 - 1.2 * db1; W2 = W2 - 1.2 * dW2; b2 = b2 - 1.2 * db2
    return (time.perf_counter() - start) * 1000 / iterations


def deep_ms(iterations):
    """L_layer_model from week 4: [12288, 20, 7, 5, 1], relu x3 then sigmoid, m = 209."""
    dims = [12288, 20, 7, 5, 1]
    rs = np.random.RandomState(1)
    X = rs.rand(12288, 209)
    Y = (rs.rand(1, 209) > 0.5).astype(float)
    P = {}
    for l in range(1, 5):
        P["W%d" % l] = rs.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        P["b%d" % l] = np.zeros((dims[l], 1))
    m = 209
    start = time.perf_counter()
    for i in range(iterations):
        caches = []
        A = X
        for l in range(1, 5):
            Z = np.dot(P["W%d" % l], A) + P["b%d" % l]
            caches.append((A, Z))
            A = np.maximum(0, Z) if l < 4 else sigmoid(Z)
        AL = A
        cost = (-1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
        dA = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        for l in range(4, 0, -1):
            A_prev, Z = caches[l - 1]
            if l == 4:
                s = 1 / (1 + np.exp(-Z)); dZ = dA * s * (1 - s)
            else:
                dZ = np.array(dA, copy=True); dZ[Z <= 0] = 0
            dW = 1 / m * np.dot(dZ, A_prev.T)
            db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
            dA = np.dot(P["W%d" % l].T, dZ)
            P["W%d" % l] = P["W%d" % l] - 0.0075 * dW
            P["b%d" % l] = P["b%d" % l] - 0.0075 * db
    return (time.perf_counter() - start) * 1000 / iterations


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


if __name__ == "__main__":
    planar_its, deep_its, repeats = (int(a) for a in sys.argv[1:4])
    print(json.dumps({
        "planar": median([planar_ms(planar_its) for _ in range(repeats)]),
        "deep": median([deep_ms(deep_its) for _ in range(repeats)]),
        "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "numpy": np.__version__,
    }))
