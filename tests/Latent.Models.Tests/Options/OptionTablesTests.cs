namespace Latent.Models.Tests.Options;

/// <summary>
/// docs/models/MODEL.md carries its option table between <c>&lt;!-- options --&gt;</c> and <c>&lt;!-- /options --&gt;</c>,
/// generated from the schema (<c>OptionSchema.MarkdownTable</c>). Run with LATENT_WRITE_OPTION_TABLES=1 to rewrite the
/// tables after changing a declaration; without it a page that disagrees with its schema fails.
/// </summary>
public class OptionTablesTests
{
    private const string Begin = "<!-- options -->\n", End = "<!-- /options -->";

    public static TheoryData<string> Models() => new(ModelRegistry.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void The_docs_page_shows_the_declared_options(string model)
    {
        string path = Path.Combine(RepoRoot(), "docs", "models", model + ".md");
        Assert.True(File.Exists(path), $"{path} is missing");
        string text = File.ReadAllText(path).ReplaceLineEndings("\n");
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(b >= 0 && e > b, $"{path} has no {Begin.Trim()} ... {End} block");
        string expected = ModelRegistry.Get(model).Schema.MarkdownTable();
        if (Environment.GetEnvironmentVariable("LATENT_WRITE_OPTION_TABLES") == "1")
        {
            text = text[..(b + Begin.Length)] + expected + text[e..];
            File.WriteAllText(path, text);
            e = b + Begin.Length + expected.Length;
        }
        Assert.Equal(expected, text[(b + Begin.Length)..e]);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Latent.slnx above {AppContext.BaseDirectory}");
    }
}
