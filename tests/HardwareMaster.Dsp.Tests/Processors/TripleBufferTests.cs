using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary><see cref="TripleBuffer{T}"/>: the reader gets the latest value, whole, and only when there is a new one.</summary>
[Collection(nameof(AllocationMeasurements))]
public class TripleBufferTests
{
    private readonly record struct Wide(long A, long B, long C, long D, long E);

    [Fact]
    public void TryTake_AfterSeveralPublishes_GivesTheLatestOnce()
    {
        var buffer = new TripleBuffer<Wide>(new Wide(0, 0, 0, 0, 0));
        Assert.False(buffer.TryTake());

        for (long i = 1; i <= 5; i++)
        {
            buffer.Publish(new Wide(i, i, i, i, i));
        }

        Assert.True(buffer.TryTake());
        Assert.Equal(5, buffer.Front.A);
        Assert.False(buffer.TryTake());
        Assert.Equal(5, buffer.Front.E);
    }

    [Fact]
    public void TryTake_WhileAWriterPublishes_NeverSeesAHalfWrittenValue()
    {
        var buffer = new TripleBuffer<Wide>(new Wide(0, 0, 0, 0, 0));
        const int Reads = 200_000;
        int done = 0;
        var writer = new Thread(() =>
        {
            for (long i = 1; Volatile.Read(ref done) == 0; i++)
            {
                buffer.Publish(new Wide(i, i, i, i, i));
            }
        }) { IsBackground = true, Name = "writer" };

        writer.Start();
        int torn = 0;
        long last = 0, backwards = 0;
        for (int r = 0; r < Reads; r++)
        {
            buffer.TryTake();
            Wide w = buffer.Front;
            torn += w.A == w.B && w.B == w.C && w.C == w.D && w.D == w.E ? 0 : 1;
            backwards += w.A < last ? 1 : 0;
            last = w.A;
        }

        Volatile.Write(ref done, 1);
        Assert.True(writer.Join(TimeSpan.FromSeconds(60)), "the writer did not stop");
        Assert.Equal(0, torn);
        Assert.Equal(0, backwards);
    }

    [Fact]
    public void LimiterAndCompressorSettings_Detents_AllocateNothingAndReachTheAudioThread()
    {
        var limiter = new TruePeakLimiter();
        var compressor = new GlueCompressor();
        limiter.Prepare(new ProcessSpec(48000, 64, 2));
        compressor.Prepare(new ProcessSpec(48000, 64, 2));
        float[] left = new float[64], right = new float[64];
        long Detent(int i)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            limiter.Settings = limiter.Settings with { CeilingDbtp = -1 - (0.1 * (i % 50)), ReleaseMs = 20 + (i % 7) };
            compressor.Settings = compressor.Settings with { ThresholdDb = -18 - (0.5 * (i % 40)), AttackMs = 10 + (i % 3) };
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            limiter.Process(new AudioBlock(left, right));
            compressor.Process(new AudioBlock(left, right));
            return allocated;
        }

        for (int i = 0; i < 1000; i++)
        {
            Detent(i);
        }

        Assert.Equal(0, FilterStageTripleBufferTests.SmallestSegment(Detent));

        // The audio thread runs the last settings: a square through it settles where a fresh limiter with them puts it.
        limiter.Settings = limiter.Settings with { CeilingDbtp = -6 };
        var fresh = new TruePeakLimiter { Settings = limiter.Settings };
        fresh.Prepare(new ProcessSpec(48000, 64, 2));
        float[] freshLeft = new float[64], freshRight = new float[64];
        float peak = 0, freshPeak = 0;
        for (int b = 0; b < 200; b++)
        {
            for (int i = 0; i < 64; i++)
            {
                left[i] = right[i] = freshLeft[i] = freshRight[i] = (i / 8) % 2 == 0 ? 0.99f : -0.99f;
            }

            limiter.Process(new AudioBlock(left, right));
            fresh.Process(new AudioBlock(freshLeft, freshRight));
            if (b > 150)
            {
                peak = Math.Max(peak, left.Max(Math.Abs));
                freshPeak = Math.Max(freshPeak, freshLeft.Max(Math.Abs));
            }
        }

        Assert.Equal(20 * Math.Log10(freshPeak), 20 * Math.Log10(peak), 1);
        Assert.True(20 * Math.Log10(peak) < -6, $"peak {20 * Math.Log10(peak):0.00} dBFS");
    }
}
