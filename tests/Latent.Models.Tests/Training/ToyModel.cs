using Latent.Core;
using Latent.Data;
using Latent.Models.Options;

namespace Latent.Models.Tests.Training;

/// <summary>
/// One parameter w. Training loss (w − trainTarget)², validation loss (w − validTarget)², plus a regularisation
/// term ctx.RegularisationWeight · 0.001 w². Lets tests steer the validation curve exactly.
/// </summary>
internal sealed class ToyModel : AutoencoderModel
{
    private readonly float _trainTarget, _validTarget;

    public ToyModel(float w0, float trainTarget, float validTarget) : base([1])
    {
        W = AddParameter("w", Tensor.FromArray([w0], 1));
        _trainTarget = trainTarget;
        _validTarget = validTarget;
    }

    public Tensor W { get; }

    public List<float> SeenWeights { get; } = [];

    public override string Name => "toy";
    public override int CodeSize => 1;
    public override ModelOptions Options => new ToyOptions();
    public override Tensor Encode(Tensor x) => x;
    public override Tensor Decode(Tensor z) => z;

    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        if (ctx.IsTraining) SeenWeights.Add(ctx.RegularisationWeight);
        var rec = (W - (ctx.IsTraining ? _trainTarget : _validTarget)).Square().Sum();
        var reg = W.Square().Sum() * (0.001f * ctx.RegularisationWeight);
        return new LossTerms(rec + reg, rec, reg);
    }

    public static Dataset Data(int n) => new("toy", new float[n], [1]);

    private sealed record ToyOptions : ModelOptions
    {
        private static readonly OptionSchema<ToyOptions> Schema = new("toy");

        public override OptionSchema GetSchema() => Schema;
    }
}
