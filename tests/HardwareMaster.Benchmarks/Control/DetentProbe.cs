using System.Diagnostics;
using System.Globalization;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.Benchmarks.Control;

/// <summary>
/// Control-thread cost of one knob detent through <see cref="EngineController.Set(string, double)"/>: median time and
/// bytes allocated per detent, with every EQ band engaged and one audio block processed between detents (outside the
/// measurement) so published designs are picked up as on the box. Run:
/// <c>dotnet run -c Release --project tests/HardwareMaster.Benchmarks -- detents [COUNT]</c>.
/// </summary>
public static class DetentProbe
{
    /// <summary>The parameters measured (one per kind of stage).</summary>
    public static IReadOnlyList<string> Ids { get; } =
    [
        "eq.bell2.gain", "eq.bell2.freq", "comp.threshold", "hpf.freq", "limiter.ceiling", "trim.gain", "loudness.gain",
    ];

    /// <summary>Prints one line per parameter: median µs and bytes per detent over <paramref name="detents"/> detents.</summary>
    /// <param name="detents">Detents measured per parameter (after 200 of warm-up).</param>
    public static void Run(int detents)
    {
        foreach (string id in Ids)
        {
            (double medianUs, long medianBytes, long maxBytes) = Measure(id, detents);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,-18} {medianUs,8:0.000} us  {medianBytes,6} B (max {maxBytes} B) per detent, median of {detents}"));
        }
    }

    /// <summary>Measures one parameter: median time (µs), median and max bytes per detent.</summary>
    /// <param name="id">Registry id.</param>
    /// <param name="detents">Detents measured (after 200 of warm-up).</param>
    /// <returns>Median µs, median bytes, max bytes.</returns>
    public static (double MedianUs, long MedianBytes, long MaxBytes) Measure(string id, int detents)
    {
        var values = new ParameterSet(ParameterRegistry.Chain);
        values.Set("eq.lowcut.enabled", 1);
        values.Set("eq.highcut.enabled", 1);
        values.Set("eq.lowshelf.gain", 1.5);
        values.Set("eq.bell1.gain", -2);
        values.Set("eq.bell2.gain", 2);
        values.Set("eq.bell3.gain", -1);
        values.Set("eq.highshelf.gain", 1);
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, values, ditherBits: 0);
        engine.Prepare(48000, 64, paced: false, 0);
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        ParameterDefinition definition = ParameterRegistry.Chain[id];
        double value = controller.Values[id];
        var ticks = new long[detents];
        var bytes = new long[detents];
        int direction = 1;
        for (int i = -200; i < detents; i++)
        {
            double next = definition.Nudge(value, direction);
            if (next == value)
            {
                direction = -direction;
                next = definition.Nudge(value, direction);
            }

            if (i % 40 == 39)
            {
                direction = -direction; // sweep back and forth around the default
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            controller.Set(id, next);
            long elapsed = Stopwatch.GetTimestamp() - start;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            value = next;
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, i + 200));
            if (i >= 0)
            {
                ticks[i] = elapsed;
                bytes[i] = allocated;
            }
        }

        long maxBytes = bytes.Max();
        Array.Sort(ticks);
        Array.Sort(bytes);
        return (ticks[detents / 2] * 1e6 / Stopwatch.Frequency, bytes[detents / 2], maxBytes);
    }
}
