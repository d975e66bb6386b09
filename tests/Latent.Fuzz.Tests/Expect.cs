namespace Latent.Fuzz.Tests;

/// <summary>What a case must end in: a result, the reader's documented error, or either of the two (random damage).</summary>
public enum Expect { Ok, Error, Either }
