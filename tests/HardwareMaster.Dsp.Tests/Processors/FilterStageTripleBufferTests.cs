using HardwareMaster.Dsp.Filters;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// The filter stages hand designs to the audio thread through a triple buffer: a knob detent allocates nothing, the
/// audio thread runs the latest design, and it never runs one that is being rewritten.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public class FilterStageTripleBufferTests
{
    private static ParametricEq PreparedEq()
    {
        var eq = new ParametricEq();
        eq.SetBand(0, eq.GetBand(0) with { Enabled = true, FrequencyHz = 25, SlopeDbPerOctave = 48 });
        eq.SetBand(3, eq.GetBand(3) with { GainDb = 1 });
        eq.SetBand(6, eq.GetBand(6) with { Enabled = true, SlopeDbPerOctave = 24 });
        eq.Prepare(new ProcessSpec(48000, 64, 2));
        return eq;
    }

    private static void Process(IAudioProcessor processor, float[] left, float[] right) => processor.Process(new AudioBlock(left, right));

    private static BiquadCoefficients[] Running(FilterStage stage) => stage.RunningDesign.Sections.ToArray();

    /// <summary>
    /// Bytes of the least-allocating of four segments of 250 detents. The per-thread counter can jump once by the unused
    /// rest of the thread's allocation context when another thread's GC retires it, without this thread allocating (see
    /// ProgramMeterTests); an allocation per detent shows in every segment.
    /// </summary>
    internal static long SmallestSegment(Func<int, long> detent)
    {
        long smallest = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long bytes = 0;
            for (int i = 0; i < 250; i++)
            {
                bytes += detent((segment * 250) + i);
            }

            smallest = Math.Min(smallest, bytes);
        }

        return smallest;
    }

    [Fact]
    public void SetBand_GainAndFrequencyDetents_AllocateNothing()
    {
        ParametricEq eq = PreparedEq();
        float[] left = new float[64], right = new float[64];
        long Detent(int i)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            EqBandSettings band = eq.GetBand(3);
            eq.SetBand(3, i % 2 == 0 ? band with { GainDb = -3 + (0.1 * (i % 60)) } : band with { FrequencyHz = 500 + (i % 500) });
            eq.SetBand(0, eq.GetBand(0) with { FrequencyHz = 20 + (i % 30) });
            _ = eq.MagnitudeDb(1000, 48000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Process(eq, left, right);
            return allocated;
        }

        for (int i = 0; i < 1000; i++)
        {
            Detent(i); // warm-up: the same detents, so every path is compiled before counting
        }

        Assert.Equal(0, SmallestSegment(Detent));
    }

    [Fact]
    public void HighPassSettings_FrequencyDetents_AllocateNothing()
    {
        var hp = new HighPassFilter();
        hp.Prepare(new ProcessSpec(48000, 64, 2));
        float[] left = new float[64], right = new float[64];
        long Detent(int i)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            hp.Settings = hp.Settings with { FrequencyHz = 10 + (i % 200), SlopeDbPerOctave = i % 3 == 0 ? 48 : 18 };
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Process(hp, left, right);
            return allocated;
        }

        for (int i = 0; i < 1000; i++)
        {
            Detent(i);
        }

        Assert.Equal(0, SmallestSegment(Detent));
    }

    [Fact]
    public void Process_AfterSeveralRedesignsBetweenBlocks_RunsTheLatest()
    {
        ParametricEq eq = PreparedEq();
        float[] left = new float[64], right = new float[64];
        for (int i = 1; i <= 5; i++)
        {
            eq.SetBand(3, eq.GetBand(3) with { GainDb = i });
        }

        Process(eq, left, right);

        ParametricEq expected = PreparedEq();
        expected.SetBand(3, expected.GetBand(3) with { GainDb = 5 });
        Process(expected, left, right);
        Assert.Equal(Running(expected), Running(eq));
        Assert.Equal(expected.MagnitudeDb(1000, 48000), eq.MagnitudeDb(1000, 48000));
    }

    [Fact]
    public void Process_WhileAControlThreadTurnsTheKnob_AlwaysRunsAWholePublishedDesign()
    {
        // The knob alternates two bands between settings A and B, one SetBand (one publish) at a time, so the published
        // designs are A, B and the two mixes (band 0 of one with band 3 of the other). Whatever the audio thread runs
        // must be exactly one of those four: a design being rewritten would show up as a fifth.
        EqBandSettings a0 = PreparedEq().GetBand(0), a3 = PreparedEq().GetBand(3);
        EqBandSettings b0 = a0 with { FrequencyHz = 60, SlopeDbPerOctave = 18 }, b3 = a3 with { GainDb = -6, FrequencyHz = 3000, Q = 4 };
        float[] left = new float[64], right = new float[64];
        var legitimate = new List<BiquadCoefficients[]>();
        foreach ((EqBandSettings band0, EqBandSettings band3) in new[] { (a0, a3), (b0, b3), (b0, a3), (a0, b3) })
        {
            ParametricEq reference = PreparedEq();
            reference.SetBand(0, band0);
            reference.SetBand(3, band3);
            Process(reference, left, right);
            legitimate.Add(Running(reference));
        }

        ParametricEq eq = PreparedEq();
        const int Blocks = 20_000;
        int processed = 0;
        var knob = new Thread(() =>
        {
            int i = 0;
            while (Volatile.Read(ref processed) < Blocks)
            {
                bool toB = (i++ & 1) == 0;
                eq.SetBand(0, toB ? b0 : a0);
                eq.SetBand(3, toB ? b3 : a3);
            }
        }) { IsBackground = true, Name = "knob" };

        knob.Start();
        int mismatches = 0;
        var seen = new int[legitimate.Count];
        for (int block = 0; block < Blocks; block++)
        {
            Process(eq, left, right);
            BiquadCoefficients[] running = Running(eq);
            int match = legitimate.FindIndex(design => design.AsSpan().SequenceEqual(running));
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
