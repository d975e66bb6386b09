"""Reference values for Latent.Models.SuperResolution.Resampling, from OpenCV's cv2.resize on float32 images.

Run with Debian's python3-opencv (4.6): /usr/bin/python3 gen_resample_cv2.py > resample_cv2.json
OpenCV's INTER_CUBIC uses a = -0.75; the C# bicubic is compared with a = -0.75.
"""
import json
import cv2
import numpy as np

rng = np.random.default_rng(13)
cases = []
for h, w, f in [(3, 4, 2), (5, 3, 4), (7, 7, 4), (2, 2, 3)]:
    img = rng.random((h, w), dtype=np.float32)
    case = {"h": h, "w": w, "factor": f, "input": [float(v) for v in img.ravel()]}
    for name, flag in [("nearest", cv2.INTER_NEAREST), ("bilinear", cv2.INTER_LINEAR), ("bicubic_a075", cv2.INTER_CUBIC)]:
        out = cv2.resize(img, (w * f, h * f), interpolation=flag)
        case[name] = [float(v) for v in out.ravel()]
    big = rng.random((h * f, w * f), dtype=np.float32)
    case["area_input"] = [float(v) for v in big.ravel()]
    case["area"] = [float(v) for v in cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA).ravel()]
    cases.append(case)
print(json.dumps({"generator": "gen_resample_cv2.py", "opencv": cv2.__version__, "cases": cases}))
