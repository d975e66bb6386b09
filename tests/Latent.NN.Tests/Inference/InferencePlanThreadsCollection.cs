namespace Latent.NN.Tests.Inference;

/// <summary>Tests that change <see cref="Latent.Core.Parallelism.MaxDegree"/>; they run alone so nothing else races them.</summary>
[CollectionDefinition(nameof(InferencePlanThreadsCollection), DisableParallelization = true)]
public sealed class InferencePlanThreadsCollection;
