/**
 * The Python of the exported scripts (see numpy.ts and pytorch.ts), in parts: PY_PRELUDE (imports,
 * the embedded network and weights: @HEADER@, @NETWORK@ and @WEIGHTS@ are filled in by the
 * exporter), the framework's part (NUMPY_PART: the course's functions), then PY_FILES (parameters
 * files and data) and PY_COMMANDS (predict and train), which every framework's part serves through
 * the same names: initialize_parameters_deep, L_model_forward, model, is_main_process, FRAMEWORK.
 */
export const PY_PRELUDE = String.raw`@HEADER@
import argparse
import csv
import json
import os
import sys

import numpy as np

# The network as its .dnn.json says, every default filled in.
NETWORK = json.loads(@NETWORK@)
# The parameters dictionary (as a parameters file holds it), or None.
WEIGHTS = json.loads(@WEIGHTS@)

HERE = os.path.dirname(os.path.abspath(__file__))
# Data and init paths in the .dnn.json are relative to its folder.
SPEC_DIR = os.path.normpath(os.path.join(HERE, NETWORK["specDir"]))
# A dense network's layers; with conv, pool, flatten or residual layers, the output layer only.
LAYERS = NETWORK["layers"]
# The layers in document order when the network is not only dense, else None.
GRAPH = NETWORK["graph"]
LOSS = NETWORK["loss"]
TRAINING = NETWORK["training"]
# [n[0], ..., n[L]]; with a GRAPH, [n[0], n[L]].
LAYER_DIMS = NETWORK["layerDims"]
# The trained keys in the course's order (W1, b1, W2, ...; a shortcut's Ws<l>, bs<l> after its block's layers).
TRAINED_KEYS = NETWORK["trainedKeys"]
PARAM_DIMS = NETWORK["paramDims"]


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(1)


`;

