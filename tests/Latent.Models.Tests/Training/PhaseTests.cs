using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Latent.Core;
using Latent.Core.IO;
using Latent.Models.Options;
using Latent.Models.Training;

namespace Latent.Models.Tests.Training;

/// <summary>Training phases: order, parameter groups, optimizer specs, the minimised term, checkpoints of every phase.</summary>
public class PhaseTests
{
    /// <summary>Parameters a and b: phase "a" minimises (a − 1)², then phase "b" minimises (b − a)² with the updated a.</summary>
    private sealed class TwoPhases : AutoencoderModel
    {
        public TwoPhases(string term = "total", string secondName = "b") : base([1])
        {
            A = AddParameter("a", Tensor.FromArray([0f], 1));
            B = AddParameter("b", Tensor.FromArray([0f], 1));
            _term = term;
            _secondName = secondName;
        }

        private readonly string _term, _secondName;

        public Tensor A { get; }
        public Tensor B { get; }
        public override string Name => "two-phases";
        public override int CodeSize => 1;
        public override ModelOptions Options => new NoOptions();
        public override Tensor Encode(Tensor x) => x;
        public override Tensor Decode(Tensor z) => z;

        public override LossTerms Loss(Tensor x, TrainingContext ctx)
        {
            var a = (A - 1f).Square().Sum();
            var b = (B - A).Square().Sum();
            return new LossTerms(a + b, a, b);
        }

        public override IReadOnlyList<TrainingPhase> TrainingPhases() =>
        [
            new("a", [A], (x, ctx) => { var a = (A - 1f).Square().Sum(); return new LossTerms(a, a); }),
            new(_secondName, [B], (x, ctx) =>
            {
                var a = (A - 1f).Square().Sum().Detach();
                var b = (B - A).Square().Sum();
                return new LossTerms(a + b, a, b).With("a_value", A.Sum().Detach());
            }) { Term = _term, Optimizer = new OptimizerSpec { LearningRate = 0.25f } },
        ];

        private sealed record NoOptions : ModelOptions
        {
            private static readonly OptionSchema<NoOptions> Schema = new("two-phases");

            public override OptionSchema GetSchema() => Schema;
        }
    }

    private static TrainingOptions Sgd(string? dir = null, int epochs = 1) =>
        new() { Epochs = epochs, BatchSize = 1, Optimizer = "sgd", LearningRate = 0.5f, Shuffle = false, OutputDirectory = dir };

    [Fact]
    public void Phases_run_in_order_each_on_its_group_with_its_optimizer_and_the_last_reports()
    {
        var model = new TwoPhases();
        var reports = new List<TrainingProgress>();
        Trainer.Fit(model, ToyModel.Data(1), null, Sgd(), new TestData.SyncProgress<TrainingProgress>(reports.Add));
        // a: 0 − 0.5·2(0 − 1) = 1; then b sees the new a: 0 − 0.25·2(0 − 1) = 0.5 (with the old a it would stay 0).
        Assert.Equal(1f, model.A.Item());
        Assert.Equal(0.5f, model.B.Item());
        Assert.Equal(["total", "reconstruction", "regularisation", "a_value"], reports[0].Terms.Select(t => t.Key));
        Assert.Equal(1.0, reports[0].Terms[3].Value);
        Assert.Null(model.A.Grad); // b's backward reached a; the trainer clears every phase's gradients after the step
        Assert.Equal(0.5, reports[0].LearningRate); // the first phase's rate
    }

