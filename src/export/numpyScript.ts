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
LAYERS = NETWORK["layers"]
LOSS = NETWORK["loss"]
TRAINING = NETWORK["training"]
LAYER_DIMS = [NETWORK["inputUnits"]] + [layer["units"] for layer in LAYERS]


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


def linear_activation_forward(A_prev, W, b, layer):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = activation_forward(Z, layer["activation"], layer["alpha"])
    return A, (linear_cache, Z, A)


def L_model_forward(X, parameters):
    """AL (n[L], m) and the caches of layers 1..L."""
    caches = []
    A = X
    for l, layer in enumerate(LAYERS, start=1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], layer)
        caches.append(cache)
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
        cost += (1 / m) * (lambd / 2) * sum(np.sum(np.square(parameters["W" + str(l)])) for l in range(1, len(LAYERS) + 1))
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
    out = LAYERS[L - 1]
    linear_cache, Z, A = caches[L - 1]
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
    dA_prev, grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(dZ, linear_cache, lambd)
    for l in reversed(range(1, L)):
        linear_cache, Z, A = caches[l - 1]
        layer = LAYERS[l - 1]
        dZ = activation_backward(dA_prev, Z, A, layer["activation"], layer["alpha"])
        dA_prev, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache, lambd)
    return grads


# ---- Optimisers (course 2, week 2) -----------------------------------------------------------

def initialize_state(parameters):
    return {k: np.zeros_like(v) for k, v in parameters.items()}


def update_parameters(parameters, grads, learning_rate, state, t):
    """One update of every W and b: gd, momentum, RMSprop or Adam as the file says."""
    opt = TRAINING["optimizer"]
    for l in range(1, len(LAYERS) + 1):
        for p in ("W", "b"):
            key = p + str(l)
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
            AL, caches = L_model_forward(mX, parameters)
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
export const PY_INIT = String.raw`def initialize_parameters_deep(layer_dims):
    """W[l] (n[l], n[l-1]) and b[l] (n[l], 1) as the file's init says, drawn in the course's order."""
    init = TRAINING["init"]
    if init["scheme"] == "file":
        return load_parameters(os.path.join(SPEC_DIR, init["file"]))[0]
    if TRAINING["seed"] is not None:
        np.random.seed(TRAINING["seed"])
    parameters = {}
    for l in range(1, len(layer_dims)):
        shape = (layer_dims[l], layer_dims[l - 1])
        if init["scheme"] == "zeros":
            W = np.zeros(shape)
        elif init["scheme"] == "random":
            W = np.random.randn(*shape) * init["scale"]
        elif init["scheme"] == "xavier":
            W = np.random.randn(*shape) / np.sqrt(layer_dims[l - 1])
        else:  # he
            W = np.random.randn(*shape) * np.sqrt(2 / layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
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
    for l in range(1, len(LAYERS) + 1):
        out["W" + str(l)] = parameters["W" + str(l)].tolist()
        out["b" + str(l)] = parameters["b" + str(l)].tolist()
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


def load_training_data():
    """X (n[0], m) and Y (n[L], m) as dnn train reads them, standardised when the file says so."""
    data = NETWORK["data"]
    if data is None:
        fail("%s names no data to train on" % NETWORK["source"])
    if data.get("devFraction", 0) > 0 and not data.get("dev"):
        fail("this script does not hold out a dev fraction yet; train without devFraction or with a dev file")
    if data["kind"] == "csv":
        X, labels = read_csv(os.path.join(SPEC_DIR, data["train"]), data["label"], True)
    elif data["kind"] == "hdf5":
        X, labels = read_h5(os.path.join(SPEC_DIR, data["train"]), data)
    else:
        fail("this script does not read %s data yet: export the data as CSV, or train with dnn" % data["kind"])
    Y = labels if LOSS == "mse" else encode(labels, LAYER_DIMS[-1])
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