export const NUMPY_PART = String.raw`# ---- Activations: g and its backward, side by side -------------------------------------------

def activation_forward(Z, activation, alpha):
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-Z))
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "relu":
        return np.maximum(0, Z)
    if activation == "leaky-relu":
        return np.where(Z > 0, Z, alpha * Z)
    if activation == "softmax":
        T = np.exp(Z - np.max(Z, axis=0, keepdims=True))
        return T / np.sum(T, axis=0, keepdims=True)
    return Z


def activation_backward(dA, Z, A, activation, alpha):
    if activation == "sigmoid":
        return dA * A * (1 - A)
    if activation == "tanh":
        return dA * (1 - np.power(A, 2))
    if activation == "relu":
        dZ = np.array(dA, copy=True)
        dZ[Z <= 0] = 0
        return dZ
    if activation == "leaky-relu":
        return np.where(Z > 0, dA, alpha * dA)
    if activation == "softmax":
        return A * (dA - np.sum(dA * A, axis=0, keepdims=True))
    return dA


# ---- The course's functions ------------------------------------------------------------------

def linear_forward(A_prev, W, b):
    Z = np.dot(W, A_prev) + b
    return Z, (A_prev, W, b)


def batchnorm_forward(Z, l, parameters, training, axes=(1,)):
    """Batch norm (course 2, week 3) of each unit (row) of Z over the examples, or of each channel
    of a volume over (m, n_H, n_W) (axes (0, 1, 2)): Znorm = (Z - mu) / sqrt(var + 1e-8),
    Ztilde = gamma Znorm + beta, with the batch's mean and biased variance in training (the running
    averages take 0.1 of them) and the running averages in prediction."""
    gamma, beta = parameters["gamma" + l], parameters["beta" + l]
    if training:
        mu = np.mean(Z, axis=axes, keepdims=True)
        var = np.mean(np.square(Z - mu), axis=axes, keepdims=True)
        parameters["runningMean" + l] = 0.9 * parameters["runningMean" + l] + (1 - 0.9) * mu
        parameters["runningVar" + l] = 0.9 * parameters["runningVar" + l] + (1 - 0.9) * var
    else:
        mu, var = parameters["runningMean" + l], parameters["runningVar" + l]
    std = np.sqrt(var + 1e-8)
    Znorm = (Z - mu) / std
    return gamma * Znorm + beta, (Znorm, std, gamma, axes)


def batchnorm_backward(dZtilde, bn_cache, grads, l):
    """dZ from dZtilde, with dgamma = 1/m sum(dZtilde Znorm) and dbeta = 1/m sum(dZtilde) (m the
    examples; a channel's sums run over every position too):
    dZ = gamma / sqrt(var + 1e-8) (dZtilde - mean(dZtilde) - Znorm mean(dZtilde Znorm)), the means
    over what the statistics were taken over."""
    Znorm, std, gamma, axes = bn_cache
    if axes == (1,):
        m = dZtilde.shape[1]
        dgamma = (1 / m) * np.sum(dZtilde * Znorm, axis=1, keepdims=True)
        dbeta = (1 / m) * np.sum(dZtilde, axis=1, keepdims=True)
        grads["dgamma" + l], grads["dbeta" + l] = dgamma, dbeta
        return gamma / std * (dZtilde - dbeta - Znorm * dgamma)
    m = dZtilde.shape[0]
    count = dZtilde.shape[0] * dZtilde.shape[1] * dZtilde.shape[2]
    sum_dZ = np.sum(dZtilde, axis=axes, keepdims=True)
    sum_dZ_Znorm = np.sum(dZtilde * Znorm, axis=axes, keepdims=True)
    grads["dgamma" + l], grads["dbeta" + l] = (1 / m) * sum_dZ_Znorm, (1 / m) * sum_dZ
    return gamma / std * (dZtilde - sum_dZ / count - Znorm * (sum_dZ_Znorm / count))


def linear_activation_forward(A_prev, W, b, layer, l=None, parameters=None, training=False):
    """A = g(Z), or g(Ztilde) for a layer with batch norm; the cache keeps what backward needs."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    bn_cache = None
    if layer.get("batchNorm"):
        Z, bn_cache = batchnorm_forward(Z, str(l), parameters, training)
    A = activation_forward(Z, layer["activation"], layer["alpha"])
    return A, (linear_cache, Z, A, bn_cache)


def L_model_forward(X, parameters, training=False):
    """AL (n[L], m) and the caches of layers 1..L. In training, with keepProb < 1, each hidden
    layer's A is dropped out as course 2 does it: D = np.random.rand(*A.shape) < keep_prob,
    A = A * D, A = A / keep_prob (the masks drawn layer by layer, as dnn draws them)."""
    if GRAPH is not None:
        return graph_forward(X, parameters, training)
    caches = []
    A = X
    keep_prob = TRAINING["keepProb"] if training else 1
    for l, layer in enumerate(LAYERS, start=1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], layer, l, parameters, training)
        D = None
        if l < len(LAYERS) and keep_prob < 1:
            D = np.random.rand(*A.shape) < keep_prob
            A = A * D
            A = A / keep_prob
        caches.append(cache + (D,))
    return A, caches


def compute_cost(AL, Y, parameters=None, lambd=0.0):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if LOSS == "binary-cross-entropy":
            cost = (-1 / m) * np.nansum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
        elif LOSS == "categorical-cross-entropy":
            cost = (-1 / m) * np.sum(np.where(Y == 0, 0.0, Y * np.log(AL)))
        else:  # mse
            cost = (1 / (2 * m)) * np.sum(np.square(AL - Y))
    if lambd > 0:
        cost += (1 / m) * (lambd / 2) * sum(np.sum(np.square(parameters[key])) for key in TRAINED_KEYS if key[0] == "W")
    return float(cost)


def linear_backward(dZ, linear_cache, lambd):
    A_prev, W, b = linear_cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T) + (lambd / m) * W
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def output_dZ_is_residual(activation):
    """dZ[L] = AL - Y where the output activation suits the loss (the course's dZ2 = A2 - Y)."""
    return (activation == "sigmoid" and LOSS == "binary-cross-entropy") or (activation == "softmax" and LOSS == "categorical-cross-entropy") or (activation == "linear" and LOSS == "mse")


def L_model_backward(AL, Y, caches, lambd=0.0):
    grads = {}
    L = len(caches)
    out = LAYERS[-1]
    if GRAPH is not None:
        Z, A = caches[-1]["Z"], caches[-1]["A"]
    else:
        linear_cache, Z, A, bn_cache, _ = caches[L - 1]
    if output_dZ_is_residual(out["activation"]):
        dZ = AL - Y
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            if LOSS == "binary-cross-entropy":
                dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
            elif LOSS == "categorical-cross-entropy":
                dAL = np.where(Y == 0, 0.0, -np.divide(Y, AL))
            else:
                dAL = AL - Y
        dZ = activation_backward(dAL, Z, A, out["activation"], out["alpha"])
    if GRAPH is not None:
        return graph_backward(dZ, caches, Y.shape[1], lambd)
    if bn_cache is not None:
        dZ = batchnorm_backward(dZ, bn_cache, grads, str(L))
    dA_prev, grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(dZ, linear_cache, lambd)
    for l in reversed(range(1, L)):
        linear_cache, Z, A, bn_cache, D = caches[l - 1]
        layer = LAYERS[l - 1]
        if D is not None:
            # Dropout's backward: the same units shut, the rest scaled by 1 / keep_prob.
            dA_prev = dA_prev * D / TRAINING["keepProb"]
        dZ = activation_backward(dA_prev, Z, A, layer["activation"], layer["alpha"])
        if bn_cache is not None:
            dZ = batchnorm_backward(dZ, bn_cache, grads, str(l))
        dA_prev, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache, lambd)
    return grads


# ---- Course 4: convolution, pooling, flatten and residual blocks ------------------------------
#
# Volumes are (m, n_H, n_W, n_C), as in the course. conv_forward and pool_forward compute what the
# course's loops over (i, h, w, c) compute, with every window taken at once: windows() is a view of
# the padded volume, (m, n_H, n_W, f_H, f_W, n_C), whose [i, h, w] is the course's
# a_prev_pad[i, h*s_H : h*s_H + f_H, w*s_W : w*s_W + f_W, :]. A convolution is then one product of
# those windows with W, which trains a small network in seconds where the loops take minutes.

def zero_pad(X, g, value=0.0):
    """X (m, n_H, n_W, n_C) with value around each image, g's padding before and after each side
    ("same" pads one more row or column after when its total is odd, as TensorFlow does)."""
    return np.pad(X, ((0, 0), (g["top"], g["bottom"]), (g["left"], g["right"]), (0, 0)), mode="constant", constant_values=value)


def windows(A_pad, g):
    """Every f_H x f_W window of the padded volume, as a view (m, n_H, n_W, f_H, f_W, n_C)."""
    s = A_pad.strides
    shape = (A_pad.shape[0], g["h"], g["w"], g["fH"], g["fW"], A_pad.shape[3])
    return np.lib.stride_tricks.as_strided(A_pad, shape=shape, strides=(s[0], s[1] * g["sH"], s[2] * g["sW"], s[1], s[2], s[3]), writeable=False)


def add_windows(d, g):
    """The windows' gradients d (m, n_H, n_W, f_H, f_W, n_C) added back into the entries they came
    from, the padding dropped: the course's da_prev_pad[i, vert_start:vert_end, horiz_start:horiz_end, :] += ...,
    summed over the f_H x f_W offsets of a window instead of over its positions."""
    m, C = d.shape[0], d.shape[5]
    dA_pad = np.zeros((m, g["hPrev"] + g["top"] + g["bottom"], g["wPrev"] + g["left"] + g["right"], C))
    rows, cols = g["sH"] * (g["h"] - 1) + 1, g["sW"] * (g["w"] - 1) + 1
    for fy in range(g["fH"]):
        for fx in range(g["fW"]):
            dA_pad[:, fy:fy + rows:g["sH"], fx:fx + cols:g["sW"], :] += d[:, :, :, fy, fx, :]
    return dA_pad[:, g["top"]:g["top"] + g["hPrev"], g["left"]:g["left"] + g["wPrev"], :]


def conv_forward(A_prev, W, b, g):
    """Z[i, h, w, c] = sum(window * W[:, :, :, c]) + b[c] (conv_single_step) for every window at once.
    W is (f_H, f_W, n_C[l-1], n_C[l]), b (1, 1, 1, n_C[l]); Z is (m, n_H, n_W, n_C[l])."""
    m = A_prev.shape[0]
    cols = windows(zero_pad(A_prev, g), g).reshape(m * g["h"] * g["w"], -1)
    Z = (np.dot(cols, W.reshape(-1, g["c"])) + b.reshape(g["c"])).reshape(m, g["h"], g["w"], g["c"])
    return Z, (A_prev, W, b, g, cols)


def conv_backward(dZ, cache, with_dA_prev=True):
    """The course's conv_backward: dW and db summed over the examples and positions (not yet
    divided by m), and dA_prev (None for the network's first layer, which needs none)."""
    A_prev, W, b, g, cols = cache
    m = A_prev.shape[0]
    dZ_rows = dZ.reshape(-1, g["c"])
    dW = np.dot(cols.T, dZ_rows).reshape(W.shape)
    db = np.sum(dZ_rows, axis=0).reshape(1, 1, 1, g["c"])
    dA_prev = None
    if with_dA_prev:
        d = np.dot(dZ_rows, W.reshape(-1, g["c"]).T).reshape(m, g["h"], g["w"], g["fH"], g["fW"], g["cPrev"])
        dA_prev = add_windows(d, g)
    return dA_prev, dW, db


def real_entries(A_prev, g):
    """How many entries of the volume (not of the padding) each window covers: pooling takes
    only those into a max or an average, as TensorFlow pools with "same"."""
    return np.sum(windows(zero_pad(np.ones((1,) + A_prev.shape[1:]), g), g), axis=(3, 4))


def pool_forward(A_prev, g, mode):
    """The max or the mean of each window, channel by channel: A (m, n_H, n_W, n_C)."""
    if mode == "max":
        A = np.max(windows(zero_pad(A_prev, g, -np.inf), g), axis=(3, 4))
    else:
        A = np.sum(windows(zero_pad(A_prev, g), g), axis=(3, 4)) / real_entries(A_prev, g)
    return A, (A_prev, g, mode, A)


def pool_backward(dA, cache):
    """Max: each window's dA goes to the entries equal to its maximum (create_mask_from_window; a
    tie gives it to every tied entry). Average: dA spread evenly over the window's real entries
    (distribute_value)."""
    A_prev, g, mode, A = cache
    if mode == "max":
        mask = windows(zero_pad(A_prev, g, -np.inf), g) == A[:, :, :, None, None, :]
        d = mask * dA[:, :, :, None, None, :]
    else:
        share = dA / real_entries(A_prev, g)
        d = np.broadcast_to(share[:, :, :, None, None, :], share.shape[:3] + (g["fH"], g["fW"], share.shape[3]))
    return add_windows(d, g)


def param_keys(layer):
    """W3, b3 for layer 3; Ws5, bs5 for the shortcut of the block ending at layer 5."""
    key = layer["key"]
    return ("Ws" + key[1:], "bs" + key[1:]) if key[0] == "s" else ("W" + key, "b" + key)


def layer_forward(A_prev, layer, parameters, add=None, training=False):
    """linear_activation_forward for a dense or conv layer, with batch norm of Z when the layer has
    it; add (a residual block's input or its shortcut's output) is added after batch norm, before
    the activation."""
    W_key, b_key = param_keys(layer)
    W, b = parameters[W_key], parameters[b_key]
    conv_cache = None
    if layer["kind"] == "dense":
        Z = np.dot(W, A_prev) + b
    else:
        Z, conv_cache = conv_forward(A_prev, W, b, layer["g"])
    bn_cache = None
    if layer["batchNorm"]:
        Z, bn_cache = batchnorm_forward(Z, W_key[1:], parameters, training, (1,) if layer["kind"] == "dense" else (0, 1, 2))
    if add is not None:
        Z = Z + add
    A = activation_forward(Z, layer["activation"], layer["alpha"])
    return A, {"layer": layer, "A_prev": A_prev, "W": W, "Z": Z, "A": A, "conv": conv_cache, "bn": bn_cache, "D": None}


def dropout_forward(A, cache, keep_prob):
    """Inverted dropout of a hidden layer's A, the mask drawn as dnn draws it: np.random.rand(*A.shape)."""
    if keep_prob >= 1:
        return A
    D = np.random.rand(*A.shape) < keep_prob
    cache["D"] = D
    A = A * D
    return A / keep_prob


def layer_backward(dA, cache, grads, m, lambd, with_dA_prev=True, dZ=None):
    """linear_activation_backward for a dense or conv layer: dropout's mask, dZ (kept in the cache
    for a residual block: the gradient of the sum), batch norm's backward, dW and db with the cost's
    1/m and L2's (lambd/m) W, and dA_prev."""
    layer = cache["layer"]
    if dZ is None:
        if cache["D"] is not None:
            dA = dA * cache["D"] / TRAINING["keepProb"]
        dZ = activation_backward(dA, cache["Z"], cache["A"], layer["activation"], layer["alpha"])
    cache["dZ"] = dZ
    W_key, b_key = param_keys(layer)
    if cache["bn"] is not None:
        dZ = batchnorm_backward(dZ, cache["bn"], grads, W_key[1:])
    W = cache["W"]
    if layer["kind"] == "dense":
        dA_prev, dW, db = linear_backward(dZ, (cache["A_prev"], W, None), lambd)
    else:
        dA_prev, dW, db = conv_backward(dZ, cache["conv"], with_dA_prev)
        dW = (1 / m) * dW + (lambd / m) * W
        db = (1 / m) * db
    grads["d" + W_key], grads["d" + b_key] = dW, db
    return dA_prev


def graph_forward(X, parameters, training=False):
    """L_model_forward through conv, pool, flatten, residual and dense layers. X is (n[0], m), each
    column an image flattened row-major; a first conv or pool layer reads it as (m, n_H, n_W, n_C).
    In training, with keepProb < 1, every conv and dense layer's A but the output's (a residual
    block's layers too, not its shortcut) is dropped out, the masks drawn in the layers' order."""
    m = X.shape[1]
    keep_prob = TRAINING["keepProb"] if training else 1
    A = X.T.reshape((m,) + tuple(NETWORK["inputShape"])) if GRAPH["volumeInput"] else X
    caches = []
    nodes = GRAPH["nodes"]
    for i, node in enumerate(nodes):
        kind = node["kind"]
        if kind in ("dense", "conv"):
            A, cache = layer_forward(A, node, parameters, None, training)
            if i < len(nodes) - 1:
                A = dropout_forward(A, cache, keep_prob)
        elif kind == "pool":
            A, cache = pool_forward(A, node["g"], node["mode"])
        elif kind == "flatten":
            # The course's flatten: (m, n_H, n_W, n_C) -> (n_H * n_W * n_C, m).
            cache = A.shape
            A = A.reshape(m, -1).T
        else:
            # A residual block (course 4, week 2): a[l+2] = g(z[l+2] + a[l]), a[l] through the
            # shortcut first when the block has one (the "convolutional block").
            shortcut = None
            S = A
            if node["shortcut"] is not None:
                S, shortcut = layer_forward(A, node["shortcut"], parameters, None, training)
            inner = []
            for k, layer in enumerate(node["layers"]):
                A, c = layer_forward(A, layer, parameters, S if k == len(node["layers"]) - 1 else None, training)
                A = dropout_forward(A, c, keep_prob)
                inner.append(c)
            cache = (inner, shortcut)
        caches.append(cache)
    return A, caches


def graph_backward(dZ_out, caches, m, lambd):
    """L_model_backward from the output layer's dZ down to the first layer."""
    grads = {}
    nodes = GRAPH["nodes"]
    dA = layer_backward(None, caches[-1], grads, m, lambd, len(nodes) > 1, dZ_out)
    for k in reversed(range(len(nodes) - 1)):
        node, cache, first = nodes[k], caches[k], k == 0
        kind = node["kind"]
        if kind in ("dense", "conv"):
            dA = layer_backward(dA, cache, grads, m, lambd, not first)
        elif kind == "pool":
            dA = None if first else pool_backward(dA, cache)
        elif kind == "flatten":
            dA = dA.T.reshape(cache)
        else:
            inner, shortcut = cache
            d = dA
            for c in reversed(inner):
                d = layer_backward(d, c, grads, m, lambd)
            # The sum's other path: the last inner layer's dZ reaches the block's input straight,
            # or through the shortcut.
            dZ_last = inner[-1]["dZ"]
            dA = d + (layer_backward(dZ_last, shortcut, grads, m, lambd) if shortcut is not None else dZ_last)
    return grads


# ---- Optimisers (course 2, week 2) -----------------------------------------------------------

def initialize_state(parameters):
    return {k: np.zeros_like(v) for k, v in parameters.items()}


def update_parameters(parameters, grads, learning_rate, state, t):
    """One update of every W and b: gd, momentum, RMSprop or Adam as the file says."""
    opt = TRAINING["optimizer"]
    for key in TRAINED_KEYS:
        d = grads["d" + key]
        if opt["name"] == "gd":
            parameters[key] = parameters[key] - learning_rate * d
        elif opt["name"] == "momentum":
            # The course's momentum, v = beta v + (1 - beta) dW.
            state["v"][key] = opt["beta"] * state["v"][key] + (1 - opt["beta"]) * d
            parameters[key] = parameters[key] - learning_rate * state["v"][key]
        elif opt["name"] == "rmsprop":
            state["s"][key] = opt["beta2"] * state["s"][key] + (1 - opt["beta2"]) * np.square(d)
            parameters[key] = parameters[key] - learning_rate * d / (np.sqrt(state["s"][key]) + opt["epsilon"])
        else:  # adam, t counting updates from 1
            state["v"][key] = opt["beta1"] * state["v"][key] + (1 - opt["beta1"]) * d
            v_corrected = state["v"][key] / (1 - np.power(opt["beta1"], t))
            state["s"][key] = opt["beta2"] * state["s"][key] + (1 - opt["beta2"]) * np.square(d)
            s_corrected = state["s"][key] / (1 - np.power(opt["beta2"], t))
            parameters[key] = parameters[key] - learning_rate * v_corrected / (np.sqrt(s_corrected) + opt["epsilon"])
    return parameters


def random_mini_batches(X, Y, mini_batch_size, seed):
    m = X.shape[1]
    if seed is not None:
        np.random.seed(seed)
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def model(X, Y, parameters, iterations):
    """The course's training loop: forward, cost, backward, update, the cost printed every printEvery."""
    lambd = TRAINING["l2"]
    m = X.shape[1]
    batch = TRAINING["batchSize"]
    mini_batches = batch is not None and batch < m
    base = TRAINING["shuffleSeed"] if TRAINING["shuffleSeed"] is not None else TRAINING["seed"]
    state = {"v": initialize_state(parameters), "s": initialize_state(parameters)}
    t = 0
    cost = None
    for e in range(iterations):
        learning_rate = learning_rate_of_epoch(e)
        batches = random_mini_batches(X, Y, batch, None if base is None else base + 1 + e) if mini_batches else [(X, Y)]
        total = 0.0
        for mX, mY in batches:
            AL, caches = L_model_forward(mX, parameters, True)
            total += compute_cost(AL, mY, parameters, lambd) * mX.shape[1]
            grads = L_model_backward(AL, mY, caches, lambd)
            t += 1
            parameters = update_parameters(parameters, grads, learning_rate, state, t)
        cost = total / m
        if e % TRAINING["printEvery"] == 0 or e == iterations - 1:
            print("Cost after %s %i: %f" % ("epoch" if mini_batches else "iteration", e, cost))
    return parameters, cost


def is_main_process():
    return True


FRAMEWORK = "numpy"


`;

