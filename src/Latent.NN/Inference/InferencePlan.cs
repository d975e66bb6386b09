using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Latent.Core;
using Latent.Core.Kernels;
using Latent.NN.Layers;

namespace Latent.NN.Inference;

/// <summary>
/// A network compiled for inference, like an ONNX Runtime session: its weights are copied and packed once, and
/// <see cref="Run(Tensor)"/> computes <c>network.Forward(x)</c> without the autograd graph, the per-call weight packing
/// or the im2col of the training path.
/// </summary>
/// <remarks>
/// Conv2d (groups 1, any kernel, stride, padding and dilation), ConvTranspose2d with at least 16 output channels, Linear,
/// ReLU, Flatten and Unflatten run natively: images are kept channels-last ([H, W, C], zero-padded for the next
/// convolution), every convolution and linear layer is a direct kernel over that layout with its bias and a following
/// ReLU fused (<c>DirectConv</c>; a transposed convolution as one direct convolution per stride phase,
/// <c>TransposedPhases</c>), and a Flatten before a Linear costs nothing (the linear weight's columns are reordered once
/// to the channels-last order). Any other layer runs as
/// its own <see cref="Layer.Forward"/> in evaluation mode on the PyTorch layout, so every network compiles; <see cref="Steps"/>
/// says which layers run natively.
/// <para>
/// A batch is cut into chunks of at most 14 samples (12 with AVX2), and the threads (<see cref="Parallelism.MaxDegree"/>) take whole
/// chunks, each through every native layer (a convolution takes a chunk's output pixels as one run of rows, so its tiles
/// span samples); another layer runs once on up to 256 samples, between the native runs. With fewer samples than threads
/// (one image at a time) the threads share each convolution and linear layer instead, by ranges of output channels or
/// pixels, one layer after another, so that a single sample's latency gains from every core. A sample's result does not depend on its batch or on the thread count (each output
/// is one chain of multiply-adds in a fixed order), but it differs from <see cref="Layer.Forward"/> in the last bits,
/// since the sums run in another order. The native kernels need AVX-512 or AVX2 with FMA (the same bits on either): on a
/// machine with neither every layer runs as its own Forward (im2col and the portable GEMM), which is faster there than the
/// kernels' scalar twins.
/// </para>
/// <para>
/// The plan is a snapshot: training the network further does not change it; compile a new plan after changing the weights.
/// A layer the plan runs as its own Forward keeps a copy of its parameters from Compile, and a Run after they changed
/// throws rather than give results of other weights.
/// </para>
/// </remarks>
public sealed unsafe class InferencePlan
{
    /// <summary>Most samples a thread takes through the network at once: one tile of the linear kernel with AVX-512 (14), two with AVX2 (12).</summary>
    internal static readonly int ChunkSize = 14 / DirectConv.MaxRows * DirectConv.MaxRows;

    private readonly Stage[] _stages;
    private readonly bool _parallel;
    private readonly (int First, int Last)[] _segments;
    private readonly int _boundarySize;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private readonly ConcurrentBag<Boundaries> _boundaries = [];

    private InferencePlan(int[] sampleShape, int[] outputShape, Stage[] stages)
    {
        SampleShape = sampleShape;
        OutputShape = outputShape;
        _stages = stages;
        _parallel = stages.All(s => s is not FallbackStage);
        Steps = stages.Select(s => s.Describe()).ToArray();
        // Runs of native stages and single other layers, in order; the formats between them are PyTorch's.
        var segments = new List<(int, int)>();
        for (int i = 0; i < stages.Length;)
        {
            int j = i + 1;
            if (stages[i] is not FallbackStage)
                while (j < stages.Length && stages[j] is not FallbackStage) j++;
            segments.Add((i, j));
            if (j < stages.Length) _boundarySize = Math.Max(_boundarySize, stages[j - 1].Out.Size);
            i = j;
        }
        _segments = [.. segments];
    }

    /// <summary>The shape of one input sample (the input is [N, ..SampleShape]).</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The shape of one output sample (the output is [N, ..OutputShape]).</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>What the plan runs, one line a step, e.g. <c>conv 32->64 4x4 stride 2 pad 1 + relu (direct, channels-last)</c>.</summary>
    public IReadOnlyList<string> Steps { get; }

    /// <summary>
    /// Compiles <paramref name="network"/> (a <see cref="Sequential"/>, nested ones included, or any single layer) for
    /// inputs [N, ..<paramref name="sampleShape"/>], e.g. <c>Compile(encoder, 1, 28, 28)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The sample shape is empty or not positive, or a layer does not accept what the one before it gives.</exception>
    public static InferencePlan Compile(Layer network, params int[] sampleShape) => Compile(network, sampleShape, DirectConv.IsAccelerated);

