using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Latent.Core.IO;

namespace Latent.Fuzz.Tests;

/// <summary>
/// Property-based layer over the readers: random mutations of each valid seed (bytes overwritten, a range cut out,
/// random bytes inserted, the file cut short) never escape as anything but the reader's documented exception, and a
/// mutation never costs more than the corpus budget.
/// </summary>
public sealed class MutationProperties : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "latent-fuzz-prop-" + Guid.NewGuid().ToString("N"));

    public MutationProperties() => InputLimits.MaxInputBytes = CorpusGenerator.Limit;

    public void Dispose()
    {
        InputLimits.Reset();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>One mutation: its kind, a position and a length as fractions of the file, and the bytes it writes.</summary>
    public sealed record Mutation(int Kind, double At, double Length, byte[] Bytes)
    {
        public byte[] Apply(byte[] seed)
        {
            int at = Math.Clamp((int)(At * seed.Length), 0, Math.Max(0, seed.Length - 1));
            int len = Math.Clamp((int)(Length * (seed.Length - at)), 0, seed.Length - at);
            return Kind switch
            {
                0 => [.. seed[..at], .. Bytes.Take(len), .. seed[Math.Min(seed.Length, at + Math.Min(len, Bytes.Length))..]], // overwrite
                1 => [.. seed[..at], .. seed[(at + len)..]],                                                                 // cut a range out
                2 => [.. seed[..at], .. Bytes, .. seed[at..]],                                                               // insert
                _ => seed[..at],                                                                                             // truncate
            };
        }

        public override string ToString() => $"kind {Kind} at {At:F3} length {Length:F3} bytes {Convert.ToHexString(Bytes)}";
    }

    private static Arbitrary<Mutation> Mutations()
    {
        var fraction = Gen.Choose(0, 10_000).Select(i => i / 10_000.0);
        var bytes = Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf();
        var interesting = Gen.Elements<byte[]>([[0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "[[[["u8.ToArray(), [0x80, 0, 0, 0]]);
        return (from kind in Gen.Choose(0, 3)
                from at in fraction
                from length in fraction
                from b in Gen.Frequency((3, bytes), (1, interesting))
                select new Mutation(kind, at, length, b)).ToArbitrary();
    }

    public static TheoryData<string> SeedNames() => new(CorpusGenerator.Cases().Where(c => c.Expect == Expect.Ok && c.Name.Contains("valid", StringComparison.Ordinal)).Select(c => c.Name));

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Mutations_of_a_valid_file_end_in_a_result_or_the_documented_error(string seedName)
    {
        var seed = CorpusGenerator.Cases().Single(c => c.Name == seedName);
        int n = 0;
        Prop.ForAll(Mutations(), m =>
        {
            // The model folder's manifest is text: mutate it; its weights stay valid (their mutations are corpus cases).
            var c = seed with { Name = $"{seedName}#{n}", Bytes = m.Apply(seed.Bytes), Expect = Expect.Either };
            var path = ReaderRunner.Write(c, Path.Combine(_root, $"{n++}"));
            var o = ReaderRunner.Run(c, path);
            var why = ReaderRunner.Judge(c, o);
            if (why is not null) throw new Xunit.Sdk.XunitException($"{m}: {why}");
            long budget = 4 * CorpusGenerator.Limit + 8L * (c.Bytes.Length + (c.Extra?.Length ?? 0)) + (8L << 20);
            if (o.Allocated > budget) throw new Xunit.Sdk.XunitException($"{m}: allocated {o.Allocated} bytes, budget {budget}");
            Directory.Delete(Path.Combine(_root, $"{n - 1}"), recursive: true);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0x5EED, 0xFACF), FSharpOption<int>.None))));
    }
}
