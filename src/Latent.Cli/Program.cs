namespace Latent.Cli;

/// <summary>Entry point of the <c>latent</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the exit code.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("latent: commands are not implemented yet");
        return 2;
    }
}