    /// <summary><see cref="Compile(Layer, int[])"/>; <paramref name="native"/> false runs every layer as its own Forward.</summary>
    internal static InferencePlan Compile(Layer network, int[] sampleShape, bool native)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
            throw new ArgumentException($"InferencePlan.Compile: the sample shape {Shapes.Format(sampleShape)} must have positive sizes", nameof(sampleShape));
        var layers = new List<Layer>();
        Unroll(network, layers);
        var stages = new List<Stage>();
        var format = Format.Dense(sampleShape);
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool reluNext = i + 1 < layers.Count && layers[i + 1] is Activation { Name: "relu" };
            if (layer is ConvLayer2d { SpatialDims: 2 } convIn && format.Shape.Length == 3 && format.Shape[0] != convIn.InChannels)
                throw new ArgumentException($"InferencePlan.Compile: layer {i} ({convIn.GetType().Name} {convIn.InChannels}->{convIn.OutChannels}) gets {format.Shape[0]} channels ({Shapes.Format(format.Shape)})");
            if (!native)
            {
                var asItself = new FallbackStage(layer, i, format.Shape);
                stages.Add(asItself);
                format = asItself.Out;
                continue;
            }
            switch (layer)
            {
                case ConvLayer2d conv when format.Shape.Length == 3 && conv.SpatialDims == 2 &&
                                            (conv is Conv2d || conv is ConvTranspose2d && conv.OutChannels >= DirectConv.Block / 2):
                {
                    ImageStage stage = conv is ConvTranspose2d convT
                        ? new TransposedConvStage(convT, format.Shape, reluNext)
                        : new ConvStage((Conv2d)conv, format.Shape, reluNext);
                    Convert(stages, ref format, stage.In);
                    stages.Add(stage);
                    format = stage.Out;
                    if (reluNext) i++;
                    break;
                }
                case Unflatten { Dim: 1 } unflatten when format.Kind == Layout.Dense && format.Shape.Length == 1 && Shapes.Size(unflatten.Sizes) == format.Shape[0]:
                    format = Format.Dense([.. unflatten.Sizes]);
                    break;
                case Linear linear when format.Shape.Length == 1:
                {
                    if (format.Shape[0] != linear.InFeatures)
                        throw new ArgumentException($"InferencePlan.Compile: layer {i} (Linear {linear.InFeatures}->{linear.OutFeatures}) gets {format.Shape[0]} features");
                    var stage = new LinearStage(linear, format, reluNext);
                    stages.Add(stage);
                    format = stage.Out;
                    if (reluNext) i++;
                    break;
                }
                case Flatten { StartDim: 1, EndDim: -1 }:
                    if (format.Kind == Layout.ChannelsLast && format.Pad > 0)
                        Convert(stages, ref format, Format.ChannelsLast(format.Shape[0], format.Shape[1], format.Shape[2], 0));
                    format = format.Flattened();
                    break;
                case Activation { Name: "relu" }:
                    stages.Add(new ReluStage(format));
                    break;
                case Activation { Name: "identity" }:
                    break;
                default:
                {
                    var stage = new FallbackStage(layer, i, format.Shape);
                    Convert(stages, ref format, stage.In);
                    stages.Add(stage);
                    format = stage.Out;
                    break;
                }
            }
        }
        Convert(stages, ref format, Format.Dense(format.Shape));
        return new InferencePlan(sampleShape, format.Shape, [.. stages]);
    }

    /// <summary>network.Forward(<paramref name="x"/>) for x [N, ..SampleShape]: a new tensor [N, ..OutputShape], outside any graph.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/>'s shape is not [N, ..SampleShape].</exception>
    public Tensor Run(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != SampleShape.Count + 1 || !x.Shape.Skip(1).SequenceEqual(SampleShape))
            throw new ArgumentException($"InferencePlan.Run: input {Shapes.Format(x.Shape)} is not [N,{string.Join(",", SampleShape)}]", nameof(x));
        var y = Tensor.Zeros([x.Shape[0], .. OutputShape]);
        Run(x.Span, y.Span);
        return y;
    }

    /// <summary>
    /// The same on flat buffers: <paramref name="input"/> holds N samples of SampleShape (PyTorch's layout), and N
    /// samples of OutputShape are written to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not a whole number of samples, or the output has a different number of them.</exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        int inSize = _stages.Length > 0 ? _stages[0].In.Size : Format.Dense([.. SampleShape]).Size;
        int outSize = Format.Dense([.. OutputShape]).Size;
        if (input.Length % inSize != 0)
            throw new ArgumentException($"InferencePlan.Run: input of {input.Length} floats is not a whole number of samples of {inSize}", nameof(input));
        int n = input.Length / inSize;
        if (output.Length != (long)n * outSize)
            throw new ArgumentException($"InferencePlan.Run: output of {output.Length} floats, expected {n} samples of {outSize}", nameof(output));
        if (n == 0) return;
        if (_stages.Length == 0)
        {
            input.CopyTo(output);
            return;
        }
        using var noGrad = Tensor.NoGrad();
        fixed (float* pin = input, pout = output)
        {
            if (_parallel)
            {
                RunNative(0, _stages.Length, pin, pout, n);
                return;
            }
            // Batches of at most FallbackBatch samples: the native runs between the other layers in parallel chunks,
            // each other layer once on the whole batch (its own Forward splits its kernels between the threads).
            if (!_boundaries.TryTake(out var buffers)) buffers = new Boundaries();
            try
            {
                for (int start = 0; start < n; start += FallbackBatch)
                {
                    int m = Math.Min(FallbackBatch, n - start);
                    float* current = pin + (long)start * inSize;
                    for (int seg = 0; seg < _segments.Length; seg++)
                    {
                        var (first, last) = _segments[seg];
                        // Between segments the layout is always PyTorch's, written whole: two buffers in turn.
                        float* next = seg == _segments.Length - 1 ? pout + (long)start * outSize : buffers.Get(seg % 2, _boundarySize * m);
                        if (_stages[first] is FallbackStage) _stages[first].Run(current, next, m, null);
                        else RunNative(first, last, current, next, m);
                        current = next;
                    }
                }
            }
            finally
            {
                _boundaries.Add(buffers);
            }
        }
    }

    /// <summary>Two pinned buffers for the samples between segments, grown to the largest batch a caller has run.</summary>
    private sealed class Boundaries
    {
        private readonly float[][] _buffers = [[], []];

        public float* Get(int which, int floats)
        {
            if (_buffers[which].Length < floats) _buffers[which] = GC.AllocateUninitializedArray<float>(floats, pinned: true);
            return (float*)Unsafe.AsPointer(ref _buffers[which][0]);
        }
    }

    /// <summary>Most samples a plan with other layers takes through each of them at once (bounds its buffers).</summary>
    internal const int FallbackBatch = 256;

    /// <summary>Stages [first, last) over n samples: chunks of at most <see cref="ChunkSize"/>, shared by the threads.</summary>
    private void RunNative(int first, int last, float* input, float* output, int n)
    {
        int threads = Math.Max(1, Parallelism.MaxDegree);
        if (threads > 1 && n < threads && n <= ChunkSize)
        {
            RunSplit(first, last, input, output, n, threads);
            return;
        }
        int chunks = (n + ChunkSize - 1) / ChunkSize;
        if (threads > 1 && n >= threads) chunks = (chunks + threads - 1) / threads * threads;
        var handle = GCHandle.Alloc(this);
        try
        {
            var job = new Job
            {
                Plan = GCHandle.ToIntPtr(handle), Input = input, Output = output, N = n, Chunks = chunks,
                InSize = _stages[first].In.Size, OutSize = _stages[last - 1].Out.Size, First = first, Last = last,
            };
            if (chunks > 1) WorkerPool.Run(&RunChunk, &job, chunks);
            else RunChunk(&job, 0);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// Multiply-adds a stage must cost (over all its samples) before fewer samples than threads split it between the threads: below
    /// that, handing half to a worker costs about what it saves.
    /// </summary>
    internal const long MinSplitWork = 50_000;

    /// <summary>
    /// Stages [first, last) over fewer samples than threads (one image at a time, say): the stages one after another, each
    /// large one split between the threads (<see cref="Stage.RunPart"/>: ranges of output channels, or of output pixels),
    /// so that one sample's latency gains from every core. The bits are those of a chunk on one thread.
    /// </summary>
    private void RunSplit(int first, int last, float* input, float* output, int n, int threads)
    {
        if (!_workspaces.TryTake(out var ws)) ws = new Workspace(_stages);
        var handle = GCHandle.Alloc(this);
        try
        {
            float* current = input;
            for (int s = first; s < last; s++)
            {
                var stage = _stages[s];
                float* next = s == last - 1 ? output : ws.Buffer(s);
                if (stage.SplitWork * n >= MinSplitWork)
                {
                    var job = new PartJob { Plan = GCHandle.ToIntPtr(handle), Stage = s, Input = current, Output = next, N = n, Parts = threads };
                    WorkerPool.Run(&RunStagePart, &job, threads);
                }
                else stage.Run(current, next, n, ws.Scratch(s));
                current = next;
            }
        }
        finally
        {
            handle.Free();
            _workspaces.Add(ws);
        }
    }

    private struct PartJob
    {
        public IntPtr Plan;
        public float* Input, Output;
        public int Stage, N, Parts;
    }

    private static void RunStagePart(void* ctx, int part)
    {
        ref PartJob job = ref *(PartJob*)ctx;
        var plan = (InferencePlan)GCHandle.FromIntPtr(job.Plan).Target!;
        plan._stages[job.Stage].RunPart(job.Input, job.Output, job.N, part, job.Parts);
    }

    private struct Job
    {
        public IntPtr Plan;
        public float* Input, Output;
        public int N, Chunks, InSize, OutSize, First, Last;
    }

    /// <summary>Chunk c: samples [N·c/chunks, N·(c+1)/chunks), through stages [First, Last) in a workspace of its own.</summary>
    private static void RunChunk(void* ctx, int c)
    {
        ref Job job = ref *(Job*)ctx;
        var plan = (InferencePlan)GCHandle.FromIntPtr(job.Plan).Target!;
        int lo = (int)((long)job.N * c / job.Chunks), hi = (int)((long)job.N * (c + 1) / job.Chunks);
        if (lo >= hi) return;
        if (!plan._workspaces.TryTake(out var ws)) ws = new Workspace(plan._stages);
        try
        {
            int count = hi - lo;
            float* current = job.Input + (long)lo * job.InSize;
            for (int s = job.First; s < job.Last; s++)
            {
                var stage = plan._stages[s];
                float* next = s == job.Last - 1 ? job.Output + (long)lo * job.OutSize : ws.Buffer(s);
                stage.Run(current, next, count, ws.Scratch(s));
                current = next;
            }
        }
        finally
        {
            plan._workspaces.Add(ws);
        }
    }

    /// <summary>A thread's buffers: one chunk of each stage's output, pinned, zeroed once (padding borders stay zero: stages write only interiors).</summary>
    private sealed class Workspace
    {
        private readonly float[][] _buffers, _scratch;

        public Workspace(Stage[] stages)
        {
            _buffers = stages.Select(s => GC.AllocateArray<float>(Math.Max(1, s.Out.Size * ChunkSize), pinned: true)).ToArray();
            _scratch = stages.Select(s => GC.AllocateArray<float>(Math.Max(1, s.ScratchSize), pinned: true)).ToArray();
        }

        public float* Buffer(int stage) => (float*)Unsafe.AsPointer(ref _buffers[stage][0]);

        public float* Scratch(int stage) => (float*)Unsafe.AsPointer(ref _scratch[stage][0]);
    }

    private static void Unroll(Layer layer, List<Layer> into)
    {
        if (layer is Sequential seq) foreach (var l in seq.Layers) Unroll(l, into);
        else into.Add(layer);
    }

    /// <summary>Adds a conversion from <paramref name="format"/> to <paramref name="to"/> when they differ; a convolution's output is instead padded for the next convolution in place.</summary>
    private static void Convert(List<Stage> stages, ref Format format, Format to)
    {
        if (format == to) return;
        // A Linear whose output was unflattened into an image writes it channels-last directly.
        if (stages.Count > 0 && stages[^1] is LinearStage linear && linear.Out.Kind == Layout.Dense && format.Kind == Layout.Dense &&
            to.Kind == Layout.ChannelsLast && to.Pad == 0 && to.Size == linear.Out.Size)
        {
            linear.PermuteOutput(to);
            format = to;
            return;
        }
        if (stages.Count > 0 && stages[^1] is ImageStage last && to.Kind == Layout.ChannelsLast && format.Kind == Layout.ChannelsLast && last.Out == format)
        {
            last.PadOutput(to.Pad);
            format = last.Out;
            return;
        }
        stages.Add(new ConvertStage(format, to));
        format = to;
    }

    /// <summary>How a sample sits in a buffer.</summary>
    internal enum Layout
    {
        /// <summary>PyTorch's layout of the sample shape.</summary>
        Dense,

        /// <summary>An image [C, H, W] stored [H + 2·Pad, W + 2·Pad, C] with zero borders.</summary>
        ChannelsLast,

        /// <summary>The flattening of an image [C, H, W] stored in the order (h, w, c).</summary>
        FlatChannelsLast,
    }

    /// <summary>A sample's logical shape (PyTorch's) and its layout in memory.</summary>
    internal sealed record Format(int[] Shape, Layout Kind, int Pad, int[]? Image)
    {
        public static Format Dense(int[] shape) => new(shape, Layout.Dense, 0, null);

        public static Format ChannelsLast(int c, int h, int w, int pad) => new([c, h, w], Layout.ChannelsLast, pad, null);

        /// <summary>Floats a sample takes.</summary>
        public int Size => Kind == Layout.ChannelsLast
            ? (Shape[1] + 2 * Pad) * (Shape[2] + 2 * Pad) * Shape[0]
            : Shape.Aggregate(1, (a, b) => a * b);

        /// <summary>Flatten(1, -1): an unpadded channels-last image becomes a channels-last vector at no cost.</summary>
        public Format Flattened() => Kind switch
        {
            Layout.ChannelsLast => new([Size], Layout.FlatChannelsLast, 0, Shape),
            Layout.FlatChannelsLast => this,
            _ => Dense([Shape.Aggregate(1, (a, b) => a * b)]),
        };

        /// <summary>Where element i of the sample (PyTorch's order) is stored.</summary>
        public int Offset(int i)
        {
            switch (Kind)
            {
                case Layout.ChannelsLast:
                {
                    int c = Shape[0], h = Shape[1], w = Shape[2];
                    int ch = i / (h * w), y = i / w % h, x = i % w;
                    return ((y + Pad) * (w + 2 * Pad) + x + Pad) * c + ch;
                }
                case Layout.FlatChannelsLast:
                {
                    int c = Image![0], h = Image[1], w = Image[2];
                    int ch = i / (h * w), y = i / w % h, x = i % w;
                    return (y * w + x) * c + ch;
                }
                default:
                    return i;
            }
        }

        public bool Equals(Format? other) =>
            other is not null && Kind == other.Kind && Pad == other.Pad && Shape.SequenceEqual(other.Shape) &&
            (Image ?? []).SequenceEqual(other.Image ?? []);

        public override int GetHashCode() => HashCode.Combine(Kind, Pad, Shape.Length);
    }

    /// <summary>One step of the plan: reads <c>count</c> samples of <see cref="In"/> and writes them as <see cref="Out"/>.</summary>
    internal abstract class Stage
    {
        public Format In { get; protected set; } = null!;
        public Format Out { get; protected set; } = null!;

        /// <summary>Floats of scratch a thread needs for this stage (zeroed once).</summary>
        public virtual int ScratchSize => 0;

        /// <summary>Multiply-adds a sample costs, for a stage that can split its samples' work (<see cref="RunPart"/>); 0 for one that cannot.</summary>
        public virtual long SplitWork => 0;

        public abstract void Run(float* input, float* output, int count, float* scratch);

        /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of Run over at most ChunkSize samples, without scratch: the parts write disjoint outputs, together Run's.</summary>
        public virtual void RunPart(float* input, float* output, int count, int part, int parts)
        {
            if (part == 0) Run(input, output, count, null);
        }

        public abstract string Describe();

        /// <summary>A pinned copy of <paramref name="values"/> whose first element is 64-byte aligned.</summary>
        protected static float* Pinned(ReadOnlySpan<float> values, List<float[]> keep)
        {
            var array = GC.AllocateArray<float>(values.Length + 16, pinned: true);
            keep.Add(array);
            float* p = (float*)Unsafe.AsPointer(ref array[0]);
            int skip = (int)((64 - ((nint)p & 63)) & 63) / sizeof(float);
            values.CopyTo(array.AsSpan(skip));
            return p + skip;
        }
    }

    /// <summary>A stage whose output is a channels-last image, which it can write inside the next convolution's zero borders.</summary>
    internal abstract class ImageStage : Stage
    {
        /// <summary>Writes the output inside zero borders of <paramref name="pad"/> pixels.</summary>
        public abstract void PadOutput(int pad);
    }

    /// <summary>A Conv2d (and a following ReLU) as a direct kernel: channels-last input padded by the layer's padding.</summary>
    private sealed class ConvStage : ImageStage
    {
        private readonly List<float[]> _keep = [];
        private readonly float* _weights, _bias;
        private readonly int[] _rowIn, _tapOff;
        private readonly int _tapChannels;
        private int[] _rowOut = [];
        // The rows of a whole chunk (ChunkSize samples one after another), so that the tiles span samples and stay full.
        private int[] _chunkRowIn = [], _chunkRowOut = [];
        private readonly ConvGeometry _g; // one image: big = the input [C, H, W], small = the output [O, Ho, Wo]
        private readonly bool _relu;

        public ConvStage(Conv2d conv, int[] shape, bool relu)
        {
            int c = shape[0], h = shape[1], w = shape[2], o = conv.OutChannels, k = conv.KernelSize, p = conv.Padding, d = conv.Dilation;
            int ho = (h + 2 * p - d * (k - 1) - 1) / conv.Stride + 1, wo = (w + 2 * p - d * (k - 1) - 1) / conv.Stride + 1;
            if (ho <= 0 || wo <= 0)
                throw new ArgumentException($"InferencePlan.Compile: Conv2d {c}->{o} kernel {k} gives no output for a {h}x{w} image");
            _g = new ConvGeometry(1, c, h, w, o, ho, wo, k, k, conv.Stride, p, d);
            _relu = relu;
            var packed = new float[DirectConv.PackedSize(o, c, k * k)];
            DirectConv.Pack(conv.Weight.Span, o, c, k * k, packed);
            _weights = Pinned(packed, _keep);
            _bias = conv.Bias is null ? null : Pinned(conv.Bias.Span, _keep);
            In = Format.ChannelsLast(c, h, w, p);
            _rowIn = new int[ho * wo];
            var tapOff = new int[k * k];
            Conv2dKernel.WindowOffsets(_g, _rowIn, tapOff);
            (int taps, _tapChannels) = Conv2dKernel.RowTaps(_g, tapOff);
            _tapOff = tapOff[..taps];
            PadOutput(0);
        }

        public override void PadOutput(int pad)
        {
            Out = Format.ChannelsLast(_g.O, _g.Ho, _g.Wo, pad);
            int wp = _g.Wo + 2 * pad;
            _rowOut = new int[_g.Ho * _g.Wo];
            for (int y = 0; y < _g.Ho; y++)
                for (int x = 0; x < _g.Wo; x++) _rowOut[y * _g.Wo + x] = ((y + pad) * wp + x + pad) * _g.O;
            int rows = _rowIn.Length;
            if ((long)ChunkSize * Math.Max(In.Size, Out.Size) > int.MaxValue) return; // offsets past an int: one sample at a time
            _chunkRowIn = new int[ChunkSize * rows];
            _chunkRowOut = new int[ChunkSize * rows];
            for (int b = 0; b < ChunkSize; b++)
                for (int r = 0; r < rows; r++)
                {
                    _chunkRowIn[b * rows + r] = b * In.Size + _rowIn[r];
                    _chunkRowOut[b * rows + r] = b * Out.Size + _rowOut[r];
                }
        }

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            int inSize = In.Size, outSize = Out.Size, rows = _rowIn.Length;
            // Up to ChunkSize samples as one run of rows (a 49-pixel output fills 98 six-row tiles over 12 samples rather
            // than 9 tiles of 5 or 6 per sample); a row's result does not depend on the rows beside it.
            int group = _chunkRowIn.Length > 0 ? ChunkSize : 1;
            fixed (int* rowIn = _rowIn, rowOut = _rowOut, chunkIn = _chunkRowIn, chunkOut = _chunkRowOut, tapOff = _tapOff)
                for (int b = 0; b < count; b += group)
                {
                    int samples = Math.Min(group, count - b);
                    DirectConv.Run(input + (long)b * inSize, group > 1 ? chunkIn : rowIn, samples * rows, tapOff, _tapOff.Length, _tapChannels,
                        _weights, _bias, _g.O, output + (long)b * outSize, group > 1 ? chunkOut : rowOut, _relu);
                }
        }

        public override long SplitWork => (long)_rowIn.Length * _tapOff.Length * _tapChannels * _g.O;

        public override void RunPart(float* input, float* output, int count, int part, int parts)
        {
            if (_chunkRowIn.Length == 0 || count > ChunkSize)
            {
                if (part == 0) Run(input, output, count, null);
                return;
            }
            fixed (int* chunkIn = _chunkRowIn, chunkOut = _chunkRowOut, tapOff = _tapOff)
                DirectConv.RunPart(input, chunkIn, count * _rowIn.Length, tapOff, _tapOff.Length, _tapChannels, _weights, _bias, _g.O,
                    output, chunkOut, _relu, part, parts);
        }

        public override string Describe() =>
            $"conv {_g.C}->{_g.O} {_g.Kh}x{_g.Kw} stride {_g.Stride} pad {_g.Pad}{(_g.Dilation > 1 ? $" dilation {_g.Dilation}" : "")}{(_relu ? " + relu" : "")} (direct, channels-last)";
    }

    /// <summary>
    /// A ConvTranspose2d (and a following ReLU) as direct convolutions, one per stride phase: each image is copied inside
    /// the phases' zero borders (a thread's scratch), then every output pixel gathers from it.
    /// </summary>
    private sealed class TransposedConvStage : ImageStage
    {
        private readonly List<float[]> _keep = [];
        private readonly float* _weights, _bias;
        private readonly ConvGeometry _g;
        private readonly TransposedPhases.Sizes _sizes;
        private readonly float[] _packed;
        private int[] _offsets = [];
        private readonly int[] _layout;
        private readonly float[] _weight;
        private readonly bool _relu;
        private readonly int _outputPadding;

        public TransposedConvStage(ConvTranspose2d convT, int[] shape, bool relu)
        {
            int c = shape[0], h = shape[1], w = shape[2], k = convT.KernelSize;
            int ho = ConvGeometry.ConvTransposeOut(h, k, convT.Stride, convT.Padding, convT.Dilation, convT.OutputPadding);
            int wo = ConvGeometry.ConvTransposeOut(w, k, convT.Stride, convT.Padding, convT.Dilation, convT.OutputPadding);
            if (ho <= 0 || wo <= 0)
                throw new ArgumentException($"InferencePlan.Compile: ConvTranspose2d {c}->{convT.OutChannels} kernel {k} gives no output for a {h}x{w} image");
            // Big = the output [O, ho, wo], small = the input [C, h, w], weight [C, O, k, k]: a convolution's input gradient.
            _g = new ConvGeometry(1, convT.OutChannels, ho, wo, c, h, w, k, k, convT.Stride, convT.Padding, convT.Dilation);
            _relu = relu;
            _outputPadding = convT.OutputPadding;
            _sizes = TransposedPhases.Measure(_g);
            _weight = convT.Weight.Span.ToArray();
            _packed = GC.AllocateArray<float>((int)Math.Max(1, _sizes.Packed), pinned: true);
            _layout = new int[TransposedPhases.LayoutStride * _g.Stride * _g.Stride];
            _weights = (float*)Unsafe.AsPointer(ref _packed[0]);
            _bias = convT.Bias is null ? null : Pinned(convT.Bias.Span, _keep);
            In = Format.ChannelsLast(c, h, w, 0);
            PadOutput(0);
        }

        public override void PadOutput(int pad)
        {
            Out = Format.ChannelsLast(_g.C, _g.H, _g.W, pad);
            _offsets = new int[_sizes.Offsets(_g)];
            TransposedPhases.Build(_g, _weight, pad, _offsets, _layout, _packed);
        }

        public override int ScratchSize => _sizes.Height * _sizes.Width * _g.O;

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            int inSize = In.Size, outSize = Out.Size, rowFloats = _g.Wo * _g.O;
            fixed (int* offsets = _offsets, layout = _layout)
                for (int b = 0; b < count; b++)
                {
                    // The image inside the scratch's zero borders (only the interior is ever written).
                    float* src = input + (long)b * inSize;
                    for (int y = 0; y < _g.Ho; y++)
                        new ReadOnlySpan<float>(src + (long)y * rowFloats, rowFloats)
                            .CopyTo(new Span<float>(scratch + ((long)(y + _sizes.Top) * _sizes.Width + _sizes.Left) * _g.O, rowFloats));
                    TransposedPhases.Run(_g, scratch, offsets, layout, _weights, _bias, output + (long)b * outSize, _relu);
                }
        }

        public override string Describe() =>
            $"convT {_g.O}->{_g.C} {_g.Kh}x{_g.Kw} stride {_g.Stride} pad {_g.Pad}{(_outputPadding > 0 ? $" output pad {_outputPadding}" : "")}{(_g.Dilation > 1 ? $" dilation {_g.Dilation}" : "")}{(_relu ? " + relu" : "")} (direct phases, channels-last)";
    }

    /// <summary>A Linear (and a following ReLU) as the direct kernel's one-tap case, one row per sample.</summary>
    private sealed class LinearStage : Stage
    {
        private readonly List<float[]> _keep = [];
        private float* _weights, _bias;
        private readonly float[] _columns; // the weight [O, K] with its columns in the input's layout
        private readonly float[]? _biasValues;
        private readonly int[] _rowIn, _rowOut;
        private readonly int _k, _o;
        private readonly bool _relu;

        public LinearStage(Linear linear, Format input, bool relu)
        {
            _k = linear.InFeatures; _o = linear.OutFeatures; _relu = relu;
            In = input;
            // Column j of the stored weight multiplies the input stored at j: reorder PyTorch's columns to the input's layout.
            var w = linear.Weight.Span;
            _columns = new float[w.Length];
            for (int i = 0; i < _k; i++)
            {
                int j = input.Offset(i);
                for (int o = 0; o < _o; o++) _columns[o * _k + j] = w[o * _k + i];
            }
            _biasValues = linear.Bias?.Span.ToArray();
            _rowIn = new int[ChunkSize];
            _rowOut = new int[ChunkSize];
            for (int r = 0; r < ChunkSize; r++) { _rowIn[r] = r * _k; _rowOut[r] = r * _o; }
            PermuteOutput(Format.Dense([_o]));
        }

        /// <summary>Writes output i (PyTorch's order of <paramref name="to"/>) at to.Offset(i): an unpadded channels-last image costs nothing then.</summary>
        public void PermuteOutput(Format to)
        {
            Out = to;
            var rows = new float[_columns.Length];
            var bias = _biasValues is null ? null : new float[_o];
            for (int i = 0; i < _o; i++)
            {
                int j = to.Offset(i);
                _columns.AsSpan(i * _k, _k).CopyTo(rows.AsSpan(j * _k, _k));
                if (bias != null) bias[j] = _biasValues![i];
            }
            var packed = new float[DirectConv.PackedSize(_o, _k, 1)];
            DirectConv.Pack(rows, _o, _k, 1, packed);
            _keep.Clear();
            _weights = Pinned(packed, _keep);
            _bias = bias is null ? null : Pinned(bias, _keep);
        }

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            int zero = 0;
            fixed (int* rowIn = _rowIn, rowOut = _rowOut)
                DirectConv.Run(input, rowIn, count, &zero, 1, _k, _weights, _bias, _o, output, rowOut, _relu);
        }

        public override long SplitWork => (long)_k * _o;

        public override void RunPart(float* input, float* output, int count, int part, int parts)
        {
            int zero = 0;
            fixed (int* rowIn = _rowIn, rowOut = _rowOut)
                DirectConv.RunPart(input, rowIn, count, &zero, 1, _k, _weights, _bias, _o, output, rowOut, _relu, part, parts);
        }

        public override string Describe() =>
            $"linear {_k}->{_o}{(_relu ? " + relu" : "")} (direct{(In.Kind == Layout.FlatChannelsLast ? ", columns in channels-last order" : "")}{(Out.Kind == Layout.ChannelsLast ? ", outputs in channels-last order" : "")})";
    }

    /// <summary>A ReLU on its own (zero borders stay zero).</summary>
    private sealed class ReluStage : Stage
    {
        public ReluStage(Format format) { In = format; Out = format; }

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            var span = new Span<float>(output, In.Size * count);
            System.Numerics.Tensors.TensorPrimitives.Max(new ReadOnlySpan<float>(input, span.Length), 0f, span);
        }

        public override string Describe() => "relu";
    }

    /// <summary>
    /// Moves samples between layouts (the input into channels-last, the output back to PyTorch's): an image into or out of
    /// channels-last by the vectorised moves of <see cref="ChannelsLast"/>, anything else element by element.
    /// </summary>
    private sealed class ConvertStage : Stage
    {
        private readonly int[] _from, _to;
        private readonly Move _move;

        private enum Move { Gather, ToChannelsLast, FromChannelsLast }

        public ConvertStage(Format from, Format to)
        {
            In = from;
            Out = to;
            bool image = from.Shape.Length == 3 || from.Image is not null;
            _move = from.Kind == Layout.Dense && to.Kind == Layout.ChannelsLast && from.Shape.Length == 3 ? Move.ToChannelsLast
                : to.Kind == Layout.Dense && image && (from.Kind == Layout.FlatChannelsLast || from.Kind == Layout.ChannelsLast && from.Pad == 0) ? Move.FromChannelsLast
                : Move.Gather;
            int n = _move == Move.Gather ? from.Shape.Aggregate(1, (a, b) => a * b) : 0; // the element map, only for a gather
            _from = new int[n];
            _to = new int[n];
            for (int i = 0; i < n; i++) { _from[i] = from.Offset(i); _to[i] = to.Offset(i); }
        }

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            int inSize = In.Size, outSize = Out.Size;
            for (int b = 0; b < count; b++)
            {
                float* src = input + (long)b * inSize, dst = output + (long)b * outSize;
                switch (_move)
                {
                    case Move.ToChannelsLast:
                    {
                        int c = In.Shape[0], h = In.Shape[1], w = In.Shape[2], p = Out.Pad;
                        ChannelsLast.ToPadded(src, c, h, w, p, p, h + 2 * p, w + 2 * p, dst);
                        break;
                    }
                    case Move.FromChannelsLast:
                    {
                        int[] image = In.Image ?? In.Shape; // [C, H, W]
                        ChannelsLast.Transpose(src, image[1] * image[2], image[0], dst);
                        break;
                    }
                    default:
                        for (int i = 0; i < _from.Length; i++) dst[_to[i]] = src[_from[i]];
                        break;
                }
            }
        }

        public override string Describe() => $"layout {In.Kind}{(In.Pad > 0 ? $" pad {In.Pad}" : "")} -> {Out.Kind}{(Out.Pad > 0 ? $" pad {Out.Pad}" : "")}";
    }

    /// <summary>Any other layer: its own Forward in evaluation mode, on PyTorch's layout.</summary>
    private sealed class FallbackStage : Stage
    {
        private readonly Layer _layer;
        private readonly int _index;
        private readonly (Tensor Live, float[] AtCompile)[] _weights; // the layer's parameters and buffers, and their values at Compile

        public FallbackStage(Layer layer, int index, int[] shape)
        {
            _layer = layer;
            _index = index;
            _weights = layer.StateDict().Select(e => (e.Tensor, e.Tensor.Span.ToArray())).ToArray();
            In = Format.Dense(shape);
            using var noGrad = Tensor.NoGrad();
            using var eval = layer.Evaluating();
            Tensor probe;
            try
            {
                probe = layer.Forward(Tensor.Zeros([1, .. shape]));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"InferencePlan.Compile: layer {index} ({layer.GetType().Name}) does not take samples {Shapes.Format(shape)}: {e.Message}", e);
            }
            Out = Format.Dense(probe.Shape.Skip(1).ToArray());
        }

        public override void Run(float* input, float* output, int count, float* scratch)
        {
            foreach (var (live, atCompile) in _weights)
                if (!live.Span.SequenceEqual(atCompile))
                    throw new InvalidOperationException($"InferencePlan: layer {_index} ({_layer.GetType().Name}) runs as its own Forward and its weights changed since Compile; compile a new plan");
            using var eval = _layer.Evaluating();
            // Every tensor made in here goes back to the thread's pool at the end, for the next call (the result is copied out).
            using var pool = Tensor.Scratch();
            var x = Tensor.FromArray(new ReadOnlySpan<float>(input, In.Size * count), [count, .. In.Shape]);
            var y = _layer.Forward(x);
            if (y.Size != (long)Out.Size * count)
                throw new InvalidOperationException($"InferencePlan: layer {_index} ({_layer.GetType().Name}) gave {Shapes.Format(y.Shape)} for {count} samples, expected [{count},{string.Join(",", Out.Shape)}]");
            y.Span.CopyTo(new Span<float>(output, Out.Size * count));
        }

        public override string Describe() => $"{_layer.GetType().Name} (its own Forward)";
    }
}
