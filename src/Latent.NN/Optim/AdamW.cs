using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, torch.optim.AdamW): p ← p·(1 − lr·wd), then the Adam update with the
/// raw gradient. Defaults are PyTorch's, including weight decay 0.01.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
    float eps = 1e-8f, float weightDecay = 0.01f)
    : Adam(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true);
