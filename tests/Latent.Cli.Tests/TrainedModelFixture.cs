namespace Latent.Cli.Tests;

/// <summary>One tiny model trained once for the command tests.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        Dir = CliRunner.TempDir();
        Result = CliRunner.Run(CliRunner.TinyTrain(Dir));
    }

    public string Dir { get; }

    internal CliRunner.Result Result { get; }
}
