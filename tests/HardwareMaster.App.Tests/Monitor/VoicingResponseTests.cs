using System.Globalization;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>
/// Issue 14, "filters documented with their source or measured curve": the translation voicings' magnitude response,
/// measured through <see cref="MonitorProcessor"/> itself (a steady −20 dBFS sine, L = R, for 6 s; the last 100 ms
/// block's level re the input, minus the loudness-match gain the processor reports for that block), must equal the
/// table in firmware-app/README.md ("Measured response of the voicings") within 0.2 dB at every listed frequency, so the
/// documentation cannot drift from the code.
/// </summary>
public class VoicingResponseTests
{
    private const int Rate = 48000;
    private const int Block = 4800; // 100 ms: a whole number of periods of every listed frequency
    private const double ToleranceDb = 0.2;
    private const string TableHeading = "Measured response of the voicings";

    /// <summary>The table's frequencies, Hz (its column headings).</summary>
    private static readonly double[] Frequencies = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 16000];

    /// <summary>The filter response of <paramref name="function"/> at <paramref name="frequencyHz"/>, dB, as the processor plays it before its match gain.</summary>
    private static double MeasureDb(MonitorFunction function, double frequencyHz)
    {
        var processor = new MonitorProcessor { Function = function };
        processor.Prepare(Rate, Block);
        float[] left = new float[Block], right = new float[Block];
        double w = 2 * Math.PI * frequencyHz / Rate;
        double inSquares = 0, outSquares = 0;
        for (int b = 0; b < 60; b++)
        {
            inSquares = 0;
            for (int i = 0; i < Block; i++)
            {
                left[i] = right[i] = (float)(0.1 * Math.Sin(w * ((long)b * Block + i)));
                inSquares += (double)left[i] * left[i];
            }

            processor.Process(left, right, default, default);
            outSquares = 0;
            for (int i = 0; i < Block; i++)
            {
                Assert.Equal(processor.Left[i], processor.Right[i]); // L = R in, L = R out for every voicing
                outSquares += (double)processor.Left[i] * processor.Left[i];
            }
        }

        return (10 * Math.Log10(outSquares / inSquares)) - processor.MatchGainDb;
    }

    private static string ReadmePath()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HardwareMaster.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        return Path.Combine(dir, "firmware-app", "README.md");
    }

    /// <summary>The README table's row for <paramref name="name"/>: the dB values under the frequency columns.</summary>
    private static double[] TableRow(string name)
    {
        string[] lines = File.ReadAllLines(ReadmePath());
        int heading = Array.FindIndex(lines, l => l.Contains(TableHeading, StringComparison.Ordinal));
        Assert.True(heading >= 0, $"firmware-app/README.md has no \"{TableHeading}\" table");
        for (int i = heading + 1; i < lines.Length && i < heading + 12; i++)
        {
            string[] cells = lines[i].Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length > Frequencies.Length + 1 && cells[1] == name)
            {
                return cells.Skip(2).Take(Frequencies.Length).Select(c => double.Parse(c.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            }
        }

        Assert.Fail($"no row '{name}' in the \"{TableHeading}\" table");
        return [];
    }

    [Theory]
    [InlineData(MonitorFunction.Phone)]
    [InlineData(MonitorFunction.Earbuds)]
    [InlineData(MonitorFunction.Car)]
    public void Voicing_MeasuredResponse_IsTheReadmeTable(MonitorFunction function)
    {
        double[] measured = Frequencies.Select(f => MeasureDb(function, f)).ToArray();
        string name = MonitorFunctionNames.Name(function);
        Console.WriteLine($"| {name} | " + string.Join(" | ", measured.Select(m => m.ToString("0.0", CultureInfo.InvariantCulture).Replace("-", "−"))) + " |");
        double[] documented = TableRow(name);
        for (int i = 0; i < Frequencies.Length; i++)
        {
            Assert.True(Math.Abs(measured[i] - documented[i]) <= ToleranceDb, $"{name} at {Frequencies[i]} Hz: measured {measured[i]:0.00} dB, README {documented[i]:0.0} dB");
        }
    }

    [Fact]
    public void Mono_IsFlat_TheMatchGainAlone()
    {
        // The method's zero: a function without filters measures 0 dB everywhere (the match gain is all it adds).
        Assert.All(Frequencies, f => Assert.True(Math.Abs(MeasureDb(MonitorFunction.Mono, f)) < 0.01, $"{f} Hz"));
    }
}
