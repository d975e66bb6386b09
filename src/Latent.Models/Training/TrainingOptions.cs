namespace Latent.Models.Training;

/// <summary>
/// How <see cref="Trainer.Fit"/> trains: immutable, validated by <see cref="Validate"/> (ArgumentException naming the option).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per optimizer step (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Base learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Optimizer name, resolved by <see cref="TrainerServices.CreateOptimizer"/> ("adam").</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning-rate schedule, resolved by <see cref="LrSchedule.Create"/> ("constant"); every phase's optimizer follows it from its own base rate.</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>
    /// Random geometric augmentation of the training batches (image data only), as <see cref="Latent.Data.Images.ImageAugmentation.Parse"/>
    /// reads it: "none" (default), or e.g. "shift:2" (whole-pixel translations up to ±2 px) or "shift:2,rotate:10,scale:0.1".
    /// Drawn from the model's noise stream, so runs stay deterministic and resume exactly; validation data is never augmented.
    /// </summary>
    public string Augmentation { get; init; } = "none";

    /// <summary>Seed of the shuffling and of the model's noise stream; same seed and thread count ⇒ identical losses.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Shuffle the training samples every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Fraction of the training data held out for validation when no validation set is given, in [0, 1).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Stop after this many epochs without a lower validation loss and restore the best weights; 0 = off.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Clip the global gradient norm to this value; 0 = off.</summary>
    public float GradientClip { get; init; }

    /// <summary>
    /// Linear warm-up of the regularisation weight (<see cref="TrainingContext.RegularisationWeight"/>) from 0 to 1 over
    /// this many epochs (fractions allowed, counted in steps); 0 = weight 1 from the start.
    /// </summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Write a checkpoint every N epochs (and always at the end); 0 = only at the end.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Folder for checkpoint.latent and metrics.csv; null = write nothing (and cancellation saves nothing).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Folder for checkpoint.latent when it should not sit beside metrics.csv; null = <see cref="OutputDirectory"/>.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The training stage ("pretrain1", "prior-4x4"; letters, digits, '-') or null for the main one; each stage has
    /// its own checkpoint (<see cref="Trainer.CheckpointFile"/>) recording it, from which a resume continues.</summary>
    public string? Stage { get; init; }

    /// <summary>Continue from this stage's checkpoint when it exists (else start afresh).</summary>
    public bool Resume { get; init; }

    /// <summary>A side stage of this run (pretraining, a prior): <paramref name="epochs"/> epochs on all its data (no validation,
    /// early stopping, warm-up, augmentation or metrics.csv), checkpoints beside the run's; everything else as the run's.</summary>
    public TrainingOptions ForStage(string stage, int epochs) => this with
    {
        Stage = stage, Epochs = epochs, ValidationFraction = 0, EarlyStoppingPatience = 0, WarmupEpochs = 0, Augmentation = "none", OutputDirectory = null,
        CheckpointDirectory = CheckpointDirectory ?? OutputDirectory };

    /// <summary>
    /// Large-batch learning-rate rule (Goyal et al. 2017, "Accurate, Large Minibatch SGD", §2.1): "none" (default), or
    /// "linear" / "linear:REF" — every phase's base rate is multiplied by k = <see cref="BatchSize"/> / REF (REF = 64 when
    /// omitted), so a 4× batch steps 4× as far.
    /// </summary>
    public string LrScaling { get; init; } = "none";

    /// <summary>
    /// Gradual learning-rate warm-up (Goyal et al. §2.2) over this many epochs, counted in steps: the rate rises linearly
    /// from base/k to base (k from <see cref="LrScaling"/>, or from 0 to base when there is no scaling); 0 = off.
    /// </summary>
    public double LrWarmupEpochs { get; init; }

    /// <summary>
    /// Train data-parallel over this group of processes (one replica of the model each; Latent.Distributed's
    /// MpiProcessGroup over MPI), or null for one process. <see cref="BatchSize"/> is the global batch: it must be
    /// divisible by the group's size, and each rank takes its shard of every batch. Only rank 0 writes files.
    /// </summary>
    public IProcessGroup? ProcessGroup { get; init; }

    /// <summary>
    /// With a <see cref="ProcessGroup"/>: the gradients are all-reduced in buckets, each started (non-blocking) as soon as
    /// the backward pass has finished its parameters' gradients, so communication overlaps the rest of the pass: the
    /// first bucket holds about 1 MiB, the others about this many bytes (PyTorch DDP's first bucket and
    /// <c>bucket_cap_mb</c>); 0 = one all-reduce of everything after the pass. The results are the same for every
    /// value. Default 25 MiB, as DDP's.
    /// </summary>
    public long GradientBucketBytes { get; init; } = 25L << 20;

    /// <summary>The most epochs a run may ask for (a million: far beyond any useful run, and far from int overflow).</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Throws ArgumentException naming the first bad option.</summary>
    public void Validate() => _ = Check();

    /// <summary>The factor k of <see cref="LrScaling"/> (1 for "none"); ArgumentException naming LrScaling for anything else.</summary>
    internal double LrScale()
    {
        if (LrScaling is "none") return 1;
        var parts = (LrScaling ?? "").Split(':');
        int reference = 64;
        if (parts[0] != "linear" || parts.Length > 2
            || (parts.Length == 2 && !(int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out reference) && reference >= 1)))
            throw new ArgumentException($"training: learning-rate scaling '{LrScaling}' must be none, linear or linear:REF with a reference batch REF >= 1", nameof(LrScaling));
        return (double)BatchSize / reference;
    }

    /// <summary>Validates and returns the parsed <see cref="Augmentation"/>.</summary>
    internal Latent.Data.Images.ImageAugmentation Check()
    {
        if (Epochs < 1 || Epochs > MaxEpochs) throw new ArgumentException($"training: epochs {Epochs} must be between 1 and {MaxEpochs}", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"training: batch size {BatchSize} must be >= 1", nameof(BatchSize));
        if (!(LearningRate >= 0f) || float.IsInfinity(LearningRate)) throw new ArgumentException($"training: learning rate {LearningRate} must be finite and >= 0", nameof(LearningRate));
        if (string.IsNullOrWhiteSpace(Optimizer)) throw new ArgumentException("training: optimizer name is empty", nameof(Optimizer));
        if (string.IsNullOrWhiteSpace(Schedule)) throw new ArgumentException("training: schedule name is empty", nameof(Schedule));
        if (Augmentation is null) throw new ArgumentException("training: augmentation is null (use \"none\")", nameof(Augmentation));
        Latent.Data.Images.ImageAugmentation augmentation;
        try { augmentation = Latent.Data.Images.ImageAugmentation.Parse(Augmentation); }
        catch (ArgumentException e) { throw new ArgumentException($"training: {e.Message}", nameof(Augmentation), e); }
        if (!(ValidationFraction is >= 0 and < 1)) throw new ArgumentException($"training: validation fraction {ValidationFraction} must be in [0, 1)", nameof(ValidationFraction));
        if (EarlyStoppingPatience < 0) throw new ArgumentException($"training: early-stopping patience {EarlyStoppingPatience} must be >= 0", nameof(EarlyStoppingPatience));
        if (!(GradientClip >= 0f) || float.IsInfinity(GradientClip)) throw new ArgumentException($"training: gradient clip {GradientClip} must be finite and >= 0 (0 = off)", nameof(GradientClip));
        if (!(WarmupEpochs >= 0) || double.IsInfinity(WarmupEpochs)) throw new ArgumentException($"training: warm-up epochs {WarmupEpochs} must be finite and >= 0", nameof(WarmupEpochs));
        _ = LrScale();
        if (!(LrWarmupEpochs >= 0) || double.IsInfinity(LrWarmupEpochs)) throw new ArgumentException($"training: learning-rate warm-up epochs {LrWarmupEpochs} must be finite and >= 0", nameof(LrWarmupEpochs));
        if (GradientBucketBytes < 0) throw new ArgumentException($"training: gradient bucket size {GradientBucketBytes} bytes must be >= 0 (0 = one all-reduce per step)", nameof(GradientBucketBytes));
        if (CheckpointEvery < 0) throw new ArgumentException($"training: checkpoint every {CheckpointEvery} must be >= 0", nameof(CheckpointEvery));
        if (OutputDirectory is { Length: 0 }) throw new ArgumentException("training: output directory is empty (use null for none)", nameof(OutputDirectory));
        if (CheckpointDirectory is { Length: 0 }) throw new ArgumentException("training: checkpoint directory is empty (use null for the output directory)", nameof(CheckpointDirectory));
        if (Stage is not null && (Stage.Length == 0 || !Stage.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new ArgumentException($"training: stage '{Stage}' must be letters, digits and '-'", nameof(Stage));
        return augmentation;
    }
}
