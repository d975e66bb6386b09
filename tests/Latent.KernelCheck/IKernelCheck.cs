namespace Latent.KernelCheck;

/// <summary>One kernel's comparison with its scalar twin. Add new kernels to <see cref="Program.Checks"/>.</summary>
public interface IKernelCheck
{
    /// <summary>Short name printed in the report, e.g. "sgemm".</summary>
    string Name { get; }

    /// <summary>The instruction path the kernel takes in this process (e.g. "Vector512", "Vector256", "fallback").</summary>
    string Path { get; }

    /// <summary>Runs the cases; writes one line per mismatch to <paramref name="log"/>; returns (cases, mismatches).</summary>
    (int Cases, int Mismatches) Run(TextWriter log);
}
