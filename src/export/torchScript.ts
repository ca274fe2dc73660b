/**
 * The PyTorch part of the exported script (see pytorch.ts): an nn.Module with the file's layers,
 * the course's losses, the course's optimisers written out, and a training loop that runs on one
 * CPU or GPU, or under torchrun with DistributedDataParallel unchanged. It serves PY_COMMANDS
 * through the same names as the numpy part.
 */
export const TORCH_PART = String.raw`# ---- The network in PyTorch, float64 like the engine ------------------------------------------

import torch

torch.set_default_dtype(torch.float64)
FRAMEWORK = "pytorch"


def is_distributed():
    """Started by torchrun (or any launcher that sets WORLD_SIZE) with more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def is_main_process():
    return not is_distributed() or torch.distributed.get_rank() == 0


def device():
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device("cpu")


def activation(Z, layer):
    name = layer["activation"]
    if name == "sigmoid":
        return torch.sigmoid(Z)
    if name == "tanh":
        return torch.tanh(Z)
    if name == "relu":
        return torch.relu(Z)
    if name == "leaky-relu":
        return torch.nn.functional.leaky_relu(Z, layer["alpha"])
    if name == "softmax":
        return torch.softmax(Z, dim=1)
    return Z


class Net(torch.nn.Module):
    """Linear l holds W[l] as its weight, (n[l], n[l-1]) as in the course, and b[l] as its bias; a
    layer with batch norm also has gamma<l> and beta<l>, and its running averages as buffers.

    Rows are examples here, as torch has them: forward takes X.T (m, n[0]) and gives AL.T (m, n[L]).
    """

    def __init__(self):
        super().__init__()
        self.linears = torch.nn.ModuleList([torch.nn.Linear(LAYER_DIMS[l - 1], LAYER_DIMS[l]) for l in range(1, len(LAYER_DIMS))])
        self.bn = torch.nn.ParameterDict()
        for l, layer in enumerate(LAYERS, start=1):
            if layer["batchNorm"]:
                self.bn["gamma" + str(l)] = torch.nn.Parameter(torch.ones(LAYER_DIMS[l]))
                self.bn["beta" + str(l)] = torch.nn.Parameter(torch.zeros(LAYER_DIMS[l]))
                self.register_buffer("runningMean" + str(l), torch.zeros(LAYER_DIMS[l]))
                self.register_buffer("runningVar" + str(l), torch.ones(LAYER_DIMS[l]))

    def weights(self):
        return [linear.weight for linear in self.linears]

    def batch_norm(self, Z, l):
        """The course's batch norm of each unit over the examples (the batch's mean and biased
        variance in training, the running averages in prediction), eps = 1e-8; autograd gives its
        backward. Under DistributedDataParallel each process normalises over its share of the batch."""
        running_mean, running_var = getattr(self, "runningMean" + l), getattr(self, "runningVar" + l)
        if self.training:
            mu = Z.mean(dim=0)
            var = torch.square(Z - mu).mean(dim=0)
            with torch.no_grad():
                running_mean.copy_(0.9 * running_mean + (1 - 0.9) * mu)
                running_var.copy_(0.9 * running_var + (1 - 0.9) * var)
        else:
            mu, var = running_mean, running_var
        return self.bn["gamma" + l] * ((Z - mu) / torch.sqrt(var + 1e-8)) + self.bn["beta" + l]

    def forward(self, X, masks=None):
        """masks: dropout's D of each hidden layer, (m, n[l]) of 0/1, drawn by the training loop."""
        A = X
        for l, (linear, layer) in enumerate(zip(self.linears, LAYERS), start=1):
            Z = linear(A)
            if layer["batchNorm"]:
                Z = self.batch_norm(Z, str(l))
            A = activation(Z, layer)
            if masks is not None and l < len(LAYERS):
                A = A * masks[l - 1] / TRAINING["keepProb"]
        return A


def keys_of(layer):
    """W3, b3 for layer 3; Ws5, bs5 for the shortcut of the block ending at layer 5."""
    key = layer["key"]
    return ("Ws" + key[1:], "bs" + key[1:]) if key[0] == "s" else ("W" + key, "b" + key)


class GraphNet(torch.nn.Module):
    """A network with conv, pool, flatten or residual layers, its parameters by the course's keys.

    The course's layout is kept at the edges: forward takes X as (m, n_H, n_W, n_C) (or (m, n[0])
    when the first layer is dense) and flatten reads each volume channels-last, as reshape(m, -1)
    does, so the first dense layer after it has the course's W. Inside, volumes are torch's
    (m, n_C, n_H, n_W), and a conv W<l> (f_H, f_W, n_C[l-1], n_C[l]) is held as conv2d's weight
    (n_C[l], n_C[l-1], f_H, f_W); to_module and from_module convert.
    """

    def __init__(self):
        super().__init__()
        self.p = torch.nn.ParameterDict()
        for key in TRAINED_KEYS:
            dims = PARAM_DIMS[key]
            if len(dims) == 4:
                shape = (dims[3], dims[2], dims[0], dims[1]) if key[0] == "W" else (dims[3],)
            else:
                shape = tuple(dims) if key[0] == "W" else (dims[0],)
            self.p[key] = torch.nn.Parameter(torch.zeros(shape))
        for key in NETWORK["stateKeys"]:
            self.register_buffer(key, torch.zeros(PARAM_DIMS[key][-1] if len(PARAM_DIMS[key]) == 4 else PARAM_DIMS[key][0]))

    def weights(self):
        return [p for key, p in self.p.items() if key[0] == "W"]

    def batch_norm(self, Z, suffix, conv):
        """Batch norm of each unit, or of each channel over (m, n_H, n_W), as the numpy script's
        batchnorm_forward; autograd gives its backward."""
        dims, shape = ((0, 2, 3), (1, -1, 1, 1)) if conv else ((0,), (1, -1))
        running_mean, running_var = getattr(self, "runningMean" + suffix), getattr(self, "runningVar" + suffix)
        if self.training:
            mu = Z.mean(dim=dims, keepdim=True)
            var = torch.square(Z - mu).mean(dim=dims, keepdim=True)
            with torch.no_grad():
                running_mean.copy_(0.9 * running_mean + (1 - 0.9) * mu.reshape(-1))
                running_var.copy_(0.9 * running_var + (1 - 0.9) * var.reshape(-1))
        else:
            mu, var = running_mean.reshape(shape), running_var.reshape(shape)
        return self.p["gamma" + suffix].reshape(shape) * ((Z - mu) / torch.sqrt(var + 1e-8)) + self.p["beta" + suffix].reshape(shape)

    def layer(self, A, layer, add=None):
        """A dense or conv layer; add (a residual block's input or its shortcut's output) joins Z before g."""
        W_key, b_key = keys_of(layer)
        W, b = self.p[W_key], self.p[b_key]
        if layer["kind"] == "dense":
            Z = torch.nn.functional.linear(A, W, b)
        else:
            g = layer["g"]
            # Explicit padding per side: "same" pads one more after when its total is odd, as
            # TensorFlow does, which conv2d's own padding cannot say.
            Z = torch.nn.functional.conv2d(torch.nn.functional.pad(A, (g["left"], g["right"], g["top"], g["bottom"])), W, b, stride=(g["sH"], g["sW"]))
        if layer["batchNorm"]:
            Z = self.batch_norm(Z, W_key[1:], layer["kind"] == "conv")
        if add is not None:
            Z = Z + add
        return activation(Z, layer)

    @staticmethod
    def windows(A, g, value=0.0):
        """Every window of the padded volume: (m, n_C, n_H, n_W, f_H, f_W)."""
        padded = torch.nn.functional.pad(A, (g["left"], g["right"], g["top"], g["bottom"]), value=value)
        return padded.unfold(2, g["fH"], g["sH"]).unfold(3, g["fW"], g["sW"])

    def pool(self, A, node):
        """Pooling over the windows' real entries only (the padding takes no part), as the engine pools."""
        g = node["g"]
        if node["mode"] == "max":
            win = self.windows(A, g, -float("inf"))
            top = torch.amax(win, dim=(4, 5))
            # The course's mask: every entry equal to its window's maximum gets the window's dA
            # (max_pool2d gives it to one of them). The added sum is zero; only its gradient counts.
            mask = (win == top[..., None, None]).detach()
            return top.detach() + torch.where(mask, win - win.detach(), torch.zeros_like(win)).sum(dim=(4, 5))
        count = self.windows(torch.ones_like(A[:1]), g).sum(dim=(4, 5))
        return self.windows(A, g).sum(dim=(4, 5)) / count

    def forward(self, X, masks=None):
        """masks: dropout's D of each layer dropout_sites names, in torch's layout, drawn by the loop."""
        A = X.permute(0, 3, 1, 2) if GRAPH["volumeInput"] else X
        masks = iter(masks or [])
        keep_prob = TRAINING["keepProb"]

        def drop(A):
            D = next(masks, None)
            return A if D is None else A * D / keep_prob

        nodes = GRAPH["nodes"]
        for i, node in enumerate(nodes):
            kind = node["kind"]
            if kind in ("dense", "conv"):
                A = self.layer(A, node)
                if i < len(nodes) - 1:
                    A = drop(A)
            elif kind == "pool":
                A = self.pool(A, node)
            elif kind == "flatten":
                A = A.permute(0, 2, 3, 1).reshape(A.shape[0], -1)
            else:
                S = self.layer(A, node["shortcut"]) if node["shortcut"] is not None else A
                last = len(node["layers"]) - 1
                for k, layer in enumerate(node["layers"]):
                    A = drop(self.layer(A, layer, S if k == last else None))
        return A


def dropout_sites():
    """The layers whose A dropout drops, in the order dnn draws their masks: every conv and dense
    layer but the output, a residual block's layers too (not its shortcut)."""
    if GRAPH is None:
        return [{"kind": "dense", "units": LAYER_DIMS[l]} for l in range(1, len(LAYERS))]
    sites = []
    for node in GRAPH["nodes"][:-1]:
        if node["kind"] in ("dense", "conv"):
            sites.append(node)
        elif node["kind"] == "residual":
            sites.extend(node["layers"])
    return sites


def draw_masks(mb, dev, rank, world):
    """Dropout's masks for a batch of mb examples from numpy's generator, each in the shape dnn
    draws it ((n[l], m) for a dense layer, (m, n_H, n_W, n_C) for a conv layer), then in torch's
    layout, each process taking its examples' part."""
    keep_prob = TRAINING["keepProb"]
    masks = []
    for site in dropout_sites():
        if site["kind"] == "conv":
            g = site["g"]
            D = (np.random.rand(mb, g["h"], g["w"], g["c"]) < keep_prob).transpose(0, 3, 1, 2)
        else:
            D = (np.random.rand(site["units"], mb) < keep_prob).T
        masks.append(torch.from_numpy(np.ascontiguousarray(D)).to(dev)[rank::world].to(torch.float64))
    return masks


def course_input(X):
    """X (n[0], m) as the module takes it: rows of examples, (m, n_H, n_W, n_C) for a volume input."""
    Xt = torch.from_numpy(np.ascontiguousarray(X.T))
    if GRAPH is not None and GRAPH["volumeInput"]:
        Xt = Xt.reshape((X.shape[1],) + tuple(NETWORK["inputShape"]))
    return Xt


def to_module(parameters):
    if GRAPH is not None:
        net = GraphNet()
        with torch.no_grad():
            for key, p in net.p.items():
                v = parameters[key]
                if key[0] == "W" and v.ndim == 4:
                    v = v.transpose(3, 2, 0, 1)
                elif key[0] != "W":
                    v = v.reshape(-1)
                p.copy_(torch.from_numpy(np.ascontiguousarray(v)))
            for key, p in net.named_buffers():
                p.copy_(torch.from_numpy(parameters[key].reshape(-1)))
        return net
    net = Net()
    with torch.no_grad():
        for l, linear in enumerate(net.linears, start=1):
            linear.weight.copy_(torch.from_numpy(parameters["W" + str(l)]))
            linear.bias.copy_(torch.from_numpy(parameters["b" + str(l)].reshape(-1)))
        for key, p in list(net.bn.items()) + list(net.named_buffers()):
            p.copy_(torch.from_numpy(parameters[key].reshape(-1)))
    return net


def from_module(net):
    parameters = {}
    if GRAPH is not None:
        for key, p in net.p.items():
            v = p.detach().cpu().numpy()
            if len(PARAM_DIMS[key]) == 4:
                v = v.transpose(2, 3, 1, 0) if key[0] == "W" else v.reshape(1, 1, 1, -1)
            elif key[0] != "W":
                v = v.reshape(-1, 1)
            parameters[key] = v.copy()
        for key, p in net.named_buffers():
            v = p.detach().cpu().numpy()
            parameters[key] = v.reshape(1, 1, 1, -1).copy() if len(PARAM_DIMS[key]) == 4 else v.reshape(-1, 1).copy()
        return parameters
    for l, linear in enumerate(net.linears, start=1):
        parameters["W" + str(l)] = linear.weight.detach().cpu().numpy().copy()
        parameters["b" + str(l)] = linear.bias.detach().cpu().numpy().reshape(-1, 1).copy()
    for key, p in list(net.bn.items()) + list(net.named_buffers()):
        parameters[key] = p.detach().cpu().numpy().reshape(-1, 1).copy()
    return parameters


def cost_sum(AL, Y):
    """m times the course's cost of these examples (rows), before dividing by the batch's m."""
    if LOSS == "binary-cross-entropy":
        return -torch.nansum(Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL))
    if LOSS == "categorical-cross-entropy":
        return -torch.sum(torch.where(Y == 0, torch.zeros_like(AL), Y * torch.log(AL)))
    return 0.5 * torch.sum(torch.square(AL - Y))


class CourseOptimizer:
    """update_parameters_with_gd, _momentum and _adam (and RMSprop) as course 2 writes them.

    torch.optim.SGD's momentum is v = beta v + dW and its Adam differs in where epsilon goes, so the
    course's rules are written out: momentum is v = beta v + (1 - beta) dW.
    """

    def __init__(self, params):
        self.params = list(params)
        self.v = [torch.zeros_like(p) for p in self.params]
        self.s = [torch.zeros_like(p) for p in self.params]
        self.t = 0
        self.opt = TRAINING["optimizer"]

    @torch.no_grad()
    def step(self, learning_rate):
        self.t += 1
        o = self.opt
        for p, v, s in zip(self.params, self.v, self.s):
            d = p.grad
            if o["name"] == "gd":
                p -= learning_rate * d
            elif o["name"] == "momentum":
                v.mul_(o["beta"]).add_((1 - o["beta"]) * d)
                p -= learning_rate * v
            elif o["name"] == "rmsprop":
                s.mul_(o["beta2"]).add_((1 - o["beta2"]) * torch.square(d))
                p -= learning_rate * d / (torch.sqrt(s) + o["epsilon"])
            else:
                v.mul_(o["beta1"]).add_((1 - o["beta1"]) * d)
                s.mul_(o["beta2"]).add_((1 - o["beta2"]) * torch.square(d))
                v_corrected = v / (1 - o["beta1"] ** self.t)
                s_corrected = s / (1 - o["beta2"] ** self.t)
                p -= learning_rate * v_corrected / (torch.sqrt(s_corrected) + o["epsilon"])

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def L_model_forward(X, parameters):
    """AL (n[L], m) for X (n[0], m), in the course's layout."""
    with torch.no_grad():
        net = to_module(parameters)
        net.eval()
        AL = net(course_input(X))
    return AL.numpy().T, None


def model(X, Y, parameters, iterations):
    """The course's loop. Under torchrun each process takes every world-th example of each batch,
    and DistributedDataParallel averages the gradients: the loss is scaled by the world size so
    that the average is the whole batch's gradient, and every process ends with the same weights."""
    world, rank = 1, 0
    if is_distributed():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        torch.distributed.init_process_group(backend)
        world, rank = torch.distributed.get_world_size(), torch.distributed.get_rank()
    dev = device()
    net = to_module(parameters).to(dev)
    module = torch.nn.parallel.DistributedDataParallel(net) if world > 1 else net
    optimizer = CourseOptimizer(net.parameters())
    lambd = TRAINING["l2"]
    Xt = course_input(X).to(dev)
    Yt = torch.from_numpy(np.ascontiguousarray(Y.T)).to(dev)
    m = Xt.shape[0]
    batch = TRAINING["batchSize"]
    mini_batches = batch is not None and batch < m
    base = TRAINING["shuffleSeed"] if TRAINING["shuffleSeed"] is not None else TRAINING["seed"]
    cost = None
    for e in range(iterations):
        learning_rate = learning_rate_of_epoch(e)
        if mini_batches:
            # random_mini_batches' shuffle, from numpy's generator as the course seeds it.
            if base is not None:
                np.random.seed(base + 1 + e)
            order = torch.from_numpy(np.random.permutation(m)).to(dev)
            batches = [order[k:k + batch] for k in range(0, m, batch)]
        else:
            batches = [None]
        total = torch.zeros((), device=dev)
        for idx in batches:
            bX, bY = (Xt, Yt) if idx is None else (Xt[idx], Yt[idx])
            mb = bX.shape[0]
            masks = draw_masks(mb, dev, rank, world) if TRAINING["keepProb"] < 1 else None
            part = cost_sum(module(bX[rank::world], masks), bY[rank::world])
            loss = part * (world / mb)
            if lambd > 0:
                loss = loss + (1 / mb) * (lambd / 2) * sum(torch.sum(torch.square(W)) for W in net.weights())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step(learning_rate)
            total += part.detach()
        if world > 1:
            torch.distributed.all_reduce(total)
        cost = float(total) / m
        if is_main_process() and (e % TRAINING["printEvery"] == 0 or e == iterations - 1):
            print("Cost after %s %i: %f" % ("epoch" if mini_batches else "iteration", e, cost))
    if world > 1:
        # Every process must end with the same weights: rank 0's, sent to all, against each one's own.
        difference = torch.zeros((), device=dev)
        for p in net.parameters():
            theirs = p.detach().clone()
            torch.distributed.broadcast(theirs, 0)
            difference = torch.maximum(difference, torch.max(torch.abs(theirs - p.detach())))
        torch.distributed.all_reduce(difference, op=torch.distributed.ReduceOp.MAX)
        if is_main_process():
            print("The %i processes end with the same weights (largest difference %g)" % (world, float(difference)) if float(difference) == 0 else "The processes' weights differ by up to %g" % float(difference))
    return from_module(net), cost


`;
