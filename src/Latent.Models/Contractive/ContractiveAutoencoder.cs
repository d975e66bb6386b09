using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.NN.Layers;

namespace Latent.Models.Contractive;

/// <summary>
/// The contractive autoencoder (Rifai, Vincent, Muller, Glorot &amp; Bengio 2011, ICML, Eq. 2–4): the reconstruction
/// loss plus the squared Frobenius norm of the encoder's Jacobian, which makes the code locally invariant to input
/// directions the data does not need:
/// <code>
///   J_CAE = (1/B) Σ_b [ L(x_b, g(f(x_b))) + λ ‖J_f(x_b)‖²_F ],   ‖J_f(x)‖²_F = Σ_ij (∂h_j(x)/∂x_i)²
/// </code>
/// For the paper's encoder h = σ(Wx + b) the norm has the closed form Σ_j (h_j(1 − h_j))² Σ_i W_ji² (Eq. 4), used
/// when the encoder is exactly one Linear + sigmoid (<see cref="JacobianMethod.Auto"/>). Any other encoder (deep, ReLU,
/// conv) uses the exact second-order autodiff form of <see cref="JacobianNorm.Exact"/>: Z extra backward passes per
/// step. The penalty is multiplied by <see cref="TrainingContext.RegularisationWeight"/>. Extra term: "jacobian"
/// (the unweighted batch mean of ‖J_f‖²_F).
/// </summary>
public sealed class ContractiveAutoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("contractive-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<ContractiveOptions>("contractive-ae",
        "Rifai, Vincent, Muller, Glorot & Bengio 2011, Contractive Auto-Encoders: Explicit Invariance During Feature Extraction, ICML",
        "contractive autoencoder: reconstruction + lambda * ||J_f(x)||_F^2 (closed form for one sigmoid layer, exact autodiff otherwise)",
        (options, shape, rng) => new ContractiveAutoencoder(options, shape, rng));

    private readonly ContractiveOptions _options;
    private readonly Linear? _closedForm;

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public ContractiveAutoencoder(ContractiveOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).Network, inputShape, rng)
    {
        _options = options;
        _closedForm = options.Jacobian == JacobianMethod.Auto ? JacobianNorm.OneLayerSigmoidEncoder(Encoder) : null;
    }

    /// <summary>True when the loss uses the closed form of the one-layer sigmoid encoder.</summary>
    public bool UsesClosedForm => _closedForm is not null;

    /// <summary>‖J_f(x_b)‖²_F per sample, [B], by the method the loss uses (differentiable).</summary>
    public Tensor JacobianPenalty(Tensor x)
    {
        CheckInput(x, nameof(JacobianPenalty));
        return Penalty(x).PerSample;
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var (h, perSample) = Penalty(x);
        var reconstruction = Reconstruction(Decoder.Forward(h), x);
        var jacobian = perSample.Mean();
        var regularisation = jacobian * (_options.Lambda * ctx.RegularisationWeight);
        return WithActivityPenalty(new LossTerms(total: reconstruction + regularisation, reconstruction: reconstruction, regularisation: regularisation)
            .With("jacobian", jacobian), h);
    }

    private (Tensor Code, Tensor PerSample) Penalty(Tensor x)
    {
        if (_closedForm is not null)
        {
            var h = Encoder.Forward(x);
            return (h, JacobianNorm.OneLayerSigmoid(_closedForm.Weight, h));
        }
        // Under NoGrad (evaluation) there is no graph to differentiate: build one locally, return plain values.
        if (!Latent.Core.Autograd.GradMode.IsEnabled)
        {
            using (Latent.Core.Autograd.GradMode.Enable())
            {
                var (h, n) = JacobianNorm.Exact(Encoder.Forward, x, createGraph: false);
                return (h.Detach(), n.Detach());
            }
        }
        return JacobianNorm.Exact(Encoder.Forward, x, createGraph: true);
    }
}
