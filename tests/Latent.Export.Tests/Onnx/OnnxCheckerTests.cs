using Latent.Models.Export;

namespace Latent.Export.Tests.Onnx;

/// <summary>The exported files pass onnx's own checker (python3-onnx), shape inference included.</summary>
public class OnnxCheckerTests
{
    [OnnxCheckerFact]
    public void Every_exported_file_passes_the_full_onnx_check()
    {
        string dir = Latent.Tests.TestTempRoot.NewDir("latent-onnx-check");
        var files = new List<string>();
        foreach (var (name, settings) in ExportCases.All().Where(c => !ExportCases.NotExportable.Contains(c.Model)))
        {
            var model = ExportCases.Build(name, settings);
            foreach (var part in Enum.GetValues<OnnxPart>())
                foreach (var options in new[] { new OnnxExportOptions(DynamicBatch: true, Sample: model is Latent.Models.Vae.Vae), new OnnxExportOptions(Opset: 13, BatchSize: 2) })
                {
                    string path = Path.Combine(dir, $"{files.Count:D3}-{name}-{part}.onnx");
                    OnnxExporter.ExportToFile(model, part, path, options);
                    files.Add(path);
                }
        }
        var (code, output) = PythonRunner.Run(["-c",
            "import sys, onnx\n" +
            "for p in sys.argv[1:]:\n" +
            "    onnx.checker.check_model(onnx.load(p), full_check=True)\n" +
            "print('checked', len(sys.argv) - 1)", .. files]);
        Assert.True(code == 0, output);
        Assert.Contains($"checked {files.Count}", output);
        Directory.Delete(dir, recursive: true);
    }
}
