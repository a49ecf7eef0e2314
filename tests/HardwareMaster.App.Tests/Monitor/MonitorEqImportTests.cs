using System.Numerics;
using HardwareMaster.App.Monitor;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>`monitor-eq import`: the Room EQ Wizard filter-settings parser, the stored file, the CLI and the applied response.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class MonitorEqImportTests : IDisposable
{
    // A REW V5 export (header as REW writes it) with every type the import knows, and the ones it skips.
    internal const string EveryType = """
        Filter Settings file

        Room EQ V5.20.13
        Dated: 02-Dec-2026 10:33:21

        Notes:studio left

        Equaliser: Generic
        Dec 02 10:32:00
        Preamp: -1.5 dB
        Filter  1: ON  PK       Fc   63.0 Hz  Gain  -5.0 dB  Q  4.000
        Filter  2: ON  LS       Fc   80.0 Hz  Gain   3.0 dB
        Filter  3: ON  LSC      Fc   120 Hz  Gain   2.0 dB  Q  0.900
        Filter  4: ON  LS 6dB   Fc   200 Hz  Gain  -2.0 dB
        Filter  5: ON  LS 12dB  Fc   150 Hz  Gain   1.0 dB
        Filter  6: ON  HS       Fc   8000 Hz  Gain  -2.0 dB
        Filter  7: ON  HSC      Fc   6000 Hz  Gain   1.5 dB  Q  0.800
        Filter  8: ON  HS 6dB   Fc   4000 Hz  Gain  -1.0 dB
        Filter  9: ON  HS 12dB  Fc   10.0 kHz  Gain   1.0 dB
        Filter 10: ON  LP       Fc   20000 Hz
        Filter 11: ON  LPQ      Fc   18000 Hz  Q  0.600
        Filter 12: ON  LP1      Fc   21000 Hz
        Filter 13: ON  HP       Fc   25.0 Hz
        Filter 14: ON  HPQ      Fc   20.0 Hz  Q  0.500
        Filter 15: ON  HP1      Fc   15.0 Hz
        Filter 16: ON  None
        Filter 17: OFF PK       Fc   500 Hz  Gain  -3.0 dB  Q  2.000
        Filter 18: ON  NO       Fc   1000 Hz  Q 10.0
        Filter 19: ON  PK       Fc   2500 Hz  Gain   1,5 dB  Q  3,000
        Filter 20: ON  AP       Fc   700 Hz  Q 0.700
        Filter 21: ON  BP       Fc   1000 Hz  Q 2.000
        Filter 22: ON  LSC 6 dB  Fc  100 Hz  Gain 3.0 dB
        Filter 23: ON  HSC 12dB  Fc  5000 Hz  Gain -4.0 dB
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hm-moneq-" + Guid.NewGuid().ToString("N")[..8]);

    public MonitorEqImportTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Parse_EveryFilterType_GivesTheFilters_AndReportsTheSkippedLinesByNumber()
    {
        RewImportResult result = RewFilterImport.Parse(EveryType);
        Assert.False(result.HasErrors);
        MonitorEqType[] expected =
        [
            MonitorEqType.Peak, MonitorEqType.LowShelf, MonitorEqType.LowShelf, MonitorEqType.LowShelfFirstOrder, MonitorEqType.LowShelf,
            MonitorEqType.HighShelf, MonitorEqType.HighShelf, MonitorEqType.HighShelfFirstOrder, MonitorEqType.HighShelf,
            MonitorEqType.LowPass, MonitorEqType.LowPass, MonitorEqType.LowPassFirstOrder,
            MonitorEqType.HighPass, MonitorEqType.HighPass, MonitorEqType.HighPassFirstOrder, MonitorEqType.Notch, MonitorEqType.Peak,
            MonitorEqType.AllPass, MonitorEqType.BandPass, MonitorEqType.LowShelf, MonitorEqType.HighShelf,
        ];
        Assert.Equal(expected, result.Filters.Select(f => f.Type));
        Assert.Equal(new MonitorEqFilter(MonitorEqType.Peak, 63, -5, 4), result.Filters[0]);
        Assert.Equal(0.7071, result.Filters[1].Q, 4); // LS without Q: Butterworth
        Assert.Equal(0.9, result.Filters[2].Q, 6);
        Assert.Equal(10000, result.Filters[8].FrequencyHz); // kHz
        Assert.Equal(0.6, result.Filters[10].Q, 6);
        Assert.Equal(0, result.Filters[12].GainDb);
        Assert.Equal(new MonitorEqFilter(MonitorEqType.Notch, 1000, 0, 10), result.Filters[15]);
        Assert.Equal(1.5, result.Filters[16].GainDb, 6); // a comma decimal
        Assert.Equal(3, result.Filters[16].Q, 6);
        Assert.Equal(new MonitorEqFilter(MonitorEqType.AllPass, 700, 0, 0.7), result.Filters[17]);

        // The slope form: RBJ shelf slope S = 6/12 at +3 dB gives Q = 1/√((A + 1/A)(1/S − 1) + 2) = 0.498; S = 1 gives 0.7071.
        Assert.Equal(0.498, result.Filters[19].Q, 3);
        Assert.Equal(0.7071, result.Filters[20].Q, 3);

        // Header lines (Filter Settings file, Dated, Notes, Equaliser, Preamp) are not reported; skipped filters are.
        Assert.Equal([26, 27], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.False(p.IsError));
        Assert.Contains("None", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("OFF", result.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedLines_EveryOneReportedWithItsLineNumberAndReason()
    {
        string text = string.Join('\n', [
            "Filter Settings file",                                          // 1 header
            "Filter  1: ON  PK  Fc 100 Hz  Gain -3.0 dB  Q 2.0",             // 2 fine
            "Filter  2: ON  PK  Fc 100 Hz  Gain -3.0 dB",                    // 3 no Q
            "Filter  3: ON  PK  Fc abc Hz  Gain -3.0 dB  Q 2",               // 4 not a number
            "Filter  4: ON  PK  Fc 5 Hz  Gain -3.0 dB  Q 2",                 // 5 frequency too low
            "Filter  5: ON  PK  Fc 30000 Hz  Gain -3.0 dB  Q 2",             // 6 frequency too high
            "Filter  6: ON  PK  Fc 100 Hz  Gain -25.0 dB  Q 2",              // 7 gain beyond ±20
            "Filter  7: ON  PK  Fc 100 Hz  Gain 3.0 dB  Q 0",                // 8 Q not above 0
            "Filter  8: ON  Modal  Fc 100 Hz  Gain -3 dB",                   // 9 refused type
            "Filter  9: MAYBE PK Fc 100 Hz Gain 1 dB Q 1",                   // 10 not ON/OFF
            "Filter 10: ON  LS  Gain 3 dB",                                  // 11 no Fc
            "Filter 11 ON PK Fc 100 Hz Gain 1 dB Q 1",                       // 12 no colon
            "Filter 12: ON  LP  Fc 100 Hz  Gain 3 dB",                       // 13 gain on a pass
            "Filter 13: ON  HP1 Fc 100 Hz  Q 0.7",                           // 14 Q on a first-order
            "Filter 14: ON  PK  Fc 100 Hz  Gain 1 dB  Q 1  Slope 3",         // 15 unknown key
            "Filter 15: ON  PK  Fc 100 Hz  Gain 1 dB  Q -1",                 // 16 negative Q
        ]);
        RewImportResult result = RewFilterImport.Parse(text);
        Assert.Single(result.Filters);
        Assert.Equal(Enumerable.Range(3, 14), result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.True(p.IsError));
        string[] reasons = ["without Q", "not a number", "outside 10", "outside 10", "outside ±20", "above 0", "'Modal' is not supported", "ON or OFF", "without Fc", "no ':'", "which has none", "which has none", "'Slope'", "above 0"];
        for (int i = 0; i < reasons.Length; i++)
        {
            Assert.Contains(reasons[i], result.Problems[i].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_MoreThanTheEqHolds_IsAnError_OnTheFirstLineTooMany()
    {
        string text = string.Join('\n', Enumerable.Range(1, MonitorEqFilter.MaxFilters + 1).Select(i => $"Filter {i}: ON PK Fc {100 + i} Hz Gain -1 dB Q 2"));
        RewImportResult result = RewFilterImport.Parse(text);
        Assert.Equal(MonitorEqFilter.MaxFilters, result.Filters.Count);
        RewImportProblem problem = Assert.Single(result.Problems);
        Assert.Equal(MonitorEqFilter.MaxFilters + 1, problem.Line);
        Assert.True(problem.IsError);
    }

    [Fact]
    public void Cli_Import_StoresAtomically_ShowPrints_ClearRemoves()
    {
        string file = Path.Combine(_folder, "room.txt");
        File.WriteAllText(file, EveryType);
        string state = Path.Combine(_folder, "state");
        (int code, string output, string error) = CliRunner.Run("monitor-eq", "import", file, "--state-dir", state);
        Assert.Equal(0, code);
        Assert.Contains("21 filters from room.txt", output, StringComparison.Ordinal);
        Assert.Contains("room.txt line 27: note:", error, StringComparison.Ordinal);
        Assert.Equal(EveryType, File.ReadAllText(file)); // the input is never touched
        Assert.Empty(Directory.GetFiles(state, ".*")); // no temporary file left

        MonitorCalibration? stored = MonitorEqStore.Load(state, out string? problem);
        Assert.Null(problem);
        Assert.NotNull(stored);
        Assert.Equal(RewFilterImport.Parse(EveryType).Filters, stored.Filters);
        Assert.Equal("room.txt", stored.Source);
        Assert.True(DateTimeOffset.UtcNow - stored.ImportedUtc < TimeSpan.FromMinutes(5));

        (code, output, _) = CliRunner.Run("monitor-eq", "show", "--state-dir", state);
        Assert.Equal(0, code);
        Assert.Contains("21 filters from room.txt, imported " + DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        Assert.Contains("PK", output, StringComparison.Ordinal);

        (code, output, _) = CliRunner.Run("monitor-eq", "clear", "--state-dir", state);
        Assert.Equal(0, code);
        Assert.False(File.Exists(MonitorEqStore.PathIn(state)));
        (code, output, _) = CliRunner.Run("monitor-eq", "show", "--state-dir", state);
        Assert.Equal(0, code);
        Assert.Contains("none stored", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_Import_AnyErrorOrNothingUsable_ExitsOne_AndKeepsThePreviousEq()
    {
        string state = Path.Combine(_folder, "state");
        string good = Path.Combine(_folder, "good.txt");
        File.WriteAllText(good, "Filter 1: ON PK Fc 100 Hz Gain -3 dB Q 2\n");
        Assert.Equal(0, CliRunner.Run("monitor-eq", "import", good, "--state-dir", state).ExitCode);
        string before = File.ReadAllText(MonitorEqStore.PathIn(state));

        string bad = Path.Combine(_folder, "bad.txt");
        File.WriteAllText(bad, "Filter 1: ON PK Fc 100 Hz Gain -3 dB Q 2\nFilter 2: ON PK Fc 100 Hz Gain -30 dB Q 2\nFilter 3: ON XX Fc 1 Hz\n");
        (int code, _, string error) = CliRunner.Run("monitor-eq", "import", bad, "--state-dir", state);
        Assert.Equal(1, code);
        Assert.Contains("bad.txt line 2: Gain -30 dB is outside ±20 dB", error, StringComparison.Ordinal);
        Assert.Contains("bad.txt line 3: filter type 'XX' is not supported", error, StringComparison.Ordinal);
        Assert.Contains("2 lines cannot be used; nothing stored", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(MonitorEqStore.PathIn(state)));

        string empty = Path.Combine(_folder, "off.txt");
        File.WriteAllText(empty, "Filter Settings file\nFilter 1: OFF PK Fc 100 Hz Gain -3 dB Q 2\nFilter 2: ON None\n");
        (code, _, error) = CliRunner.Run("monitor-eq", "import", empty, "--state-dir", state);
        Assert.Equal(1, code);
        Assert.Contains("no usable filter", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(MonitorEqStore.PathIn(state)));

        (code, _, error) = CliRunner.Run("monitor-eq", "import", Path.Combine(_folder, "missing.txt"), "--state-dir", state);
        Assert.Equal(1, code);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_CorruptFile_IsReportedInOneLine_AndTheBoxKeepsItsPreviousEq()
    {
        var path = new MonitorPath(MonitorRoute.MainOutput);
        path.Prepare(48000, 256);
        MonitorEqStore.Save(_folder, new MonitorCalibration([new MonitorEqFilter(MonitorEqType.Peak, 100, -3, 2)], DateTimeOffset.UtcNow, "a.txt"));
        var monitor = new BoxMonitor(path, _folder);
        Assert.Equal(1, monitor.CalibrationFilters);
        Assert.True(path.IsCalibrated);

        File.WriteAllText(MonitorEqStore.PathIn(_folder), "{\"schema\": 1, \"imported\": \"yesterday\"}");
        Assert.False(monitor.ReloadCalibration());
        Assert.Contains("monitor-eq.json: \"imported\"", monitor.CalibrationProblem, StringComparison.Ordinal);
        Assert.Equal(1, monitor.CalibrationFilters);
        Assert.True(path.IsCalibrated);

        File.Delete(MonitorEqStore.PathIn(_folder));
        Assert.True(monitor.ReloadCalibration());
        Assert.Equal(0, monitor.CalibrationFilters);
        Assert.False(path.IsCalibrated);
    }

    [Fact]
    public void AppliedEq_MeasuredResponse_MatchesTheFiltersWithinHalfADecibel()
    {
        const string file = """
            Filter  1: ON  PK       Fc   1000 Hz  Gain  -6.0 dB  Q  2.000
            Filter  2: ON  LSC      Fc    100 Hz  Gain   4.0 dB  Q  0.707
            Filter  3: ON  HS 6dB   Fc   6000 Hz  Gain  -3.0 dB
            Filter  4: ON  HP       Fc     30 Hz
            """;
        RewImportResult result = RewFilterImport.Parse(file);
        Assert.False(result.HasErrors);
        const int rate = 48000, block = 256;
        foreach (double hz in new[] { 40.0, 100, 300, 1000, 1500, 4000, 6000, 12000 })
        {
            var path = new MonitorPath(MonitorRoute.MainOutput);
            path.Prepare(rate, block);
            path.SetCalibration(result.Filters);
            float[] l = new float[block], r = new float[block];
            double inSum = 0, outSum = 0;
            int blocks = (int)(1.5 * rate / block);
            for (int b = 0; b < blocks; b++)
            {
                for (int i = 0; i < block; i++)
                {
                    l[i] = r[i] = (float)(0.25 * Math.Sin(2 * Math.PI * hz * ((b * block) + i) / rate));
                }

                float[] master = (float[])l.Clone();
                path.Render(l, r, deliver: true); // function off: the correction EQ alone, into the device output
                if (b >= blocks / 2)
                {
                    for (int i = 0; i < block; i++)
                    {
                        inSum += master[i] * (double)master[i];
                        outSum += l[i] * (double)l[i];
                    }
                }
            }

            double measured = 10 * Math.Log10(outSum / inSum);
            double expected = AnalogPeakDb(hz, 1000, -6, 2) + AnalogLowShelfDb(hz, 100, 4, 0.707) + FirstOrderHighShelfDb(hz, 6000, -3) + ButterworthHighPassDb(hz, 30);
            Assert.True(Math.Abs(measured - expected) <= 0.5, $"{hz} Hz: measured {measured:0.00} dB, the filters say {expected:0.00} dB");
        }
    }

    [Fact]
    public void Parse_RefusedTypesAndSlopes_ReportedByLineNumberAndType()
    {
        string text = string.Join('\n', [
            "Filter 1: ON Modal Fc 40 Hz Gain -6 dB",    // 1
            "Filter 2: ON XY Fc 40 Hz",                   // 2
            "Filter 3: ON PK Fc 100 Hz Gain 1 dB Q 1",    // 3 fine
            "Filter 4: ON LSC 15 dB Fc 100 Hz Gain 3 dB", // 4 slope beyond 12
            "Filter 5: ON LS 9dB Fc 100 Hz Gain 3 dB",    // 5 LS takes 6 or 12
            "Filter 6: ON NO Fc 100 Hz Gain 3 dB",        // 6 gain on a notch
        ]);
        RewImportResult result = RewFilterImport.Parse(text);
        Assert.Single(result.Filters);
        Assert.Equal([1, 2, 4, 5, 6], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.True(p.IsError));
        string[] reasons = ["'Modal' is not supported", "'XY' is not supported", "slope 15 dB/octave", "LS/HS take 6 dB or 12 dB", "which has none"];
        for (int i = 0; i < reasons.Length; i++)
        {
            Assert.Contains(reasons[i], result.Problems[i].Message, StringComparison.Ordinal);
        }

        // The CLI: exit 1, one line per refused line naming its number and type, nothing stored.
        string file = Path.Combine(_folder, "refused.txt");
        File.WriteAllText(file, text);
        string state = Path.Combine(_folder, "state");
        (int code, _, string error) = CliRunner.Run("monitor-eq", "import", file, "--state-dir", state);
        Assert.Equal(1, code);
        Assert.Contains("refused.txt line 1: filter type 'Modal' is not supported", error, StringComparison.Ordinal);
        Assert.Contains("refused.txt line 2: filter type 'XY' is not supported", error, StringComparison.Ordinal);
        Assert.Contains("5 lines cannot be used; nothing stored", error, StringComparison.Ordinal);
        Assert.False(File.Exists(MonitorEqStore.PathIn(state)));
    }

    /// <summary>
    /// Every accepted type of <see cref="EveryType"/>, applied alone through the monitor path at 48 kHz, against its analog
    /// prototype at 40 Hz … 6 kHz and its own Fc: within 0.5 dB where the prototype is above −20 dB, and below −18 dB where
    /// it is under −20 dB (a notch's centre, a pass's stop band).
    /// </summary>
    [Fact]
    public void AppliedEq_EveryAcceptedType_MatchesItsAnalogPrototypeWithinHalfADecibel()
    {
        RewImportResult result = RewFilterImport.Parse(EveryType);
        Assert.False(result.HasErrors);
        Assert.Equal(Enum.GetValues<MonitorEqType>().Order(), result.Filters.Select(f => f.Type).Distinct().Order());
        foreach (MonitorEqFilter filter in result.Filters)
        {
            foreach (double hz in new[] { 40.0, 100, 300, 1000, 3000, 6000, filter.FrequencyHz })
            {
                if (hz > 6000)
                {
                    continue;
                }

                double measured = MeasuredDb([filter], hz, seconds: 0.5);
                double expected = AnalogDb(filter, hz);
                if (expected < -20)
                {
                    Assert.True(measured < -18, $"{filter} at {hz} Hz: measured {measured:0.00} dB, the prototype says {expected:0.00} dB");
                }
                else
                {
                    Assert.True(Math.Abs(measured - expected) <= 0.5, $"{filter} at {hz} Hz: measured {measured:0.00} dB, the prototype says {expected:0.00} dB");
                }
            }
        }
    }

    private static double MeasuredDb(IReadOnlyList<MonitorEqFilter> filters, double hz, double seconds)
    {
        const int rate = 48000, block = 256;
        var path = new MonitorPath(MonitorRoute.MainOutput);
        path.Prepare(rate, block);
        path.SetCalibration(filters);
        float[] l = new float[block], r = new float[block], master = new float[block];
        double inSum = 0, outSum = 0;
        int blocks = (int)(seconds * rate / block);
        for (int b = 0; b < blocks; b++)
        {
            for (int i = 0; i < block; i++)
            {
                l[i] = r[i] = master[i] = (float)(0.25 * Math.Sin(2 * Math.PI * hz * ((b * block) + i) / rate));
            }

            path.Render(l, r, deliver: true);
            if (b >= blocks / 2)
            {
                for (int i = 0; i < block; i++)
                {
                    inSum += master[i] * (double)master[i];
                    outSum += l[i] * (double)l[i];
                }
            }
        }

        return 10 * Math.Log10(Math.Max(outSum, 1e-30) / inSum);
    }

    private static double AnalogDb(MonitorEqFilter filter, double hz)
    {
        double q = filter.Q;
        var s = new Complex(0, hz / filter.FrequencyHz);
        double a = Math.Pow(10, filter.GainDb / 40);
        return filter.Type switch
        {
            MonitorEqType.Peak => AnalogPeakDb(hz, filter.FrequencyHz, filter.GainDb, q),
            MonitorEqType.LowShelf => AnalogLowShelfDb(hz, filter.FrequencyHz, filter.GainDb, q),
            MonitorEqType.HighShelf => Db(a * ((a * s * s) + (s * Math.Sqrt(a) / q) + 1) / ((s * s) + (s * Math.Sqrt(a) / q) + a)),
            MonitorEqType.LowPass => Db(1 / ((s * s) + (s / q) + 1)),
            MonitorEqType.HighPass => Db(s * s / ((s * s) + (s / q) + 1)),
            MonitorEqType.LowPassFirstOrder => Db(1 / (s + 1)),
            MonitorEqType.HighPassFirstOrder => Db(s / (s + 1)),
            MonitorEqType.LowShelfFirstOrder => Db((s + a) / (s + (1 / a))),
            MonitorEqType.HighShelfFirstOrder => FirstOrderHighShelfDb(hz, filter.FrequencyHz, filter.GainDb),
            MonitorEqType.Notch => Db(((s * s) + 1) / ((s * s) + (s / q) + 1)),
            MonitorEqType.AllPass => Db(((s * s) - (s / q) + 1) / ((s * s) + (s / q) + 1)),
            _ => Db(s / q / ((s * s) + (s / q) + 1)),
        };
    }

    // The analog prototypes the filters are specified by (RBJ cookbook forms, s normalised to the corner).
    private static double AnalogPeakDb(double hz, double f0, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, hz / f0);
        return Db(((s * s) + (s * a / q) + 1) / ((s * s) + (s / (a * q)) + 1));
    }

    private static double AnalogLowShelfDb(double hz, double f0, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, hz / f0);
        return Db(a * ((s * s) + (s * Math.Sqrt(a) / q) + a) / ((a * s * s) + (s * Math.Sqrt(a) / q) + 1));
    }

    private static double FirstOrderHighShelfDb(double hz, double f0, double gainDb)
    {
        double root = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, hz / f0);
        return Db(((root * s) + 1) / ((s / root) + 1));
    }

    private static double ButterworthHighPassDb(double hz, double f0)
    {
        var s = new Complex(0, hz / f0);
        return Db(s * s / ((s * s) + (s / 0.7071) + 1));
    }

    private static double Db(Complex h) => 20 * Math.Log10(h.Magnitude);
}
