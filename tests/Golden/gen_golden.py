#!/usr/bin/python3
"""Reference values for Latent's tensor ops, computed by PyTorch in float32.

Run with the system interpreter that has PyTorch (1.13 was used):  /usr/bin/python3 tests/Golden/gen_golden.py
It writes golden.json beside this script. Never regenerate it to make a failing test pass: fix the op.

Each case holds: name, op, params, inputs (shape, data, whether it is differentiated), outputs (one or more),
weights W (one per output, fixed random) and grads: d/d(input) of sum_k sum(output_k * W_k), or null for an
input that is not differentiated. Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20240607)
torch.set_default_dtype(torch.float32)
GEN = torch.Generator().manual_seed(1234)


def randn(*shape):
    return torch.randn(tuple(shape), generator=GEN)


def distinct(*shape):
    """A random arrangement of values 0.1 apart: no ties for max/min/top-k."""
    n = math.prod(shape)
    perm = torch.randperm(n, generator=GEN).float()
    return ((perm - n / 2) * 0.1).reshape(shape)


def positive(*shape):
    return randn(*shape).abs() + 0.3


def away(x, kinks, margin=0.05):
    for k in kinks:
        close = (x - k).abs() < margin
        x = torch.where(close, k + torch.sign(x - k + 1e-9) * margin * 1.5, x)
    return x


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def arr(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [enc(v) for v in t.reshape(-1).tolist()]}


CASES = []


def case(name, op, fn, inputs, params=None, diff=None):
    """fn(*inputs) -> tensor or tuple of tensors; diff[i] says whether input i is differentiated."""
    if diff is None:
        diff = [True] * len(inputs)
    xs = [x.detach().clone().to(torch.float32).requires_grad_(d) for x, d in zip(inputs, diff)]
    out = fn(*xs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    weights = [randn(*o.shape) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights) if o.requires_grad)
    wanted = [x for x in xs if x.requires_grad]
    grads = torch.autograd.grad(loss, wanted, allow_unused=True) if wanted and torch.is_tensor(loss) else []
    it = iter(grads)
    grad_list = []
    for x in xs:
        if x.requires_grad:
            g = next(it)
            grad_list.append(arr(g if g is not None else torch.zeros_like(x)))
        else:
            grad_list.append(None)
    assert all(c["name"] != name for c in CASES), f"duplicate case name {name}"
    CASES.append({
        "name": name,
        "op": op,
        "params": params or {},
        "inputs": [dict(arr(x), grad=bool(d)) for x, d in zip(xs, diff)],
        "outputs": [arr(o) for o in outs],
        "weights": [arr(w) for w in weights],
        "grads": grad_list,
    })


# ---- unary -------------------------------------------------------------------------------------------
UNARY = {
    "exp": (torch.exp, None, []), "log": (torch.log, "pos", []), "sqrt": (torch.sqrt, "pos", []),
    "abs": (torch.abs, None, [0.0]), "relu": (torch.relu, None, [0.0]), "sigmoid": (torch.sigmoid, None, []),
    "tanh": (torch.tanh, None, []), "gelu": (F.gelu, None, []), "softplus": (F.softplus, None, []),
    "square": (torch.square, None, []), "neg": (torch.neg, None, []),
}
for op, (fn, dom, kinks) in UNARY.items():
    for shape in [(7,), (2, 3, 4), ()]:
        x = positive(*shape) if dom == "pos" else away(randn(*shape) * 2, kinks)
        case(f"{op}_{'x'.join(map(str, shape)) or 'scalar'}", op, fn, [x])

for p in [3.0, 0.5, -1.5, 2.0, 0.0]:
    x = positive(3, 4) if p != int(p) or p < 0 else randn(3, 4)
    case(f"pow_scalar_{p}", "pow_scalar", lambda x, p=p: x.pow(p), [x], {"p": p})
for lo, hi in [(-0.5, 0.7), (0.2, None), (None, 0.1)]:
    x = away(randn(3, 5), [v for v in (lo, hi) if v is not None])
    case(f"clamp_{lo}_{hi}", "clamp", lambda x, lo=lo, hi=hi: x.clamp(lo, hi), [x], {"min": lo, "max": hi})
for slope in [0.01, 0.2]:
    case(f"leaky_relu_{slope}", "leaky_relu", lambda x, s=slope: F.leaky_relu(x, s), [away(randn(4, 5), [0.0])], {"slope": slope})
for alpha in [1.0, 0.5]:
    case(f"elu_{alpha}", "elu", lambda x, a=alpha: F.elu(x, a), [away(randn(4, 5), [0.0])], {"alpha": alpha})

# Edge values: kinks (PyTorch's conventions at 0 and at clamp bounds), softplus threshold, large inputs.
case("relu_at_zero", "relu", torch.relu, [torch.tensor([-1.0, 0.0, 2.0])])
case("abs_at_zero", "abs", torch.abs, [torch.tensor([-1.0, 0.0, 2.0])])
case("clamp_at_bounds", "clamp", lambda x: x.clamp(-0.5, 0.7), [torch.tensor([-0.5, 0.7, 0.0, 1.0])], {"min": -0.5, "max": 0.7})
case("softplus_wide", "softplus", F.softplus, [torch.tensor([-100.0, -30.0, -20.0, -1.0, 0.0, 1.0, 19.9, 20.0, 20.1, 50.0])])
case("gelu_wide", "gelu", F.gelu, [torch.tensor([-6.0, -3.0, -1.0, -0.1, 0.0, 0.1, 1.0, 3.0, 6.0])])
case("sigmoid_wide", "sigmoid", torch.sigmoid, [torch.tensor([-50.0, -10.0, 0.0, 10.0, 50.0])])
case("tanh_wide", "tanh", torch.tanh, [torch.tensor([-20.0, -3.0, 0.0, 0.5, 20.0])])
case("elu_wide", "elu", lambda x: F.elu(x, 1.0), [torch.tensor([-20.0, -1e-4, 1e-4, 3.0])], {"alpha": 1.0})
case("sqrt_at_zero", "sqrt", torch.sqrt, [torch.tensor([0.0, 4.0])])
case("log_at_zero", "log", torch.log, [torch.tensor([0.0, 1.0])])

# ---- binary with broadcasting ---------------------------------------------------------------------------
BCAST = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), ()), ((), (2, 3)), ((1,), (2, 3)),
         ((4, 2, 3), (2, 3)), ((2, 3), (4, 2, 3)), ((3, 1), (1, 4)), ((2, 1, 3), (4, 1)), ((2, 3, 1, 2), (3, 5, 1))]
BINARY = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
          "maximum": torch.maximum, "minimum": torch.minimum}
for op, fn in BINARY.items():
    for sa, sb in BCAST:
        if op in ("maximum", "minimum"):
            v = distinct(math.prod(sa) + math.prod(sb))
            a, b = v[:math.prod(sa)].reshape(sa), v[math.prod(sa):].reshape(sb)
        else:
            a, b = randn(*sa), randn(*sb)
            if op == "div":
                b = b.abs() + 0.5
            if op == "pow":
                a = a.abs() + 0.5
        case(f"{op}_{list(sa)}_{list(sb)}", op, fn, [a, b])
case("maximum_ties", "maximum", torch.maximum, [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 1.0, 4.0])])
case("minimum_ties", "minimum", torch.minimum, [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 1.0, 4.0])])
case("pow_masks", "pow", torch.pow, [torch.tensor([0.0, 0.0, 2.0, 3.0]), torch.tensor([0.0, 2.0, 0.0, -1.0])])
for sc, sa, sb in [((2, 3), (2, 3), (2, 3)), ((2, 1), (3,), (1,)), ((3,), (2, 1), ()), ((1, 1), (4, 1, 3), (2, 1))]:
    cond = (torch.rand(tuple(sc), generator=GEN) > 0.5).float()
    case(f"where_{list(sc)}_{list(sa)}_{list(sb)}", "where", lambda c, a, b: torch.where(c != 0, a, b),
         [cond, randn(*sa), randn(*sb)], diff=[False, True, True])

# ---- reductions -------------------------------------------------------------------------------------------
for axes, keep in [([0], False), ([1], True), ([-1], False), ([-1], True), ([0, 2], False), ([0, 2], True),
                   ([-1, 1], False), ([0, 1, 2], True)]:
    x = randn(2, 3, 4)
    tag = f"{axes}_{keep}"
    case(f"sum_{tag}", "sum", lambda x, a=axes, k=keep: x.sum(dim=a, keepdim=k), [x], {"axes": axes, "keepdim": keep})
    case(f"mean_{tag}", "mean", lambda x, a=axes, k=keep: x.mean(dim=a, keepdim=k), [x], {"axes": axes, "keepdim": keep})
    for unbiased in [True, False]:
        case(f"var_{tag}_{unbiased}", "var", lambda x, a=axes, k=keep, u=unbiased: x.var(dim=a, unbiased=u, keepdim=k), [x],
             {"axes": axes, "keepdim": keep, "unbiased": unbiased})
case("sum_all", "sum_all", lambda x: x.sum(), [randn(3, 4)])
case("mean_all", "mean_all", lambda x: x.mean(), [randn(3, 4)])
case("sum_large_row", "sum", lambda x: x.sum(dim=1), [randn(3, 500)], {"axes": [1], "keepdim": False})
for axis, keep in [(0, False), (1, True), (-1, False), (-1, True)]:
    x = distinct(2, 3, 4)
    case(f"max_{axis}_{keep}", "max", lambda x, a=axis, k=keep: x.max(dim=a, keepdim=k).values, [x], {"axis": axis, "keepdim": keep})
    case(f"min_{axis}_{keep}", "min", lambda x, a=axis, k=keep: x.min(dim=a, keepdim=k).values, [x], {"axis": axis, "keepdim": keep})
    if (axis, keep) == (-1, True):  # the axis-only ops below already have an axis -1 case
        continue
    case(f"argmax_{axis}", "argmax", lambda x, a=axis: x.argmax(dim=a).float(), [x], {"axis": axis}, diff=[False])
    case(f"argmin_{axis}", "argmin", lambda x, a=axis: x.argmin(dim=a).float(), [x], {"axis": axis}, diff=[False])
    x = randn(2, 3, 4) * 3
    case(f"logsumexp_{axis}_{keep}", "logsumexp", lambda x, a=axis, k=keep: torch.logsumexp(x, dim=a, keepdim=k), [x],
         {"axis": axis, "keepdim": keep})
    case(f"softmax_{axis}", "softmax", lambda x, a=axis: torch.softmax(x, dim=a), [x], {"axis": axis})
    case(f"log_softmax_{axis}", "log_softmax", lambda x, a=axis: torch.log_softmax(x, dim=a), [x], {"axis": axis})
case("max_ties_first", "max", lambda x: x.max(dim=1).values, [torch.tensor([[1.0, 3.0, 3.0, 0.0]])], {"axis": 1, "keepdim": False})
case("argmax_ties_first", "argmax", lambda x: x.argmax(dim=1).float(), [torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 0.0, 2.0]])],
     {"axis": 1}, diff=[False])
case("softmax_large", "softmax", lambda x: torch.softmax(x, dim=-1), [torch.tensor([[1000.0, 0.0, -1000.0], [90.0, 89.0, 88.0]])], {"axis": -1})
case("softmax_large_axis0", "softmax", lambda x: torch.softmax(x, dim=0), [torch.tensor([[1000.0, 90.0], [0.0, 89.0]])], {"axis": 0})
case("log_softmax_large", "log_softmax", lambda x: torch.log_softmax(x, dim=-1), [torch.tensor([[1000.0, 0.0], [-5.0, 5.0]])], {"axis": -1})
case("logsumexp_large", "logsumexp", lambda x: torch.logsumexp(x, dim=1), [torch.tensor([[100.0, 100.0], [-100.0, -101.0]])],
     {"axis": 1, "keepdim": False})

# ---- matmul ---------------------------------------------------------------------------------------------
MM = [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 3, 4), (2, 4, 5)), ((2, 1, 3, 4), (3, 4, 2)),
      ((1, 3, 4), (2, 4, 1)), ((8, 16), (16, 12))]
for sa, sb in MM:
    for ta in [False, True]:
        for tb in [False, True]:
            a, b = randn(*sa), randn(*sb)
            # store transposed operands when the flag is set, so op(a) @ op(b) has the shapes above
            a_in = a.transpose(-2, -1).contiguous() if ta else a
            b_in = b.transpose(-2, -1).contiguous() if tb else b
            case(f"matmul_{list(sa)}_{list(sb)}_{ta}_{tb}", "matmul",
                 lambda a, b, ta=ta, tb=tb: torch.matmul(a.transpose(-2, -1) if ta else a, b.transpose(-2, -1) if tb else b),
                 [a_in, b_in], {"transposeA": ta, "transposeB": tb})

# ---- shape ops ------------------------------------------------------------------------------------------
case("reshape", "reshape", lambda x: x.reshape(4, -1), [randn(2, 3, 2)], {"shape": [4, -1]})
for perm in [[1, 0], [2, 0, 1], [1, 2, 0], [0, 2, 1, 3], [3, 1, 0, 2]]:
    shape = (2, 3, 4, 2)[:len(perm)]
    case(f"permute_{perm}", "permute", lambda x, p=perm: x.permute(*p), [randn(*shape)], {"perm": perm})
case("transpose_0_-1", "transpose", lambda x: x.transpose(0, -1), [randn(2, 3, 4)], {"axis0": 0, "axis1": -1})
for starts, sizes in [([1, 0, 2], [2, 3, 2]), ([0, 1, 0], [3, 2, 5]), ([2, 3, 4], [1, 1, 1])]:
    case(f"slice_{starts}_{sizes}", "slice",
         lambda x, s=starts, z=sizes: x[s[0]:s[0] + z[0], s[1]:s[1] + z[1], s[2]:s[2] + z[2]], [randn(3, 4, 5)],
         {"starts": starts, "sizes": sizes})
for pads in [[[0, 1], [2, 0], [1, 1]], [[1, 0], [0, 0], [2, 3]]]:
    flat = [v for pair in reversed(pads) for v in pair]  # F.pad takes the last axis first
    case(f"pad_{pads}", "pad", lambda x, f=flat: F.pad(x, f), [randn(3, 4, 5)], {"pads": pads})
for axis in [0, 1, -1]:
    a = axis % 3
    sb = [2, 3, 4]; sb[a] = 1
    sc = [2, 3, 4]; sc[a] = 2
    case(f"concat_{axis}", "concat", lambda *xs, ax=axis: torch.cat(xs, dim=ax), [randn(2, 3, 4), randn(*sb), randn(*sc)], {"axis": axis})
    n = [2, 3, 4][a]
    case(f"split_{axis}", "split", lambda x, ax=axis, n=n: torch.split(x, [1, n - 1], dim=ax), [randn(2, 3, 4)],
         {"sizes": [1, n - 1], "axis": axis})
    case(f"chunk_{axis}", "chunk", lambda x, ax=axis: torch.chunk(x, 2, dim=ax), [randn(2, 3, 4)], {"chunks": 2, "axis": axis})
case("chunk_uneven", "chunk", lambda x: torch.chunk(x, 4, dim=0), [randn(7, 2)], {"chunks": 4, "axis": 0})
case("stack_1", "stack", lambda a, b: torch.stack([a, b], dim=1), [randn(2, 3), randn(2, 3)], {"axis": 1})
for axis, index, shape in [(0, [4, 0, 4, 2], (5, 3)), (-1, [2, 2, 0], (2, 3, 4)), (1, [1], (2, 3, 4))]:
    case(f"index_select_{axis}_{index}", "index_select", lambda x, a=axis, i=index: torch.index_select(x, a, torch.tensor(i)),
         [randn(*shape)], {"axis": axis, "index": index})
ids = [[1, 4, 4], [0, 2, 1]]
case("embedding", "embedding", lambda w: F.embedding(torch.tensor(ids), w), [randn(5, 3)], {"ids": ids})
for axis, index, ishape in [(1, [3, 0, 0, 1, 2, 2], [3, 2]), (0, [2, 0, 1, 1, 0, 0, 2, 2], [2, 4])]:
    case(f"gather_{axis}", "gather", lambda x, a=axis, i=index, s=ishape: torch.gather(x, a, torch.tensor(i).reshape(s)),
         [randn(3, 4)], {"axis": axis, "index": index, "indexShape": ishape})
case("scatter_add_1", "scatter_add",
     lambda s: torch.zeros(3, 4).scatter_add(1, torch.tensor([3, 0, 0, 1, 2, 2]).reshape(3, 2), s), [randn(3, 2)],
     {"axis": 1, "index": [3, 0, 0, 1, 2, 2], "shape": [3, 4]})
for axis, largest in [(-1, True), (-1, False), (0, True), (1, False)]:
    x = distinct(3, 5, 2)

    def topk(x, a=axis, l=largest):
        r = torch.topk(x, 2, dim=a, largest=l)
        return r.values, r.indices.float()
    case(f"topk_{axis}_{largest}", "topk", topk, [x], {"k": 2, "axis": axis, "largest": largest})

# ---- convolution, pooling, upsampling (the C# kernels are pending) ----------------------------------------
for (n, c, h, w, o, k, s, p, d) in [(2, 3, 7, 6, 4, 3, 1, 0, 1), (1, 2, 8, 8, 3, 3, 2, 1, 1), (2, 2, 9, 7, 2, 3, 1, 2, 2),
                                    (1, 3, 6, 6, 2, 1, 1, 0, 1), (1, 1, 10, 10, 2, 4, 3, 1, 1)]:
    for bias in [True, False]:
        inputs = [randn(n, c, h, w), randn(o, c, k, k) * 0.5] + ([randn(o)] if bias else [])
        case(f"conv2d_{n}{c}{h}{w}_{o}k{k}_s{s}p{p}d{d}_{'b' if bias else 'nb'}", "conv2d",
             lambda x, wt, b=None, s=s, p=p, d=d: F.conv2d(x, wt, b, stride=s, padding=p, dilation=d), inputs,
             {"stride": s, "padding": p, "dilation": d, "bias": bias})
for (n, c, h, w, o, k, s, p, op_, d) in [(2, 3, 4, 5, 2, 3, 1, 0, 0, 1), (1, 2, 4, 4, 3, 3, 2, 1, 1, 1),
                                         (1, 2, 3, 3, 2, 4, 2, 1, 0, 1), (2, 1, 4, 3, 2, 3, 2, 0, 1, 2),
                                         (1, 2, 5, 5, 2, 3, 3, 2, 2, 1)]:
    for bias in [True, False]:
        inputs = [randn(n, c, h, w), randn(c, o, k, k) * 0.5] + ([randn(o)] if bias else [])
        case(f"conv_transpose2d_{n}{c}{h}{w}_{o}k{k}_s{s}p{p}op{op_}d{d}_{'b' if bias else 'nb'}", "conv_transpose2d",
             lambda x, wt, b=None, s=s, p=p, op_=op_, d=d: F.conv_transpose2d(x, wt, b, stride=s, padding=p, output_padding=op_, dilation=d),
             inputs, {"stride": s, "padding": p, "outputPadding": op_, "dilation": d, "bias": bias})
for (shape, k, s, p) in [((2, 3, 6, 6), 2, 2, 0), ((1, 2, 7, 5), 3, 2, 1), ((1, 1, 5, 5), 3, 1, 1), ((2, 2, 8, 8), 2, 0, 0)]:
    stride = s or k
    case(f"max_pool2d_{list(shape)}_k{k}s{s}p{p}", "max_pool2d", lambda x, k=k, st=stride, p=p: F.max_pool2d(x, k, st, p),
         [distinct(*shape)], {"kernel": k, "stride": s, "padding": p})
    case(f"avg_pool2d_{list(shape)}_k{k}s{s}p{p}", "avg_pool2d",
         lambda x, k=k, st=stride, p=p: F.avg_pool2d(x, k, st, p, count_include_pad=True), [randn(*shape)],
         {"kernel": k, "stride": s, "padding": p})
for shape, scale in [((2, 3, 3, 4), 2), ((1, 1, 2, 2), 3)]:
    case(f"upsample_nearest_{list(shape)}_{scale}", "upsample_nearest",
         lambda x, sc=scale: F.interpolate(x, scale_factor=sc, mode="nearest"), [randn(*shape)], {"scale": scale})

# ---- 1-D convolution (appended after the 2-D cases so their random inputs stay as they were) -------------
for (n, c, l, o, k, s, p, d) in [(2, 3, 9, 4, 3, 1, 0, 1), (1, 2, 12, 3, 4, 2, 1, 1), (2, 2, 11, 2, 3, 1, 2, 2),
                                 (1, 3, 6, 2, 1, 1, 0, 1), (1, 1, 16, 2, 5, 3, 2, 1)]:
    for bias in [True, False]:
        inputs = [randn(n, c, l), randn(o, c, k) * 0.5] + ([randn(o)] if bias else [])
        case(f"conv1d_{n}{c}{l}_{o}k{k}_s{s}p{p}d{d}_{'b' if bias else 'nb'}", "conv1d",
             lambda x, wt, b=None, s=s, p=p, d=d: F.conv1d(x, wt, b, stride=s, padding=p, dilation=d), inputs,
             {"stride": s, "padding": p, "dilation": d, "bias": bias})
for (n, c, l, o, k, s, p, op_, d) in [(2, 3, 5, 2, 3, 1, 0, 0, 1), (1, 2, 6, 3, 3, 2, 1, 1, 1),
                                      (1, 2, 4, 2, 4, 2, 1, 0, 1), (2, 1, 5, 2, 3, 2, 0, 1, 2),
                                      (1, 2, 7, 2, 3, 3, 2, 2, 1)]:
    for bias in [True, False]:
        inputs = [randn(n, c, l), randn(c, o, k) * 0.5] + ([randn(o)] if bias else [])
        case(f"conv_transpose1d_{n}{c}{l}_{o}k{k}_s{s}p{p}op{op_}d{d}_{'b' if bias else 'nb'}", "conv_transpose1d",
             lambda x, wt, b=None, s=s, p=p, op_=op_, d=d: F.conv_transpose1d(x, wt, b, stride=s, padding=p, output_padding=op_, dilation=d),
             inputs, {"stride": s, "padding": p, "outputPadding": op_, "dilation": d, "bias": bias})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
with open(out, "w") as f:
    json.dump({"generator": "tests/Golden/gen_golden.py", "torch": torch.__version__, "cases": CASES}, f, separators=(",", ":"))
print(f"{len(CASES)} cases -> {out} ({os.path.getsize(out) // 1024} KiB)")