/** initialize_parameters_deep in numpy: the torch script draws its initial weights with it too, so both equal the engine's. */
/** initialize_parameters_deep in numpy: the torch script draws its initial weights with it too, so both equal the engine's. */
export const PY_INIT = String.raw`def initialize_parameters_deep(layer_dims):
    """Every W and b as the file's init says, W drawn in the course's order (W1, W2, ..., a block's
    shortcut after its layers): a dense W[l] is (n[l], n[l-1]) and b[l] (n[l], 1); a conv W[l] is
    (f_H, f_W, n_C[l-1], n_C[l]) and b[l] (1, 1, 1, n_C[l]). The fan-in of He and Xavier is n[l-1],
    or f_H * f_W * n_C[l-1] for a conv layer."""
    init = TRAINING["init"]
    if init["scheme"] == "file":
        return load_parameters(os.path.join(SPEC_DIR, init["file"]))[0]
    if TRAINING["seed"] is not None:
        np.random.seed(TRAINING["seed"])
    parameters = {}
    for key in TRAINED_KEYS + NETWORK["stateKeys"]:
        shape = tuple(PARAM_DIMS[key])
        if key[0] != "W":
            # b, beta and the running mean start at 0; gamma and the running variance at 1.
            parameters[key] = np.ones(shape) if key.startswith(("gamma", "runningVar")) else np.zeros(shape)
            continue
        fan_in = int(np.prod(shape[:3])) if len(shape) == 4 else shape[1]
        if init["scheme"] == "zeros":
            W = np.zeros(shape)
        elif init["scheme"] == "random":
            W = np.random.randn(*shape) * init["scale"]
        elif init["scheme"] == "xavier":
            W = np.random.randn(*shape) / np.sqrt(fan_in)
        else:  # he
            W = np.random.randn(*shape) * np.sqrt(2 / fan_in)
        parameters[key] = W
    return parameters


def learning_rate_of_epoch(e):
    """Epochs 0 and 1 run at alpha0; epoch e >= 1 at update_lr or schedule_lr_decay of e - 1."""
    alpha0, rate = TRAINING["learningRate"], TRAINING["decayRate"]
    if rate == 0 or e == 0:
        return alpha0
    if TRAINING["decay"] == "scheduleLrDecay":
        return alpha0 / (1 + rate * np.floor((e - 1) / TRAINING["timeInterval"]))
    return alpha0 / (1 + rate * (e - 1))


`;

