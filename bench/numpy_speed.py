"""The numpy side of bench/speed.bench.ts: the course's implementations (week 3 planar network,
week 4 L-layer network), timed on the data and initial weights that the TypeScript benchmark
wrote, single-threaded (run with OPENBLAS_NUM_THREADS=1). Prints one JSON object on stdout.

Usage: python3 bench/numpy_speed.py MANIFEST.json
Needs numpy: apt-get install python3-numpy
"""
import json
import os
import sys
import time

import numpy as np


def load(manifest, key):
    rows, cols, path = manifest[key]
    return np.fromfile(path, dtype="<f8").reshape(rows, cols)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


# --- week 4: L_layer_model with relu hidden layers and a sigmoid output -------------------

def l_model_forward(X, parameters, L):
    caches = []
    A = X
    for l in range(1, L):
        A_prev = A
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, A_prev) + b
        A = relu(Z)
        caches.append((A_prev, W, b, Z))
    W, b = parameters["W" + str(L)], parameters["b" + str(L)]
    Z = np.dot(W, A) + b
    AL = sigmoid(Z)
    caches.append((A, W, b, Z))
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (-1. / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return float(np.squeeze(cost))


def linear_backward(dZ, cache, need_dA_prev=True):
    A_prev, W, b, Z = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ) if need_dA_prev else None
    return dA_prev, dW, db


def l_model_backward(AL, Y, caches, L, skip_dA0):
    grads = {}
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    cache = caches[L - 1]
    s = sigmoid(cache[3])
    dZ = dAL * s * (1 - s)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(dZ, cache)
    for l in reversed(range(L - 1)):
        cache = caches[l]
        dZ = np.array(grads["dA" + str(l + 1)], copy=True)
        dZ[cache[3] <= 0] = 0
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_backward(dZ, cache, need_dA_prev=not (skip_dA0 and l == 0))
    return grads


def update_parameters(parameters, grads, learning_rate, L):
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def deep(manifest, cfg, skip_dA0):
    X, Y = load(manifest, "deepX"), load(manifest, "deepY")
    L = len(cfg["layers"]) - 1
    times, cost = [], None
    for _ in range(cfg["repeats"]):
        parameters = {}
        for l in range(1, L + 1):
            parameters["W%d" % l] = load(manifest, "deepW%d" % l).copy()
            parameters["b%d" % l] = load(manifest, "deepb%d" % l).copy()
        t = time.perf_counter()
        for _ in range(cfg["iterations"]):
            AL, caches = l_model_forward(X, parameters, L)
            cost = compute_cost(AL, Y)
            grads = l_model_backward(AL, Y, caches, L, skip_dA0)
            parameters = update_parameters(parameters, grads, cfg["learningRate"], L)
        times.append((time.perf_counter() - t) / cfg["iterations"])
    AL, _ = l_model_forward(X, parameters, L)
    return {"msPerIteration": [1000 * x for x in times], "finalCost": compute_cost(AL, Y), "lastLoopCost": cost}


# --- week 3: the planar network (tanh hidden layer, sigmoid output) --------------------------

def planar(manifest, cfg):
    X, Y = load(manifest, "planarX"), load(manifest, "planarY")
    m = X.shape[1]
    lr = cfg["learningRate"]
    times = []
    for _ in range(cfg["repeats"]):
        W1, b1 = load(manifest, "planarW1").copy(), load(manifest, "planarb1").copy()
        W2, b2 = load(manifest, "planarW2").copy(), load(manifest, "planarb2").copy()
        t = time.perf_counter()
        for _ in range(cfg["iterations"]):
            Z1 = np.dot(W1, X) + b1
            A1 = np.tanh(Z1)
            Z2 = np.dot(W2, A1) + b2
            A2 = sigmoid(Z2)
            logprobs = np.multiply(np.log(A2), Y) + np.multiply((1 - Y), np.log(1 - A2))
            cost = float(np.squeeze(- np.sum(logprobs) / m))
            dZ2 = A2 - Y
            dW2 = (1 / m) * np.dot(dZ2, A1.T)
            db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
            dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
            dW1 = (1 / m) * np.dot(dZ1, X.T)
            db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
            W1 = W1 - lr * dW1
            b1 = b1 - lr * db1
            W2 = W2 - lr * dW2
            b2 = b2 - lr * db2
        times.append(time.perf_counter() - t)
    A2 = sigmoid(np.dot(W2, np.tanh(np.dot(W1, X) + b1)) + b2)
    final = float(np.squeeze(-np.sum(np.log(A2) * Y + (1 - Y) * np.log(1 - A2)) / m))
    return {"seconds": times, "finalCost": final, "lastLoopCost": cost}


def gflops(manifest, repeats):
    W, X = load(manifest, "deepW1"), load(manifest, "deepX")
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.dot(W, X)
        out.append(2 * W.shape[0] * W.shape[1] * X.shape[1] / (time.perf_counter() - t) / 1e9)
    return out


def main():
    manifest = json.load(open(sys.argv[1]))
    cfg = manifest["config"]
    result = {
        "numpy": np.__version__,
        "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "gflops": gflops(manifest, cfg["gflopsRepeats"]),
        "deepCourse": deep(manifest, cfg["deep"], skip_dA0=False),
        "deepNoDA0": deep(manifest, cfg["deep"], skip_dA0=True),
        "planar": planar(manifest, cfg["planar"]),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
