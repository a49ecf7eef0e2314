using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Dsp.Tests.Metering;

public class CorrelationMeterTests
{
    private static double Measure(Func<int, (float Left, float Right)> signal, int frames = 48000, int block = 64)
    {
        var meter = new CorrelationMeter(48000);
        float[] left = new float[block], right = new float[block];
        for (int start = 0; start < frames; start += block)
        {
            for (int i = 0; i < block; i++)
            {
                (left[i], right[i]) = signal(start + i);
            }

            meter.Process(left, right);
        }

        return meter.Correlation;
    }

    private static float Sine(int n, double hz = 440, double amplitude = 0.5) => (float)(amplitude * Math.Sin(2 * Math.PI * hz * n / 48000));

    [Fact]
    public void Correlation_Mono_IsPlusOne() => Assert.Equal(1.0, Measure(n => (Sine(n), Sine(n) * 0.5f)), 6);

    [Fact]
    public void Correlation_OutOfPhase_IsMinusOne() => Assert.Equal(-1.0, Measure(n => (Sine(n), -Sine(n))), 6);

    [Fact]
    public void Correlation_QuadratureSines_IsNearZero()
    {
        double c = Measure(n => (Sine(n), (float)(0.5 * Math.Cos(2 * Math.PI * 440 * n / 48000))));
        Assert.InRange(c, -0.02, 0.02);
    }

    [Fact]
    public void Correlation_Silence_IsNaNAndOneSilentChannelIsZero()
    {
        Assert.True(double.IsNaN(Measure(_ => (0f, 0f))));
        Assert.True(double.IsNaN(new CorrelationMeter(48000).Correlation)); // nothing measured yet
        Assert.Equal(0.0, Measure(n => (Sine(n), 0f)));
    }

    [Fact]
    public void Correlation_AfterSignalStops_DecaysToNaNWithinSeconds()
    {
        // 1 s of mono, then 4 s of silence: a 400 ms window forgets the signal (e^-10 of its energy, below -100 dBFS).
        double c = Measure(n => n < 48000 ? (Sine(n), Sine(n)) : (0f, 0f), frames: 5 * 48000);
        Assert.True(double.IsNaN(c), $"correlation {c}");
    }

    [Fact]
    public void Correlation_WindowFollowsAChangeWithinAboutOneSecond()
    {
        // 2 s in phase, then 1.2 s (3 time constants) out of phase: the reading has swung to clearly negative.
        double c = Measure(n => n < 96000 ? (Sine(n), Sine(n)) : (Sine(n), -Sine(n)), frames: 96000 + 57600);
        Assert.True(c < -0.8, $"correlation {c}");
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var meter = new CorrelationMeter(48000);
        float[] left = new float[64], right = new float[64];
        for (int i = 0; i < 64; i++)
        {
            left[i] = Sine(i);
            right[i] = Sine(i + 3);
        }

        void Blocks()
        {
            for (int b = 0; b < 1000; b++)
            {
                meter.Process(left, right);
                _ = meter.Correlation;
            }
        }

        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(Blocks));
    }
}
