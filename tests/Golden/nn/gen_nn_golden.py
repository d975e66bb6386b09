#!/usr/bin/python3
"""Generates nn_golden.json: PyTorch reference values for Latent.NN's layers, losses, optimizers and schedules.

Run with the PyTorch 1.13 interpreter: /usr/bin/python3 tests/Golden/nn/gen_nn_golden.py
Every input is drawn here from a seeded generator and stored beside the results, so the C# tests read inputs
and expected values from the same file. Tensors are stored as {"shape": [...], "data": [...]} (row-major,
float32 values written exactly as doubles). Never regenerate to make a failing test pass.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)
OUT = {}


def t(x):
    x = x.detach().to(torch.float32).contiguous()
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1).tolist()]}


def rnd(*shape, scale=1.0):
    return torch.randn(*shape) * scale


# ---- optimizers: a linear layer + MSE on fixed data, 10 steps ------------------------------------------------
def optim_cases():
    w0 = rnd(3, 4, scale=0.5)
    b0 = rnd(3, scale=0.5)
    x = rnd(8, 4)
    y = rnd(8, 3)
    cases = {"w0": t(w0), "b0": t(b0), "x": t(x), "y": t(y), "runs": {}}
    configs = {
        "sgd_plain": (lambda p: torch.optim.SGD(p, lr=0.1), None),
        "sgd_momentum": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), None),
        "sgd_dampening": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.3), None),
        "sgd_nesterov": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True), None),
        "sgd_weight_decay": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.1), None),
        "sgd_clip": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 0.5),
        "adam": (lambda p: torch.optim.Adam(p, lr=0.05), None),
        "adam_l2": (lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1), None),
        "adamw_default": (lambda p: torch.optim.AdamW(p, lr=0.05), None),
        "adamw": (lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1), None),
        "adamw_clip": (lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1), 0.5),
    }
    for name, (make, clip) in configs.items():
        w = w0.clone().requires_grad_()
        b = b0.clone().requires_grad_()
        opt = make([w, b])
        ws, bs, losses, norms = [], [], [], []
        for _ in range(10):
            opt.zero_grad()
            loss = F.mse_loss(x @ w.t() + b, y)
            loss.backward()
            if clip is not None:
                norms.append(float(torch.nn.utils.clip_grad_norm_([w, b], clip)))
            opt.step()
            losses.append(float(loss))
            ws.append(t(w))
            bs.append(t(b))
        cases["runs"][name] = {"clip": clip, "losses": losses, "norms": norms, "w": ws, "b": bs}
    OUT["optim"] = cases


# ---- layers ----------------------------------------------------------------------------------------------------
def batchnorm_case(name, layer, shape, momentum_none=False):
    c = shape[1]
    with torch.no_grad():
        layer.weight.copy_(rnd(c, scale=0.5) + 1)
        layer.bias.copy_(rnd(c, scale=0.5))
    case = {"weight": t(layer.weight), "bias": t(layer.bias), "train": [], "eval": None}
    layer.train()
    for step in range(3):
        x = (rnd(*shape) * (1 + step) + step).requires_grad_()
        g = rnd(*shape)
        layer.zero_grad()
        yv = layer(x)
        (yv * g).sum().backward()
        case["train"].append({"x": t(x), "g": t(g), "y": t(yv), "gx": t(x.grad), "gw": t(layer.weight.grad),
                              "gb": t(layer.bias.grad), "running_mean": t(layer.running_mean),
                              "running_var": t(layer.running_var),
                              "num_batches_tracked": int(layer.num_batches_tracked)})
    layer.eval()
    x = rnd(*shape).requires_grad_()
    g = rnd(*shape)
    layer.zero_grad()
    yv = layer(x)
    (yv * g).sum().backward()
    case["eval"] = {"x": t(x), "g": t(g), "y": t(yv), "gx": t(x.grad), "gw": t(layer.weight.grad), "gb": t(layer.bias.grad)}
    OUT[name] = case


def layernorm_case(name, x_shape, normalized):
    ln = nn.LayerNorm(normalized)
    with torch.no_grad():
        ln.weight.copy_(rnd(*normalized, scale=0.5) + 1)
        ln.bias.copy_(rnd(*normalized, scale=0.5))
    x = (rnd(*x_shape) * 2 + 0.5).requires_grad_()
    g = rnd(*x_shape)
    yv = ln(x)
    (yv * g).sum().backward()
    OUT[name] = {"normalized_shape": list(normalized), "weight": t(ln.weight), "bias": t(ln.bias), "x": t(x), "g": t(g),
                 "y": t(yv), "gx": t(x.grad), "gw": t(ln.weight.grad), "gb": t(ln.bias.grad)}


def rnn_cell_case(name, cell, batch, lstm):
    x = rnd(batch, cell.input_size).requires_grad_()
    h = rnd(batch, cell.hidden_size, scale=0.5).requires_grad_()
    case = {"weight_ih": t(cell.weight_ih), "weight_hh": t(cell.weight_hh), "bias_ih": t(cell.bias_ih),
            "bias_hh": t(cell.bias_hh), "x": t(x), "h": t(h)}
    gh = rnd(batch, cell.hidden_size)
    case["gh"] = t(gh)
    if lstm:
        c = rnd(batch, cell.hidden_size, scale=0.5).requires_grad_()
        gc = rnd(batch, cell.hidden_size)
        h1, c1 = cell(x, (h, c))
        ((h1 * gh).sum() + (c1 * gc).sum()).backward()
        case.update({"c": t(c), "gc": t(gc), "h1": t(h1), "c1": t(c1), "grad_c": t(c.grad)})
    else:
        h1 = cell(x, h)
        (h1 * gh).sum().backward()
        case["h1"] = t(h1)
    case.update({"grad_x": t(x.grad), "grad_h": t(h.grad), "grad_weight_ih": t(cell.weight_ih.grad),
                 "grad_weight_hh": t(cell.weight_hh.grad), "grad_bias_ih": t(cell.bias_ih.grad),
                 "grad_bias_hh": t(cell.bias_hh.grad)})
    OUT[name] = case


def layer_cases():
    batchnorm_case("batchnorm1d_2d", nn.BatchNorm1d(3), [6, 3])
    batchnorm_case("batchnorm1d_3d", nn.BatchNorm1d(3), [4, 3, 5])
    batchnorm_case("batchnorm2d", nn.BatchNorm2d(3), [4, 3, 3, 3])
    batchnorm_case("batchnorm2d_cumulative", nn.BatchNorm2d(3, momentum=None), [2, 3, 2, 2])
    layernorm_case("layernorm_last", [4, 5, 6], [6])
    layernorm_case("layernorm_two", [4, 5, 6], [5, 6])
    rnn_cell_case("lstmcell", nn.LSTMCell(5, 4), 3, lstm=True)
    rnn_cell_case("grucell", nn.GRUCell(5, 4), 3, lstm=False)
    emb = nn.Embedding(7, 4)
    ids = torch.tensor([[1, 3, 3], [0, 6, 1]])
    g = rnd(2, 3, 4)
    yv = emb(ids)
    (yv * g).sum().backward()
    OUT["embedding"] = {"weight": t(emb.weight), "ids": ids.reshape(-1).tolist(), "ids_shape": list(ids.shape),
                        "g": t(g), "y": t(yv), "grad_weight": t(emb.weight.grad)}


# ---- losses ----------------------------------------------------------------------------------------------------
def loss_case(name, fn, inputs, grad_of):
    """fn(*inputs, reduction) for each reduction; grads of sum(loss * u) with respect to inputs[grad_of]."""
    case = {"inputs": [t(v) if v.is_floating_point() else v.reshape(-1).tolist() for v in inputs]}
    for red in ["mean", "sum", "none"]:
        leaves = [v.clone().requires_grad_() if isinstance(v, torch.Tensor) and v.is_floating_point() and i in grad_of else v
                  for i, v in enumerate(inputs)]
        out = fn(*leaves, red)
        u = rnd(*out.shape) if red == "none" else torch.ones(())
        (out * u).sum().backward()
        case[red] = {"value": t(out), "u": t(u), "grads": {str(i): t(leaves[i].grad) for i in grad_of}}
    OUT[name] = case


def kl_std(mu, lv, red):
    q = torch.distributions.Normal(mu, torch.exp(0.5 * lv))
    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    per = torch.distributions.kl_divergence(q, p).sum(-1)
    return {"mean": per.mean(), "sum": per.sum(), "none": per}[red]


def kl_two(mu1, lv1, mu2, lv2, red):
    q = torch.distributions.Normal(mu1, torch.exp(0.5 * lv1))
    p = torch.distributions.Normal(mu2, torch.exp(0.5 * lv2))
    per = torch.distributions.kl_divergence(q, p).sum(-1)
    return {"mean": per.mean(), "sum": per.sum(), "none": per}[red]


def loss_cases():
    logits = rnd(5, 4, scale=2)
    targets = torch.tensor([0, 3, 1, 1, 2])
    loss_case("ce_index", lambda x, tg, r: F.cross_entropy(x, tg, reduction=r), [logits, targets], [0])
    OUT["ce_index"]["targets"] = targets.tolist()
    logits_sp = rnd(2, 3, 2, 2, scale=2)
    targets_sp = torch.tensor([[[0, 2], [1, 1]], [[2, 0], [0, 1]]])
    loss_case("ce_index_spatial", lambda x, tg, r: F.cross_entropy(x, tg, reduction=r), [logits_sp, targets_sp], [0])
    OUT["ce_index_spatial"]["targets"] = targets_sp.reshape(-1).tolist()
    probs = torch.softmax(rnd(5, 4), dim=1)
    loss_case("ce_prob", lambda x, p, r: F.cross_entropy(x, p, reduction=r), [logits, probs], [0, 1])
    mean = rnd(4, 3)
    target = rnd(4, 3)
    var = torch.rand(4, 3) + 0.1
    var[0, 1] = 1e-8  # below eps: clamped in value, not in gradient
    var[2, 2] = 0.0
    loss_case("gnll_full_var", lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, reduction=r), [mean, target, var], [0, 1, 2])
    var_col = torch.rand(4, 1) + 0.2
    loss_case("gnll_column_var", lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, reduction=r), [mean, target, var_col], [0, 2])
    var_row = torch.rand(4) + 0.2
    loss_case("gnll_row_var", lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, reduction=r), [mean, target, var_row], [0, 2])
    loss_case("gnll_full_const", lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, full=True, reduction=r), [mean, target, var], [0, 2])
    mu, lv = rnd(4, 3), rnd(4, 3, scale=0.7)
    loss_case("kl_std", kl_std, [mu, lv], [0, 1])
    mu2, lv2 = rnd(4, 3), rnd(4, 3, scale=0.7)
    loss_case("kl_two", kl_two, [mu, lv, mu2, lv2], [0, 1, 2, 3])
    a, b = rnd(3, 5), rnd(3, 5)
    loss_case("mse", lambda x, y, r: F.mse_loss(x, y, reduction=r), [a, b], [0, 1])
    p = torch.sigmoid(rnd(3, 5) * 2)
    y01 = torch.rand(3, 5)
    loss_case("bce", lambda x, y, r: F.binary_cross_entropy(x, y, reduction=r), [p, y01], [0])
    z = rnd(3, 5, scale=3)
    z[0, 0] = 30.0
    z[1, 1] = -30.0
    loss_case("bce_with_logits", lambda x, y, r: F.binary_cross_entropy_with_logits(x, y, reduction=r), [z, y01], [0, 1])


# ---- schedules -------------------------------------------------------------------------------------------------
def lr_sequence(make, steps=20, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for i in range(steps):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def schedule_cases():
    import warnings
    warnings.simplefilter("ignore")
    S = torch.optim.lr_scheduler
    metrics = [1.0, 0.9, 0.95, 0.95, 0.9, 0.89995, 0.899, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
    OUT["schedules"] = {
        "base_lr": 0.1,
        "step": lr_sequence(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
        "exponential": lr_sequence(lambda o: S.ExponentialLR(o, gamma=0.9)),
        "cosine": lr_sequence(lambda o: S.CosineAnnealingLR(o, T_max=6, eta_min=0.01)),
        "warmup": lr_sequence(lambda o: S.LinearLR(o, start_factor=1 / 3, total_iters=4)),
        "warmup_cosine": lr_sequence(lambda o: S.SequentialLR(
            o, [S.LinearLR(o, start_factor=1 / 3, total_iters=4), S.CosineAnnealingLR(o, T_max=8, eta_min=0.0)], milestones=[4])),
        "plateau_metrics": metrics,
        "plateau": lr_sequence(lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=0.02), metrics=metrics),
    }


def conv_layer_cases():
    """Conv2d / ConvTranspose2d layer forward and backward (the tests wait for the conv kernels)."""
    specs = {
        "conv2d_layer": (nn.Conv2d(3, 4, 3, stride=2, padding=1), [2, 3, 7, 7]),
        "conv2d_layer_dilated": (nn.Conv2d(2, 3, 3, padding=2, dilation=2), [1, 2, 6, 5]),
        "conv_transpose2d_layer": (nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1), [2, 4, 4, 4]),
    }
    for name, (layer, shape) in specs.items():
        x = rnd(*shape).requires_grad_()
        yv = layer(x)
        g = rnd(*yv.shape)
        (yv * g).sum().backward()
        OUT[name] = {"stride": layer.stride[0], "padding": layer.padding[0], "dilation": layer.dilation[0],
                     "output_padding": layer.output_padding[0], "weight": t(layer.weight), "bias": t(layer.bias),
                     "x": t(x), "g": t(g), "y": t(yv), "gx": t(x.grad), "gw": t(layer.weight.grad), "gb": t(layer.bias.grad)}


def state_dict_cases():
    """Checkpoint key names and shapes, in PyTorch's order, for the layers Latent.NN mirrors."""
    modules = {
        "sequential": nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.LayerNorm(3), nn.Dropout(0.1),
                                    nn.Flatten(), nn.Unflatten(1, (3, 1))),
        "batchnorm2d": nn.BatchNorm2d(5),
        "conv2d": nn.Conv2d(3, 8, 5),
        "conv_transpose2d": nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1),
        "embedding": nn.Embedding(10, 6),
        "lstmcell": nn.LSTMCell(5, 7),
        "grucell": nn.GRUCell(5, 7),
        "layernorm": nn.LayerNorm([4, 5]),
    }
    OUT["state_dicts"] = {name: [[k, list(v.shape)] for k, v in m.state_dict().items()] for name, m in modules.items()}


optim_cases()
layer_cases()
state_dict_cases()
loss_cases()
schedule_cases()
conv_layer_cases()  # last, so that adding it left the other cases' random inputs unchanged
OUT["_generator"] = {"script": "tests/Golden/nn/gen_nn_golden.py", "torch": torch.__version__}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_golden.json")
with open(path, "w") as f:
    json.dump(OUT, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
