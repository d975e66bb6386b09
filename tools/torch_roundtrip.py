#!/usr/bin/env python3
"""PyTorch side of Latent's model files: builds the torch.nn module that a model.json describes, with the same
parameter names as Latent's state dict (encoder.1.weight, ...), so that model.safetensors loads into it and weights
trained in PyTorch save in a layout that `latent import` reads.

Families: ae, dae, sparse-ae, contractive-ae (their inference networks are the same) and vae, beta-vae;
networks mlp, mlp-bn, conv, conv-bn (src/Latent.Models/Autoencoder/AutoencoderNetworks.cs).

  torch_roundtrip.py run MODEL_DIR INPUT.f32 COUNT CODE_OUT.f32 RECON_OUT.f32 [WEIGHTS.safetensors]
      Encode and reconstruct COUNT samples (raw little-endian float32, [COUNT, ...input_shape]) with the module
      loaded from MODEL_DIR/model.safetensors (or WEIGHTS); writes the code and the reconstruction as raw float32.
  torch_roundtrip.py train MODEL_DIR OUT.safetensors [STEPS]
      Trains the module from a fresh PyTorch initialisation for STEPS (default 20) Adam steps on random inputs and
      saves its state dict in Latent's layout (float32 tensors, batch-norm counters as float32 scalars).

Needs python3-torch and python3-numpy. safetensors files are read and written here (8-byte header length, JSON
header, raw data), so the safetensors package is not needed.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

SUPPORTED = {"ae", "dae", "sparse-ae", "contractive-ae", "vae", "beta-vae"}


def read_manifest(model_dir):
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    options = dict(kv.split("=", 1) for kv in manifest["options"].split())
    return manifest, options


def activation(name):
    name = name.lower()
    table = {
        "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "elu": nn.ELU, "gelu": nn.GELU,
        "softplus": nn.Softplus, "leaky_relu": lambda: nn.LeakyReLU(0.01), "leakyrelu": lambda: nn.LeakyReLU(0.01),
    }
    if name in ("identity", "none", "linear"):
        return None
    if name not in table:
        sys.exit(f"torch_roundtrip: activation '{name}' is not supported")
    return table[name]()


def hidden(seq, act_name):
    act = activation(act_name)
    seq.append(act if act is not None else nn.Identity())


def networks(sizes, input_shape, net, act_name, code_act):
    """Encoder and decoder as AutoencoderNetworks.Build makes them (same module order, so the same names)."""
    bn = net.endswith("-bn")
    enc, dec = [], []
    if net.startswith("mlp"):
        enc.append(nn.Flatten())
        for i in range(len(sizes) - 1):
            enc.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                if bn:
                    enc.append(nn.BatchNorm1d(sizes[i + 1]))
                hidden(enc, act_name)
        for i in range(len(sizes) - 1, 0, -1):
            dec.append(nn.Linear(sizes[i], sizes[i - 1]))
            if i > 1:
                if bn:
                    dec.append(nn.BatchNorm1d(sizes[i - 1]))
                hidden(dec, act_name)
        dec.append(nn.Unflatten(1, tuple(input_shape)))
    elif net.startswith("conv"):
        c, h, w = input_shape
        stages = 3 if min(h, w) >= 64 else 2
        widths = [c] + [16 << l for l in range(1, stages + 1)]
        ho, wo = h >> stages, w >> stages
        fc = [widths[stages] * ho * wo] + list(sizes[1:])
        for l in range(stages):
            enc.append(nn.Conv2d(widths[l], widths[l + 1], 4, stride=2, padding=1))
            if bn:
                enc.append(nn.BatchNorm2d(widths[l + 1]))
            hidden(enc, act_name)
        enc.append(nn.Flatten())
        for i in range(len(fc) - 1):
            enc.append(nn.Linear(fc[i], fc[i + 1]))
            if i + 2 < len(fc):
                hidden(enc, act_name)
        for i in range(len(fc) - 1, 0, -1):
            dec.append(nn.Linear(fc[i], fc[i - 1]))
            hidden(dec, act_name)
        dec.append(nn.Unflatten(1, (widths[stages], ho, wo)))
        for l in range(stages, 0, -1):
            dec.append(nn.ConvTranspose2d(widths[l], widths[l - 1], 4, stride=2, padding=1))
            if l > 1:
                if bn:
                    dec.append(nn.BatchNorm2d(widths[l - 1]))
                hidden(dec, act_name)
    else:
        sys.exit(f"torch_roundtrip: network '{net}' is not supported")
    code = activation(code_act)
    if code is not None:
        enc.append(code)
    return nn.Sequential(*enc), nn.Sequential(*dec)


class Autoencoder(nn.Module):
    """A Latent model's inference path: encode (the code; a VAE's mean) and reconstruct (decode the code)."""

    def __init__(self, manifest, options):
        super().__init__()
        name = manifest["model"]
        if name not in SUPPORTED:
            sys.exit(f"torch_roundtrip: model '{name}' is not supported (supported: {', '.join(sorted(SUPPORTED))})")
        if options.get("tied", "false") == "true" or options.get("output") == "tanh":
            sys.exit("torch_roundtrip: tied=true and output=tanh are not mapped to torch modules here")
        self.vae = name in ("vae", "beta-vae")
        self.bernoulli = options.get("output", "bernoulli") == "bernoulli"
        sizes = [int(s) for s in options["arch"].split("-")]
        shape = manifest["input_shape"]
        net, act = options.get("network", "mlp"), options.get("hidden", "relu")
        self.z = sizes[-1]
        if self.vae:
            # Two builds as in Vae: the encoder's code is [mu, log var] (2Z), the decoder reads z (Z).
            self.encoder, _ = networks(sizes[:-1] + [2 * self.z], shape, net, act, "none")
            _, self.decoder = networks(sizes, shape, net, act, "none")
        else:
            self.encoder, self.decoder = networks(sizes, shape, net, act, options.get("code", "none"))

    def encode(self, x):
        h = self.encoder(x)
        return h[:, : self.z] if self.vae else h

    def decode(self, z):
        out = self.decoder(z)
        return torch.sigmoid(out) if self.bernoulli else out


DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "latent", "producer": "torch_roundtrip.py"}}, [], 0
    for name, t in tensors.items():
        raw = t.detach().cpu().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load(module, path):
    """Latent's tensors into the module; the batch-norm counter is a float32 scalar in Latent, int64 in PyTorch."""
    state = read_safetensors(path)
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    if missing or extra:
        sys.exit(f"torch_roundtrip: {path}: missing {missing}, unexpected {extra}")
    module.load_state_dict({k: state[k].to(own[k].dtype).reshape(own[k].shape) for k in own})


