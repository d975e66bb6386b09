#!/usr/bin/python3
"""Writes the conv encoder of `Latent.Bench infer` as ONNX, from its safetensors weights, for ONNX Runtime.

    export_encoder_onnx.py DIR       # reads DIR/encoder.safetensors, writes DIR/encoder.onnx

The graph is the one Latent runs: Conv(1->32, 4x4, stride 2, pad 1), Relu, Conv(32->64, same), Relu, Flatten,
Gemm(3136 -> 32, transB); input "x" [N, 1, 28, 28] with a free batch size, output "z" [N, 32]. Built with Debian's
python3-onnx (onnx.helper; run it with /usr/bin/python3), opset 17; the weights are copied bit for bit.
"""
import json
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{path}: {name} is {info['dtype']}, expected F32"
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(body[lo:hi], dtype="<f4").reshape(info["shape"]).copy()
    return out


def main(argv):
    if len(argv) != 2:
        print("usage: export_encoder_onnx.py DIR", file=sys.stderr)
        return 2
    d = argv[1]
    w = read_safetensors(f"{d}/encoder.safetensors")
    inits = [numpy_helper.from_array(w[k], k) for k in
             ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias")]
    conv = dict(kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1])
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"], **conv),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "conv2.weight", "conv2.bias"], ["c2"], **conv),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Flatten", ["r2"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["z"], transB=1),
    ]
    graph = helper.make_graph(
        nodes, "conv_encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 28, 28])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 32])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="latent-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, f"{d}/encoder.onnx")
    print(f"wrote {d}/encoder.onnx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
