using System.Text;

namespace Latent.Cli.Tests;

/// <summary>
/// The writer a data-parallel rank prints through: its callers never wait for a reader that has stopped reading (mpirun
/// ending a job), everything is written in order once the reader reads again, and past its queue's size text is dropped
/// and counted rather than waited for.
/// </summary>
public sealed class DetachedWriterTests
{
    /// <summary>A writer that blocks every write until <see cref="Open"/> is set (a pipe nobody drains).</summary>
    private sealed class StuckWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        public ManualResetEventSlim Open { get; } = new(false);
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            Open.Wait();
            lock (_text) _text.Append(value);
        }

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }
    }

    [Fact]
    public void Writes_return_while_the_reader_is_stuck_and_arrive_in_order_once_it_reads_again()
    {
        var inner = new StuckWriter();
        using var writer = new DetachedWriter(inner);
        var writing = new Thread(() =>
        {
            for (int i = 0; i < 1000; i++) writer.WriteLine($"epoch {i}");
            writer.Flush();
        });
        writing.Start();
        // A writer that waited for the reader would never finish: the reader is stuck until the end of the test.
        bool returned = writing.Join(TimeSpan.FromMinutes(1));
        if (!returned) inner.Open.Set();
        Assert.True(returned, "writing waited for a reader that does not read");
        Assert.False(writer.Drain(TimeSpan.FromMilliseconds(50)));
        Assert.Equal("", inner.Text);

        inner.Open.Set();
        Assert.True(writer.Drain(TimeSpan.FromSeconds(30)));
        Assert.Equal(string.Concat(Enumerable.Range(0, 1000).Select(i => $"epoch {i}{Environment.NewLine}")), inner.Text);
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public void Past_the_queue_size_text_is_dropped_and_counted_instead_of_waited_for()
    {
        var inner = new StuckWriter();
        using var writer = new DetachedWriter(inner);
        string block = new('x', 1000);
        int blocks = DetachedWriter.MaxPendingChars / block.Length + 50;
        for (int i = 0; i < blocks; i++) writer.Write(block);
        Assert.True(writer.Dropped >= 49 * block.Length, $"dropped {writer.Dropped}");

        inner.Open.Set();
        Assert.True(writer.Drain(TimeSpan.FromSeconds(30)));
        Assert.Equal(blocks * block.Length - writer.Dropped, inner.Text.Length);
        writer.Write("after");
        Assert.True(writer.Drain(TimeSpan.FromSeconds(30)));
        Assert.EndsWith("after", inner.Text, StringComparison.Ordinal);
    }
}
