using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// <see cref="StereoWidth"/> hands its design (width and mono-below crossover) to the audio thread through a triple
/// buffer: a knob detent allocates nothing, the audio thread runs the latest design, and never one being rewritten.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public class StereoWidthTripleBufferTests
{
    private static StereoWidth Prepared(WidthSettings settings)
    {
        var width = new StereoWidth { Settings = settings };
        width.Prepare(new ProcessSpec(48000, 64, 2));
        return width;
    }

    private static void Process(StereoWidth width, float[] left, float[] right) => width.Process(new AudioBlock(left, right));

    [Fact]
    public void Settings_WidthAndMonoBelowDetents_AllocateNothingAndReachTheAudioThread()
    {
        StereoWidth width = Prepared(new WidthSettings { MonoBelowHz = 120 });
        float[] left = new float[64], right = new float[64];
        long Detent(int i)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            width.Settings = i % 2 == 0
                ? width.Settings with { WidthPercent = 50 + (i % 100) }
                : width.Settings with { MonoBelowHz = i % 5 == 0 ? 0 : 20 + (i % 480) };
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Process(width, left, right);
            return allocated;
        }

        for (int i = 0; i < 1000; i++)
        {
            Detent(i); // warm-up: the same detents, so every path is compiled before counting
        }

        Assert.Equal(0, FilterStageTripleBufferTests.SmallestSegment(Detent));

        // Several changes between two blocks: the audio thread runs the latest, as a fresh stage with those settings does.
        for (int i = 1; i <= 5; i++)
        {
            width.Settings = new WidthSettings { WidthPercent = 100 + i, MonoBelowHz = 100 + i };
        }

        Process(width, left, right);
        StereoWidth expected = Prepared(width.Settings);
        Process(expected, left, right);
        Assert.Equal(expected.RunningDesign, width.RunningDesign);
        Assert.Equal(1.05, width.RunningDesign.Width);
    }

    [Fact]
    public void Process_WhileAControlThreadTurnsTheKnob_AlwaysRunsAWholePublishedDesign()
    {
        // The knob alternates between A and B, which differ in every field of the design; a design being rewritten
        // while the audio thread runs it would show up as neither.
        var a = new WidthSettings { WidthPercent = 60, MonoBelowHz = 80 };
        var b = new WidthSettings { WidthPercent = 180, MonoBelowHz = 400 };
        float[] left = new float[64], right = new float[64];
        StereoWidth referenceA = Prepared(a), referenceB = Prepared(b);
        Process(referenceA, left, right);
        Process(referenceB, left, right);
        var legitimate = new[] { referenceA.RunningDesign, referenceB.RunningDesign };
        Assert.NotEqual(legitimate[0], legitimate[1]);

        StereoWidth width = Prepared(a);
        const int Blocks = 20_000;
        int processed = 0;
        var knob = new Thread(() =>
        {
            for (int i = 0; Volatile.Read(ref processed) < Blocks; i++)
            {
                width.Settings = (i & 1) == 0 ? b : a;
            }
        }) { IsBackground = true, Name = "knob" };

        knob.Start();
        var seen = new int[legitimate.Length];
        int mismatches = 0;
        for (int block = 0; block < Blocks; block++)
        {
            Process(width, left, right);
            int match = Array.IndexOf(legitimate, width.RunningDesign);
            if (match < 0)
            {
                mismatches++;
            }
            else
            {
                seen[match]++;
            }

            Volatile.Write(ref processed, block + 1);
        }

        Assert.True(knob.Join(TimeSpan.FromSeconds(60)), "the knob thread did not stop");
        Assert.Equal(0, mismatches);
        Assert.Equal(Blocks, seen.Sum());
    }
}