    [Fact]
    public void Every_phase_is_checkpointed_and_resumes_bit_for_bit()
    {
        var straight = new TwoPhases();
        Trainer.Fit(straight, ToyModel.Data(4), null, Sgd(epochs: 3) with { LearningRate = 0.1f, Schedule = "cosine" });
        var dir = TestData.TempDir();
        using var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.Step == 5) cts.Cancel(); });
        Assert.Equal(TrainingStatus.Cancelled, Trainer.Fit(new TwoPhases(), ToyModel.Data(4), null, Sgd(dir, 3) with { LearningRate = 0.1f, Schedule = "cosine" }, progress, cts.Token).Status);
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(["a", "b"], ckpt.Optimizers.Select(o => o.Phase));
        Assert.All(ckpt.Optimizers, o => Assert.Equal(5, o.StepCount));
        Assert.NotEqual(ckpt.Optimizers[0].LearningRate, ckpt.Optimizers[1].LearningRate); // each follows the schedule from its own base rate

        var resumed = new TwoPhases();
        Trainer.Fit(resumed, ToyModel.Data(4), null, Sgd(dir, 3) with { LearningRate = 0.1f, Schedule = "cosine", Resume = true });
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));

        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(new TwoPhases(secondName: "c"), ToyModel.Data(4), null, Sgd(dir, 3) with { Resume = true, Schedule = "cosine" }));
        Assert.Contains("phase 'b', not 'c'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), TestData.LowRankImages(4), null, Sgd(), resumeFrom: Path.Combine(dir, Trainer.CheckpointFileName)));
        Assert.Contains("two-phases", e.Message);
    }

    [Fact]
    public void Bad_phase_declarations_are_named()
    {
        Assert.Contains("term 'kl'", Assert.Throws<ArgumentException>(() => Trainer.Fit(new TwoPhases(term: "kl"), ToyModel.Data(1), null, Sgd())).Message);
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => Trainer.Fit(new TwoPhases(secondName: "a"), ToyModel.Data(1), null, Sgd())).Message);
        Assert.Contains("'b c'", Assert.Throws<ArgumentException>(() => Trainer.Fit(new TwoPhases(secondName: "b c"), ToyModel.Data(1), null, Sgd())).Message);
    }

    [Fact]
    public void A_stage_writes_its_own_checkpoint_and_resumes_only_its_own()
    {
        var dir = TestData.TempDir();
        var model = TestData.SmallAe();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, CheckpointDirectory = dir, Stage = "pretrain1" };
        Trainer.Fit(model, TestData.LowRankImages(16), null, options);
        var path = Path.Combine(dir, "checkpoint.pretrain1.latent");
        Assert.Equal("pretrain1", Checkpoint.Load(path).Stage);
        Assert.False(File.Exists(Path.Combine(dir, Trainer.CheckpointFileName)));
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), TestData.LowRankImages(16), null, options with { Stage = null }, resumeFrom: path));
        Assert.Contains("stage 'pretrain1', not 'main'", e.Message);
        Assert.Equal("Stage", Assert.Throws<ArgumentException>(() => (options with { Stage = "../x" }).Validate()).ParamName);
    }

    [Fact]
    public void The_single_optimizer_layout_still_resumes_and_the_old_adversarial_layout_is_refused()
    {
        var data = TestData.LowRankImages(20);
        var straight = TestData.SmallAe();
        Trainer.Fit(straight, data, null, new TrainingOptions { Epochs = 2, BatchSize = 5, Schedule = "plateau" });
        var dir = TestData.TempDir();
        using var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.Step == 6) cts.Cancel(); });
        Trainer.Fit(TestData.SmallAe(), data, null, new TrainingOptions { Epochs = 2, BatchSize = 5, Schedule = "plateau", OutputDirectory = dir }, progress, cts.Token);
        var path = Path.Combine(dir, Trainer.CheckpointFileName);

        RewriteHeader(path, root =>
        {
            var o = root["optimizers"]![0]!;
            root["optimizer"] = o["kind"]!.DeepClone();
            root["optimizer_steps"] = o["steps"]!.DeepClone();
            root["optimizer_lr"] = o["lr"]!.DeepClone();
            root["scheduler_state"] = o["scheduler_state"]!.DeepClone();
            root.Remove("optimizers");
            foreach (var entry in root["entries"]!.AsArray())
                entry!["name"] = entry["name"]!.GetValue<string>().Replace("optim0/", "optim/", StringComparison.Ordinal);
        });
        Assert.Null(Checkpoint.Load(path).Optimizers[0].Phase);
        var resumed = TestData.SmallAe(seed: 9);
        Trainer.Fit(resumed, data, null, new TrainingOptions { Epochs = 2, BatchSize = 5, Schedule = "plateau" }, resumeFrom: path);
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));

        RewriteHeader(path, root => root["extra_optimizers"] = new JsonArray());
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains("extra<i>", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Edits a checkpoint's JSON header in place, fixing its length and CRC (entry offsets are relative to the data block).</summary>
    private static void RewriteHeader(string path, Action<JsonObject> edit)
    {
        var file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        var root = JsonNode.Parse(file.AsSpan(16, length))!.AsObject();
        edit(root);
        var header = Encoding.UTF8.GetBytes(root.ToJsonString());
        var data = file.AsSpan(16 + length, file.Length - 4 - 16 - length).ToArray();
        var output = new byte[16 + header.Length + data.Length + 4];
        file.AsSpan(0, 12).CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(12), (uint)header.Length);
        header.CopyTo(output, 16);
        data.CopyTo(output, 16 + header.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(output.Length - 4), Crc32.Compute(output.AsSpan(0, output.Length - 4)));
        File.WriteAllBytes(path, output);
    }
}
