using Latent.Models.Anomaly;

namespace Latent.Models.Tests.Anomaly;

/// <summary>The C# anomaly example in README.md is this file's <see cref="Example"/>, character for character, so it compiles and runs.</summary>
public class ReadmeExampleTests
{
    private static (int[] Flags, float[] Scores, float[,] Proba, string Dir) Example()
    {
        // README begin
        var rng = new Random(1);
        var train = new float[500, 3];                                  // [n, d] rows, unlabelled; anomalies may be among them
        for (int i = 0; i < 500; i++) for (int j = 0; j < 3; j++) train[i, j] = (float)rng.NextDouble();
        var test = new float[,] { { 0.5f, 0.5f, 0.5f }, { 9f, -4f, 0.5f } };

        var detector = new AnomalyDetector(new AnomalyDetectorOptions { Contamination = 0.05 }).Fit(train);
        float[] scores = detector.DecisionFunction(test);               // higher = more anomalous
        int[] flags = detector.Predict(test);                           // 1 = score above detector.Threshold
        float[,] proba = detector.PredictProba(test);                   // [n, 2]: P(normal), P(anomaly)
        var dir = Path.Combine(Path.GetTempPath(), "my-detector");
        detector.Save(dir);                                             // AnomalyDetector.Load(dir), or: latent anomaly DIR --stream
        // README end
        return (flags, scores, proba, dir);
    }

    [Fact]
    public void Readme_example_is_this_code()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "README.md")) || !File.Exists(Path.Combine(root, "Latent.slnx")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("README.md not found above the test folder");
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n");
        int start = readme.IndexOf("<!-- anomaly-example", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no anomaly example");
        int open = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("```", open, StringComparison.Ordinal);
        var block = readme[open..close].Split('\n').Where(l => l.Trim().Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)).Select(l => l.Trim());

        string source = Path.Combine(root, "tests", "Latent.Models.Tests", "Anomaly", "ReadmeExampleTests.cs");
        var lines = File.ReadAllLines(source);
        int b = Array.FindIndex(lines, l => l.Trim() == "// README begin"), e = Array.FindIndex(lines, l => l.Trim() == "// README end");
        var code = lines[(b + 1)..e].Where(l => l.Trim().Length > 0).Select(l => l.Trim());
        Assert.Equal(code, block);
    }

    [Fact]
    public void Readme_example_runs_and_flags_the_far_row()
    {
        var (flags, scores, proba, dir) = Example();
        try
        {
            Assert.Equal([0, 1], flags);
            Assert.True(scores[1] > scores[0]);
            Assert.True(proba[1, 1] > proba[0, 1]);
            Assert.True(AnomalyDetector.Exists(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
