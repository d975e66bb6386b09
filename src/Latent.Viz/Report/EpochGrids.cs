using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Training;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>
/// Pictures of a run at chosen epochs (<c>latent train --grid-epochs 1,10,100</c>), as the TensorFlow book's chapter on
/// autoencoders shows training: at the end of each listed epoch a 10×10 grid of the reconstructions of the first 100
/// test images (the same images every time) goes to <c>grids/epoch-0010-reconstructions.png</c> in the run folder, and
/// for a generative model that can sample during training a 10×10 grid of samples drawn with a fixed seed (the same
/// noise every time) to <c>grids/epoch-0010-samples.png</c>. Like checkpoints, the grids are written as the run goes: a
/// resumed run keeps those already written, a fresh run removes the earlier run's. <see cref="RunReport"/> shows them as a
/// row per epoch.
/// </summary>
public sealed class EpochGrids
{
    /// <summary>The folder inside the run folder.</summary>
    public const string FolderName = "grids";

    /// <summary>Images per side of a grid.</summary>
    public const int Side = 10;

    private readonly string _dir;
    private readonly Dataset _images;
    private readonly ulong _sampleSeed;
    private bool _cleaned;

    /// <summary>Grids at <paramref name="epochs"/> (1-based) of the run in <paramref name="runDirectory"/>, from <paramref name="images"/> (the test split).</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="epochs">The epochs after which to draw the grids (from <see cref="Parse"/>).</param>
    /// <param name="images">The images to reconstruct: the first 100 are used.</param>
    /// <param name="resume">A resumed run keeps the grids already in the folder; a fresh run removes them at its first epoch.</param>
    /// <param name="sampleSeed">The seed of the sample grids' noise.</param>
    /// <exception cref="ArgumentException">The samples of <paramref name="images"/> are not images.</exception>
    public EpochGrids(string runDirectory, IEnumerable<int> epochs, Dataset images, bool resume, ulong sampleSeed = 7)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(images);
        if (!ModelPictures.IsImage(images.SampleShape))
            throw new ArgumentException($"--grid-epochs: the data are not images (samples of shape {Shapes.Format(images.SampleShape)}); grids need [C,H,W] or [H,W] samples", nameof(images));
        if (images.Count == 0) throw new ArgumentException($"--grid-epochs: dataset '{images.Name}' has no images to reconstruct", nameof(images));
        _dir = runDirectory;
        Epochs = epochs.Distinct().Order().ToArray();
        _images = images;
        _sampleSeed = sampleSeed;
        _cleaned = resume;
    }

    /// <summary>The listed epochs, ascending.</summary>
    public IReadOnlyList<int> Epochs { get; }

    /// <summary>
    /// "1,10,100" → [1, 10, 100]: whole epochs in [1, <paramref name="totalEpochs"/>], in any order, repeats dropped; null
    /// or empty → none. ArgumentException naming --grid-epochs and the bad entry otherwise (an epoch beyond --epochs too).
    /// </summary>
    public static IReadOnlyList<int> Parse(string? text, int totalEpochs)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var epochs = new SortedSet<int>();
        foreach (var part in text.Split(','))
        {
            var entry = part.Trim();
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int e) || e < 1)
                throw new ArgumentException($"--grid-epochs '{text}': '{entry}' is not an epoch number (1, 2, ...); write e.g. 1,10,100");
            if (e > totalEpochs)
                throw new ArgumentException($"--grid-epochs '{text}': epoch {e} is beyond --epochs {totalEpochs}, the run's last epoch");
            epochs.Add(e);
        }
        return [.. epochs];
    }

    /// <summary>The reconstruction grid of <paramref name="epoch"/> in <paramref name="runDirectory"/>: grids/epoch-0010-reconstructions.png.</summary>
    public static string ReconstructionsPath(string runDirectory, int epoch) => Path.Combine(runDirectory, FolderName, $"epoch-{epoch:D4}-reconstructions.png");

    /// <summary>The sample grid of <paramref name="epoch"/> in <paramref name="runDirectory"/>: grids/epoch-0010-samples.png.</summary>
    public static string SamplesPath(string runDirectory, int epoch) => Path.Combine(runDirectory, FolderName, $"epoch-{epoch:D4}-samples.png");

    /// <summary>The epoch hook: at a listed epoch, writes its grids (the model is put in evaluation mode for them and back).</summary>
    public void Capture(EpochMetrics epoch, AutoencoderModel model)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(model);
        if (!_cleaned)
        {
            // A fresh run: the earlier run's grids would be mistaken for this one's.
            string folder = Path.Combine(_dir, FolderName);
            if (Directory.Exists(folder))
                foreach (var stale in Directory.EnumerateFiles(folder, "epoch-*.png")) File.Delete(stale);
            _cleaned = true;
        }
        if (!Epochs.Contains(epoch.Epoch)) return;
        Directory.CreateDirectory(Path.Combine(_dir, FolderName));
        Reconstructions(model).SavePng(ReconstructionsPath(_dir, epoch.Epoch));
        if (Samples(model) is { } samples) samples.SavePng(SamplesPath(_dir, epoch.Epoch));
    }

    /// <summary>The 10×10 grid of the reconstructions of the first 100 images (fewer when there are fewer).</summary>
    public Raster Reconstructions(AutoencoderModel model) =>
        ModelPictures.Rows([ModelPictures.Reconstruct(model, _images, ModelPictures.FirstIndices(_images, Side * Side))], Side);

    /// <summary>The 10×10 grid of samples with the fixed seed, or null when the model cannot sample (yet).</summary>
    public Raster? Samples(AutoencoderModel model) =>
        model is IGenerativeModel gen && (model is not IPriorModel p || p.PriorTrained)
            ? ModelPictures.Samples(gen, Side * Side, new Rng(_sampleSeed), Side)
            : null;

    /// <summary>The listed epochs whose reconstruction grid is in the run folder, with the paths of their grids (samples: null when none).</summary>
    public IReadOnlyList<(int Epoch, string Reconstructions, string? Samples)> Written() =>
        Epochs.Where(e => File.Exists(ReconstructionsPath(_dir, e)))
              .Select(e => (e, ReconstructionsPath(_dir, e), File.Exists(SamplesPath(_dir, e)) ? SamplesPath(_dir, e) : null))
              .ToList();
}
