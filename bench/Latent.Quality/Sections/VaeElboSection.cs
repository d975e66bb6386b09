using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Models;

namespace Latent.Quality.Sections;

/// <summary>
/// Hook for the VAE evidence (issue 4): vae_elbo_ratio = Latent's test ELBO / PyTorch's (bench/quality/torch_vae.py,
/// written by the VAE's author, output passed with --torch-vae). Until the "vae" model is registered and its
/// evidence function is wired in here, the section only adds vae_elbo_ratio=na.
/// </summary>
internal static partial class VaeElboSection
{
    public static void Run(BenchContext ctx)
    {
        bool registered = ModelRegistry.All.Any(m => m.Name == "vae");
        string? torch = ctx.Options.TorchVaeFile is { } f && File.Exists(f) ? File.ReadAllText(f) : null;
        double? torchElbo = torch is null ? null : TorchLine().Match(torch) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        BenchContext.Log($"\n== VAE ELBO: vae registered: {registered}; PyTorch ELBO: {(torchElbo?.ToString("F3", CultureInfo.InvariantCulture) ?? "na")}");
        // TODO(lead): when the vae lands, train it here with the configuration of torch_vae.py, compute the test
        // ELBO per image and add ctx.Result("vae_elbo_ratio", latentElbo / torchElbo).
        ctx.Result("vae_elbo_ratio", "na");
    }

    [GeneratedRegex(@"elbo=([0-9.eE+-]+)")]
    private static partial Regex TorchLine();
}
