namespace Latent.Core.Tests.Kernels;

/// <summary>Tests that change <see cref="Parallelism.MaxDegree"/>; they run alone so nothing else races them.</summary>
[CollectionDefinition(nameof(GemmThreadingCollection), DisableParallelization = true)]
public sealed class GemmThreadingCollection;
