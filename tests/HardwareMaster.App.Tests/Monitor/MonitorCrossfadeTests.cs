using HardwareMaster.App.Monitor;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>A function switch on the monitor path crossfades (no click), and the master is never touched.</summary>
public sealed class MonitorCrossfadeTests
{
    private const int Rate = 48000;
    private const int Block = 256;
    private const int SwitchBlock = 300; // after the loudness match has settled
    private const int Blocks = SwitchBlock + 40;

    private sealed class Capture : IMonitorSink
    {
        public readonly List<float> Left = new(Blocks * Block);

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            foreach (float x in left)
            {
                Left.Add(x);
            }
        }
    }

    private static void Programme(int b, float[] l, float[] r)
    {
        for (int i = 0; i < Block; i++)
        {
            long n = ((long)b * Block) + i;
            double low = Math.Sin(2 * Math.PI * 220 * n / Rate), high = Math.Sin(2 * Math.PI * 1300 * n / Rate);
            l[i] = (float)((0.45 * low) + (0.15 * high));
            r[i] = (float)((0.25 * low) - (0.2 * high));
        }
    }

    // The monitor's left channel over the run; `to` from SwitchBlock on. Checks the master buffers stay bit-identical.
    private static float[] Run(MonitorFunction from, MonitorFunction to)
    {
        var capture = new Capture();
        var path = new MonitorPath(MonitorRoute.Sink, capture) { Function = from };
        path.Prepare(Rate, Block);
        float[] l = new float[Block], r = new float[Block], l0 = new float[Block], r0 = new float[Block];
        for (int b = 0; b < Blocks; b++)
        {
            if (b == SwitchBlock)
            {
                path.Function = to;
            }

            Programme(b, l, r);
            Programme(b, l0, r0);
            path.Render(l, r, deliver: true);
            Assert.Equal(l0, l); // the master (the device output with a separate monitor) is bit-identical
            Assert.Equal(r0, r);
        }

        return [.. capture.Left];
    }

    private static double MaxStep(float[] x, int from, int to)
    {
        double max = 0;
        for (int i = Math.Max(1, from); i < to; i++)
        {
            max = Math.Max(max, Math.Abs(x[i] - x[i - 1]));
        }

        return max;
    }

    [Theory]
    [InlineData(MonitorFunction.Off, MonitorFunction.Mono)]
    [InlineData(MonitorFunction.Mono, MonitorFunction.Side)]
    [InlineData(MonitorFunction.Side, MonitorFunction.Phone)]
    [InlineData(MonitorFunction.Phone, MonitorFunction.Car)]
    [InlineData(MonitorFunction.Earbuds, MonitorFunction.Delta)] // no limiter tap: delta is silence
    [InlineData(MonitorFunction.Car, MonitorFunction.Off)]
    public void Switch_Crossfades_NoStepLargerThanEitherSignalHasWithoutTheSwitch(MonitorFunction from, MonitorFunction to)
    {
        float[] switched = Run(from, to);
        float[] oldOnly = Run(from, from);
        float[] newOnly = Run(to, to);
        int start = (SwitchBlock - 2) * Block, end = (SwitchBlock + 20) * Block;
        double without = Math.Max(MaxStep(oldOnly, start, end), MaxStep(newOnly, start, end));
        double with = MaxStep(switched, start, end);
        Assert.True(with <= (without * 1.05) + 1e-4, $"{from}→{to}: largest step {with:0.00000} with the switch, {without:0.00000} without");

        Assert.Equal(oldOnly.AsSpan(0, SwitchBlock * Block).ToArray(), switched.AsSpan(0, SwitchBlock * Block).ToArray()); // before the switch: the old signal
    }

    [Fact]
    public void Switch_RepeatedQuickly_EveryRequestLands_AndTheLastOneWins()
    {
        var path = new MonitorPath(MonitorRoute.Sink, new Capture());
        path.Prepare(Rate, Block);
        float[] l = new float[Block], r = new float[Block];
        for (int b = 0; b < 40; b++)
        {
            path.Function = (MonitorFunction)(1 + (b % 6)); // a new function every block, faster than the crossfade
            Programme(b, l, r);
            path.Render(l, r, deliver: true);
        }

        path.Function = MonitorFunction.Side;
        for (int b = 40; b < 50; b++)
        {
            Programme(b, l, r);
            path.Render(l, r, deliver: true);
        }

        Assert.False(path.IsCrossfading);
        Assert.Equal(MonitorFunction.Side, path.Processor.Function);
    }
}