export const PY_FILES = String.raw`# ---- Files: parameters JSON and data ---------------------------------------------------------

def load_parameters(path):
    try:
        with open(path) as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    return {k: np.array(v, dtype=np.float64) for k, v in raw.items() if k != "meta"}, raw.get("meta")


def embedded_parameters():
    return {k: np.array(v, dtype=np.float64) for k, v in WEIGHTS.items() if k != "meta"}, WEIGHTS.get("meta")


def save_parameters(path, parameters, meta):
    """The parameters file dnn reads back: keys in the course's order, then meta."""
    out = {}
    for key in TRAINED_KEYS + NETWORK["stateKeys"]:
        out[key] = parameters[key].tolist()
    out["meta"] = meta
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, path)


def read_csv(path, label, labels_required):
    """X (n, m) and the label columns: one column named label, or one-hot label0, label1, ..."""
    try:
        with open(path, newline="") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    except OSError as e:
        fail("%s: %s" % (path, e))
    if not rows:
        fail("%s:1:1: the file is empty; a header row is needed" % path)
    header = [h.strip() for h in rows[0]]
    if label in header:
        label_cols = [header.index(label)]
    else:
        label_cols = [i for i, h in enumerate(header) if h.startswith(label) and h[len(label):].isdigit()]
        label_cols.sort(key=lambda i: int(header[i][len(label):]))
    if labels_required and not label_cols:
        fail("%s:1:1: no label column '%s'" % (path, label))
    features = [i for i in range(len(header)) if i not in label_cols]
    values = []
    for line, r in enumerate(rows[1:], start=2):
        try:
            values.append([float(c) for c in r])
        except ValueError:
            fail("%s:%i: every cell must be a number" % (path, line))
        if len(r) != len(header):
            fail("%s:%i: %i cells; the header has %i" % (path, line, len(r), len(header)))
    data = np.array(values, dtype=np.float64).reshape(len(values), len(header))
    return data[:, features].T, (data[:, label_cols].T if label_cols else None)


def encode(labels_or_onehot, k_out):
    """Class indices as the network wants them: a 0/1 row for one sigmoid unit, else one-hot."""
    if labels_or_onehot.shape[0] > 1:
        return labels_or_onehot
    labels = labels_or_onehot[0].astype(int)
    if k_out == 1:
        return labels.reshape(1, -1).astype(np.float64)
    Y = np.zeros((k_out, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


def read_h5(path, data):
    import h5py
    with h5py.File(path, "r") as f:
        def pick(key, suffix):
            if data.get(key):
                return data[key]
            names = [n for n in f.keys() if n.endswith(suffix)]
            if len(names) != 1:
                fail("%s: name the dataset with \"%s\" (found %s)" % (path, key, ", ".join(f.keys())))
            return names[0]
        X = np.array(f[pick("x", "_x")], dtype=np.float64)
        labels = np.array(f[pick("y", "_y")]).reshape(1, -1)
    return X.reshape(X.shape[0], -1).T / data.get("divideBy", 1), labels.astype(np.float64)


def read_builtin(path):
    """A built-in set as dnn export wrote it beside this script: a .npy of (m, n[0] + 1), each row
    an example's features then its class. The engine draws these sets from numpy's seeded
    generator; writing them out keeps them exact without a second copy of every generator."""
    try:
        rows = np.load(path)
    except (OSError, ValueError) as e:
        fail("%s: %s (dnn export writes it beside the script; export again to get it back)" % (path, e))
    return rows[:, :-1].T.astype(np.float64), rows[:, -1:].T


def area_resize(pixels, n_H, n_W):
    """pixels (height, width, 3) resized by area averaging, as the engine does (and OpenCV's
    INTER_AREA): each output pixel is the mean of the source pixels it covers, partly covered ones
    weighted by the part. Written as two matrix products of the covered fractions; a picture of the
    right size is kept exactly."""
    def fractions(n_out, n_in):
        scale = n_in / n_out
        F = np.zeros((n_out, n_in))
        for o in range(n_out):
            lo, hi = o * scale, o * scale + scale
            for i in range(int(np.floor(lo)), min(n_in, int(np.ceil(hi)))):
                F[o, i] = min(hi, i + 1) - max(lo, i)
        return F
    Fy, Fx = fractions(n_H, pixels.shape[0]), fractions(n_W, pixels.shape[1])
    total = np.outer(Fy.sum(axis=1), Fx.sum(axis=1))[:, :, None]
    return np.einsum("yj,jic,xi->yxc", Fy, pixels, Fx) / total


def read_pictures(folder, data, classes=None):
    """A folder of class subfolders (classes in name order) of PNG and JPEG pictures, each resized
    to input.shape as the engine does and divided by divideBy: X (n[0], m) and the class indices.
    JPEG decoders differ in their last bit, so a JPEG's values may differ slightly from dnn's."""
    try:
        from PIL import Image
    except ImportError:
        fail("reading a picture folder needs Pillow (pip install pillow, or apt-get install python3-pil)")
    n_H, n_W, n_C = NETWORK["inputShape"]
    names = classes or sorted(d for d in os.listdir(folder) if not d.startswith(".") and os.path.isdir(os.path.join(folder, d)))
    columns, labels = [], []
    for label, name in enumerate(names):
        for entry in sorted(os.listdir(os.path.join(folder, name))):
            if entry.startswith(".") or not entry.lower().endswith((".png", ".jpg", ".jpeg")):
                continue
            path = os.path.join(folder, name, entry)
            try:
                with Image.open(path) as picture:
                    rgb = np.asarray(picture.convert("RGB"), dtype=np.float64)
            except OSError as e:
                fail("%s: %s" % (path, e))
            values = area_resize(rgb, n_H, n_W)
            if n_C == 1:
                # ITU-R BT.601 luma, as PIL's convert("L") weighs it, after the resize.
                values = 0.299 * values[:, :, 0:1] + 0.587 * values[:, :, 1:2] + 0.114 * values[:, :, 2:3]
            columns.append(values.reshape(-1) / data.get("divideBy", 255))
            labels.append(label)
    if not columns:
        fail("%s has no pictures (.png, .jpg, .jpeg) in its class folders" % folder)
    return np.array(columns).T, np.array(labels, dtype=np.float64).reshape(1, -1)


def dev_split(m, fraction, seed):
    """The examples kept for training when devFraction holds some out, as dnn splits them:
    p = RandomState(seed).permutation(m), m_dev = floor(fraction * m + 0.5) (at least 1, leaving
    at least 1), the first m - m_dev of p train."""
    p = np.random.RandomState(seed).permutation(m)
    m_dev = min(m - 1, max(1, int(np.floor(fraction * m + 0.5)))) if m >= 2 else 0
    return p[:m - m_dev]


def load_training_data():
    """X (n[0], m) and Y (n[L], m) as dnn train reads them, standardised when the file says so."""
    data = NETWORK["data"]
    if data is None:
        fail("%s names no data to train on" % NETWORK["source"])
    if data["kind"] == "csv":
        X, labels = read_csv(os.path.join(SPEC_DIR, data["train"]), data["label"], True)
    elif data["kind"] == "hdf5":
        X, labels = read_h5(os.path.join(SPEC_DIR, data["train"]), data)
    elif data["kind"] == "images":
        X, labels = read_pictures(os.path.join(SPEC_DIR, data["images"]), data)
    else:
        X, labels = read_builtin(os.path.join(HERE, data["file"]))
    Y = labels if LOSS == "mse" else encode(labels, LAYER_DIMS[-1])
    if data.get("devFraction", 0) > 0 and not data.get("dev"):
        keep = dev_split(X.shape[1], data["devFraction"], TRAINING["seed"] if TRAINING["seed"] is not None else 0)
        X, Y = X[:, keep], Y[:, keep]
    standardization = None
    if data.get("standardize"):
        mean = X.mean(axis=1)
        std = np.sqrt(np.mean(np.square(X - mean[:, None]), axis=1))
        std[std == 0] = 1
        standardization = {"mean": mean.tolist(), "std": std.tolist()}
        X = (X - mean[:, None]) / std[:, None]
    return X, Y, standardization


def network_meta():
    return {"architecture": LAYER_DIMS, "activations": [layer["activation"] for layer in LAYERS], "loss": LOSS}


`;