def run(model_dir, input_path, count, code_out, recon_out, weights=None):
    manifest, options = read_manifest(model_dir)
    module = Autoencoder(manifest, options)
    load(module, weights or os.path.join(model_dir, "model.safetensors"))
    module.eval()
    x = torch.from_numpy(np.fromfile(input_path, dtype="<f4").reshape([count] + manifest["input_shape"]))
    with torch.no_grad():
        code = module.encode(x)
        recon = module.decode(code)
    code.numpy().astype("<f4").tofile(code_out)
    recon.numpy().astype("<f4").tofile(recon_out)


def train(model_dir, out, steps=20):
    manifest, options = read_manifest(model_dir)
    torch.manual_seed(0)
    module = Autoencoder(manifest, options)
    opt = torch.optim.Adam(module.parameters(), lr=1e-3)
    module.train()
    for _ in range(steps):
        x = torch.rand([16] + manifest["input_shape"])
        loss = ((module.decode(module.encode(x)) - x) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    module.eval()
    write_safetensors(out, module.state_dict())


def main(argv):
    if len(argv) >= 6 and argv[1] == "run":
        run(argv[2], argv[3], int(argv[4]), argv[5], argv[6], argv[7] if len(argv) > 7 else None)
    elif len(argv) >= 4 and argv[1] == "train":
        train(argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 20)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
