"""Interop check between Latent's safetensors writer/reader and PyTorch.

Used by SafeTensorsInteropTests (tests/Latent.Core.Tests/IO). torch 1.13 has no safetensors module, so the
header is parsed here by hand and the data is viewed with torch.frombuffer; when the `safetensors` package is
importable, safetensors.torch is used as well.

  python3 safetensors_interop.py check FILE   # FILE was written by Latent; verify every value bit for bit
  python3 safetensors_interop.py write FILE   # write a file for Latent to read (see EXPECTED_FROM_PYTHON)

Prints OK and exits 0 on success; prints the problem and exits 1 otherwise.
"""
import json
import math
import struct
import sys

import torch

# What the C# test writes (keep in sync with SafeTensorsInteropTests.LatentFile).
SPECIAL_BITS = [0x7FC00123, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF]
META = {"format": "pt", "note": "h\u00e9llo <&> \"q\""}


def expected_tensors():
    weight = torch.tensor([(i - 5) * 0.25 for i in range(12)], dtype=torch.float32).reshape(3, 4)
    signed = [b if b < 2**31 else b - 2**32 for b in SPECIAL_BITS]
    special = torch.tensor(signed, dtype=torch.int32).view(torch.float32)
    return {
        "weight": weight,
        "special": special,
        "scalar": torch.tensor(2.5, dtype=torch.float32),
        "empty": torch.empty((0, 3), dtype=torch.float32),
    }


def parse(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = bytearray(blob[8 + n:])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        shape = info["shape"]
        if end == begin:
            t = torch.empty(shape, dtype=torch.float32)
        else:
            t = torch.frombuffer(data[begin:end], dtype=torch.float32).reshape(shape)
        tensors[name] = t
    return tensors, meta, n


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a.contiguous().view(torch.int32), b.contiguous().view(torch.int32))


def check(path):
    tensors, meta, n = parse(path)
    if (8 + n) % 8 != 0:
        return "data section not 8-byte aligned: header length %d" % n
    if meta != META:
        return "metadata %r != %r" % (meta, META)
    exp = expected_tensors()
    if set(tensors) != set(exp):
        return "names %r != %r" % (sorted(tensors), sorted(exp))
    for name, e in exp.items():
        if not same_bits(tensors[name], e):
            return "tensor %s: %r != %r" % (name, tensors[name], e)
    if not math.isnan(tensors["special"][0].item()):
        return "special[0] is not NaN"
    try:
        from safetensors.torch import load_file  # optional
    except ImportError:
        return None
    loaded = load_file(path)
    for name, e in exp.items():
        if not same_bits(loaded[name], e):
            return "safetensors.torch: tensor %s differs" % name
    return None


def write(path):
    # Deliberately unlike Latent's writer: metadata last, keys in another order, data not in header order,
    # header padded with spaces.
    a = (torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 8) - 0.5
    b = torch.tensor([1e-3, -7.0, float("inf")], dtype=torch.float32)
    blobs = [("b", b), ("a", a)]
    header, data, off = {}, b"", 0
    for name, t in blobs:
        raw = t.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"shape": list(t.shape), "data_offsets": [off, off + len(raw)], "dtype": "F32"}
        off += len(raw)
        data += raw
    header = {"a": header["a"], "b": header["b"], "__metadata__": {"source": "torch " + torch.__version__}}
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)
    return None


def main():
    mode, path = sys.argv[1], sys.argv[2]
    problem = check(path) if mode == "check" else write(path)
    if problem:
        print(problem)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
