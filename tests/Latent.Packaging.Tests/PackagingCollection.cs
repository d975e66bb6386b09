namespace Latent.Packaging.Tests;

/// <summary>The tests that share one <see cref="LocalFeed"/> (packed once, used in turn).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<LocalFeed>
{
    public const string Name = "local feed";
}
