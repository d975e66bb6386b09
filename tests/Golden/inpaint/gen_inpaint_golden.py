"""Reference outputs of OpenCV's cv2.inpaint (Telea and Navier-Stokes) for the C# classical inpainting tests.

Run with Debian's OpenCV (apt-get install -y python3-opencv):
    /usr/bin/python3 tests/Golden/inpaint/gen_inpaint_golden.py
Writes inpaint_golden.json beside this script: for each case an 8-bit grey image, its mask (1 = hole) and
cv2.inpaint's result for both methods at radius 3, all row-major.
"""
import json
import os

import cv2
import numpy as np


def image(kind, h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    if kind == "ramp":
        v = 40 + 170 * (x + 0.5 * y) / (w + 0.5 * h)
    elif kind == "disc":
        v = np.where((x - w / 2) ** 2 + (y - h / 2) ** 2 < (0.3 * min(h, w)) ** 2, 220.0, 30.0)
    elif kind == "stripes":
        v = 128 + 90 * np.sin(2 * np.pi * (x + y) / 9.0)
    elif kind == "smooth":
        v = 128 + 60 * np.sin(x / 4.0) * np.cos(y / 5.0) + 2 * x
    else:
        raise ValueError(kind)
    return np.clip(np.round(v), 0, 255).astype(np.uint8)


def mask(kind, h, w):
    m = np.zeros((h, w), np.uint8)
    if kind == "box":
        m[h // 3: h // 3 + h // 3, w // 4: w // 4 + w // 3] = 1
    elif kind == "line":
        for i in range(2, min(h, w) - 2):
            m[i, i] = 1
            m[i, min(w - 1, i + 1)] = 1
    elif kind == "corner":
        m[0:h // 4, 0:w // 4] = 1
    else:
        raise ValueError(kind)
    return m


cases = []
for (img_kind, mask_kind, h, w) in [("ramp", "box", 20, 20), ("disc", "box", 28, 28), ("stripes", "line", 24, 24),
                                    ("smooth", "corner", 28, 28), ("disc", "line", 28, 28), ("smooth", "box", 16, 24)]:
    img = image(img_kind, h, w)
    m = mask(mask_kind, h, w)
    telea = cv2.inpaint(img, m, 3, cv2.INPAINT_TELEA)
    ns = cv2.inpaint(img, m, 3, cv2.INPAINT_NS)
    cases.append({
        "name": f"{img_kind}-{mask_kind}-{h}x{w}",
        "height": h, "width": w, "radius": 3,
        "image": img.ravel().tolist(), "mask": m.ravel().tolist(),
        "telea": telea.ravel().tolist(), "navier_stokes": ns.ravel().tolist(),
    })

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inpaint_golden.json")
with open(out, "w") as f:
    json.dump({"opencv": cv2.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {out}: {len(cases)} cases, OpenCV {cv2.__version__}")
