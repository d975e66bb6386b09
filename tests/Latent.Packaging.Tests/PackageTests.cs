using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Latent.Packaging.Tests;

/// <summary>The packages as a user gets them: metadata, the tool installed from a feed, a fresh project using the libraries.</summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageTests(LocalFeed feed)
{
    [Fact]
    public void Every_package_has_its_metadata_docs_and_symbols()
    {
        foreach (var project in LocalFeed.Projects)
        {
            string nupkg = Path.Combine(feed.Folder, $"{project}.{Dotnet.Version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not packed");
            Assert.True(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), $"{project}: no symbols package");
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = XDocument.Load(zip.GetEntry($"{project}.nuspec")!.Open());
            string Get(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Assert.Equal(project, Get("id"));
            Assert.Equal(Dotnet.Version, Get("version"));
            Assert.Equal("MIT", Get("license"));
            Assert.Equal("README.md", Get("readme"));
            Assert.NotNull(zip.GetEntry("README.md"));
            Assert.StartsWith(project == "Latent.Cli" ? "The latent command-line tool" : project + ":", Get("description"));
            Assert.Contains("autoencoder", Get("tags"));
            if (project == "Latent.Cli")
            {
                var settings = zip.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
                var command = XDocument.Load(settings.Open()).Descendants("Command").Single();
                Assert.Equal("latent", command.Attribute("Name")?.Value);
            }
            else
            {
                Assert.NotNull(zip.GetEntry($"lib/net10.0/{project}.dll"));
                Assert.NotNull(zip.GetEntry($"lib/net10.0/{project}.xml"));
            }
        }
    }

    [Fact]
    public void The_readme_install_commands_install_the_tool_which_prints_its_version_and_trains()
    {
        var commands = Dotnet.ReadmeInstallCommands();
        Assert.Contains("dotnet tool install -g Latent.Cli", commands);
        string tools = Dotnet.TempDir("tools");
        // The README's command, with a tool folder instead of -g and the local feed as an extra source.
        var args = "tool install -g Latent.Cli".Split(' ').Select(a => a == "-g" ? "--tool-path" : a).ToList();
        args.Insert(args.IndexOf("--tool-path") + 1, tools);
        Dotnet.Succeed(tools, feed.Environment, [.. args, "--add-source", feed.Folder, "--version", Dotnet.Version]);

        string latent = Path.Combine(tools, "latent");
        var (code, output) = Dotnet.Run(latent, tools, feed.Environment, "--version");
        Assert.True(code == 0, output);
        Assert.Equal(Dotnet.Version, output.Trim());

        string run = Path.Combine(tools, "run");
        (code, output) = Dotnet.Run(latent, tools, feed.Environment, "train", "--samples", "64", "--image-size", "20", "--batch", "16",
            "--arch", "400-32-8", "--epochs", "1", "--out", run, "--quiet", "--no-report");
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(run, "model.json")));
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        Directory.Delete(tools, recursive: true);
    }

    [Fact]
    public void A_fresh_console_project_adds_the_library_package_and_runs_the_readme_example()
    {
        var commands = Dotnet.ReadmeInstallCommands();
        Assert.Contains("dotnet add package Latent.Models", commands);
        string app = Dotnet.TempDir("app");
        Dotnet.Succeed(app, feed.Environment, "new", "console", "--name", "App", "--output", app);
        // The local feed beside the sources the machine already has (third-party packages come from there).
        File.WriteAllText(Path.Combine(app, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"latent-local\" value=\"{feed.Folder}\" />\n  </packageSources>\n</configuration>\n");
        Dotnet.Succeed(app, feed.Environment, "add", "package", "Latent.Models");
        Assert.True(Directory.Exists(Path.Combine(feed.Cache, "latent.models", Dotnet.Version)), "Latent.Models did not come from the local feed into the empty cache");

        string example = ReadmeExample();
        File.WriteAllText(Path.Combine(app, "Program.cs"),
            example + "\nConsole.WriteLine($\"final loss {Loss.BceWithLogits(model.Forward(x), x).Item():R}\");\n");
        string output = Dotnet.Succeed(app, feed.Environment, "run", "-c", "Release");
        var m = Regex.Match(output, @"final loss (\S+)");
        Assert.True(m.Success, output);
        float loss = float.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // Uniform targets: the BCE is at least their mean entropy, 0.5 nats; a network that has learnt nothing (any constant
        // output, the expected loss at initialisation) scores ln 2 ≈ 0.693 or more.
        Assert.InRange(loss, 0.5f, 0.69f);
        Directory.Delete(app, recursive: true);
    }

    /// <summary>The README's "The library in ten lines" C# block.</summary>
    private static string ReadmeExample()
    {
        var text = File.ReadAllText(Path.Combine(Dotnet.RepositoryRoot, "README.md"));
        var m = Regex.Match(text, @"## The library in ten lines\s+```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(m.Success, "README.md has no C# block under 'The library in ten lines'");
        return m.Groups[1].Value;
    }
}
