using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary>
/// MODEL_DIR with --data, --label, --image-size, --samples and --split: the arguments of every command that runs a
/// trained model over one split of its data (eval, encode, compare and the picture commands).
/// </summary>
internal sealed class ModelDataOptions
{
    public Argument<string> Dir { get; } = CommonOptions.ModelDir();

    public Option<string?> Data { get; } = CommonOptions.Data();

    public Option<string?> Label { get; } = CommonOptions.Label();

    public Option<int?> ImageSize { get; } = CommonOptions.ImageSize();

    public Option<int?> Samples { get; } = CommonOptions.Samples();

    public Option<string> Split { get; } = CommonOptions.Split();

    /// <summary>Adds the argument and the options to <paramref name="command"/>, in that order, before any others.</summary>
    public void AddTo(Command command) => CommonOptions.Add(command, Dir, Data, Label, ImageSize, Samples, Split);

    /// <summary>Loads the model and its data (<see cref="CommonOptions.LoadModelAndData"/>) and picks the split.</summary>
    public (AutoencoderModel Model, LoadedData Loaded, Dataset Set) Load(ParseResult p, CliContext ctx)
    {
        var (model, _, loaded) = CommonOptions.LoadModelAndData(ctx, p.GetValue(Dir)!, p.GetValue(Data), p.GetValue(Label), p.GetValue(ImageSize), p.GetValue(Samples));
        return (model, loaded, loaded.Split(p.GetValue(Split)!));
    }
}