export const PY_COMMANDS = String.raw`# ---- The two commands ------------------------------------------------------------------------

def starting_parameters(params_path):
    if params_path:
        return load_parameters(params_path)
    if WEIGHTS is not None:
        return embedded_parameters()
    return None, None


def predict_command(args):
    parameters, meta = starting_parameters(args.params)
    if parameters is None:
        fail("no weights: give --params P, or export with dnn export --params P")
    X, _ = read_csv(args.input, args.label or (NETWORK["data"] or {}).get("label", "y"), False)
    if X.shape[0] != LAYER_DIMS[0]:
        fail("%s: %i features per example; the network's input is n[0] = %i" % (args.input, X.shape[0], LAYER_DIMS[0]))
    std = (meta or {}).get("standardization")
    if std:
        X = (X - np.array(std["mean"])[:, None]) / np.array(std["std"])[:, None]
    AL, _ = L_model_forward(X, parameters)
    # The layout of dnn predict --output: the predicted label (classification), then the outputs.
    out_activation = LAYERS[-1]["activation"]
    if LOSS != "mse" and AL.shape[0] == 1:
        labels = (AL > 0.5).astype(int)[0]
    elif LOSS != "mse" and (out_activation == "softmax" or LOSS == "categorical-cross-entropy"):
        labels = np.argmax(AL, axis=0)
    else:
        labels = None
    kind = "value" if LOSS == "mse" else ("probability" if AL.shape[0] == 1 else "p")
    cols = [kind] if AL.shape[0] == 1 else [("value" if LOSS == "mse" else "p") + str(i) for i in range(AL.shape[0])]
    lines = [",".join((["prediction"] if labels is not None else []) + cols)]
    for j in range(AL.shape[1]):
        lines.append(",".join(([str(int(labels[j]))] if labels is not None else []) + [repr(float(a)) for a in AL[:, j]]))
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
        print("Wrote %i prediction%s to %s" % (AL.shape[1], "" if AL.shape[1] == 1 else "s", args.output))
    else:
        sys.stdout.write(text)


def train_command(args):
    X, Y, standardization = load_training_data()
    parameters, _ = starting_parameters(args.params)
    if parameters is None:
        parameters = initialize_parameters_deep(LAYER_DIMS)
    elif TRAINING["seed"] is not None:
        # dnn seeds its generator whether or not it draws the weights: dropout's masks come from it.
        np.random.seed(TRAINING["seed"])
    iterations = TRAINING["iterations"] if args.iterations is None else args.iterations
    parameters, cost = model(X, Y, parameters, iterations)
    meta = network_meta()
    meta.update({"iterations": iterations, "seed": TRAINING["seed"]})
    if cost is not None:
        meta["finalCost"] = cost
    if standardization:
        meta["standardization"] = standardization
    if args.save and is_main_process():
        save_parameters(args.save, parameters, meta)
        print("Saved the parameters to %s" % args.save)


def main(argv):
    parser = argparse.ArgumentParser(description="The network of %s (%s)." % (NETWORK["source"], FRAMEWORK))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="one row of outputs per example of a CSV")
    p.add_argument("--input", required=True)
    p.add_argument("--output")
    p.add_argument("--params", help="a parameters file instead of the embedded weights")
    p.add_argument("--label", help="the label column of the input, if it has one")
    t = sub.add_parser("train", help="train with the file's settings and save the parameters")
    t.add_argument("--iterations", type=int)
    t.add_argument("--params", help="start from this parameters file")
    t.add_argument("--save", required=True)
    args = parser.parse_args(argv)
    if args.command == "predict":
        predict_command(args)
    else:
        train_command(args)


if __name__ == "__main__":
    main(sys.argv[1:])
`;

export const NUMPY_SCRIPT = PY_PRELUDE + PY_INIT + NUMPY_PART + PY_FILES + PY_COMMANDS;
