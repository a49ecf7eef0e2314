using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary>
/// Knob feel from the registry: every parameter's ends are reachable from its default by nudging (coarse and fine), a
/// full sweep takes the registry's number of detents, every logarithmic knob takes a similar number, and nudged values
/// are stored rounded.
/// </summary>
public class ParameterKnobFeelTests
{
    public static TheoryData<string, bool> EveryParameterCoarseAndFine()
    {
        var data = new TheoryData<string, bool>();
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            data.Add(p.Id, false);
            data.Add(p.Id, true);
        }

        return data;
    }

    private static int DetentsUntil(ParameterDefinition p, double start, double end, int direction, bool fine, out List<double> path)
    {
        path = [start];
        double value = start;
        int limit = (p.DetentsPerSweep(fine) * 2) + 10;
        int detents = 0;
        while (value != end)
        {
            double next = p.Nudge(value, direction, fine);
            Assert.True(direction > 0 ? next > value : next < value, $"{p.Id}: a detent from {value} went to {next}");
            value = next;
            path.Add(value);
            detents++;
            Assert.True(detents <= limit, $"{p.Id}: {end} not reached after {limit} detents");
        }

        return detents;
    }

    [Theory]
    [MemberData(nameof(EveryParameterCoarseAndFine))]
    public void Nudge_FromTheDefault_ReachesMinimumAndMaximum(string id, bool fine)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];

        int up = DetentsUntil(p, p.Default, p.Maximum, +1, fine, out _);
        int down = DetentsUntil(p, p.Default, p.Minimum, -1, fine, out _);

        Assert.InRange(up + down, p.DetentsPerSweep(fine) - 1, p.DetentsPerSweep(fine) + 1);
        Assert.Equal(p.Maximum, p.Nudge(p.Maximum, 1, fine));
        Assert.Equal(p.Minimum, p.Nudge(p.Minimum, -1, fine));
    }

    [Theory]
    [MemberData(nameof(EveryParameterCoarseAndFine))]
    public void Nudge_AFullSweep_TakesTheRegistrysDetentsAndEveryValueIsValid(string id, bool fine)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];

        int detents = DetentsUntil(p, p.Minimum, p.Maximum, +1, fine, out List<double> path);
        int back = DetentsUntil(p, p.Maximum, p.Minimum, -1, fine, out _);

        int expected = p.Taper is Taper.Toggle or Taper.Choice ? (int)(p.Maximum - p.Minimum) : p.DetentsPerSweep(fine);
        Assert.InRange(detents, expected - 1, expected + 1);
        Assert.InRange(back, expected - 1, expected + 1);
        Assert.All(path, v => Assert.True(p.IsValid(v), $"{p.Id}: {v} invalid"));
    }

    [Fact]
    public void StepsPerSweep_EveryLogarithmicParameter_TakesASimilarNumberOfDetents()
    {
        var log = ParameterRegistry.Chain.All.Where(p => p.Taper == Taper.Logarithmic).ToList();
        Assert.NotEmpty(log);
        foreach (ParameterDefinition p in log)
        {
            Assert.InRange(p.StepsPerSweep, 100, 200);
        }

        Assert.True(log.Max(p => p.StepsPerSweep) <= 1.5 * log.Min(p => p.StepsPerSweep));
    }

    [Fact]
    public void Nudge_FineMode_IsATenthOfACoarseDetent()
    {
        ParameterDefinition gain = ParameterRegistry.Chain[ParameterIds.EqBell2Gain];
        Assert.Equal(1.01, gain.Nudge(1.0, 1, fine: true));
        Assert.Equal(1.1, gain.Nudge(1.0, 1, fine: false));

        ParameterDefinition freq = ParameterRegistry.Chain[ParameterIds.EqBell2Freq];
        double coarse = Math.Log(freq.Nudge(2000, 1) / 2000);
        double fineRatio = Math.Log(freq.Nudge(2000, 1, fine: true) / 2000);
        Assert.InRange(fineRatio / coarse, 0.05, 0.2);
    }

    [Fact]
    public void Nudge_SwitchesAndChoices_MoveOnePositionInEitherMode()
    {
        ParameterDefinition slope = ParameterRegistry.Chain[ParameterIds.HpfSlope];
        ParameterDefinition toggle = ParameterRegistry.Chain[ParameterIds.CompBypass];

        Assert.Equal(2, slope.Nudge(1, 1, fine: true));
        Assert.Equal(2, slope.Nudge(1, 1, fine: false));
        Assert.Equal(1, toggle.Nudge(0, 1, fine: true));
        Assert.Equal(1, toggle.Nudge(0, 5));
    }

    [Theory]
    [InlineData(ParameterIds.EqBell1Gain, false)]
    [InlineData(ParameterIds.EqBell1Gain, true)]
    [InlineData(ParameterIds.CompThreshold, false)]
    [InlineData(ParameterIds.LimiterCeiling, true)]
    public void Nudge_LinearParameter_StoresValuesRoundedToTheDetent(string id, bool fine)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        int decimals = fine ? 2 : 1;
        DetentsUntil(p, p.Minimum, p.Maximum, +1, fine, out List<double> path);

        Assert.All(path, v => Assert.Equal(Math.Round(v, decimals), v));
    }

    [Theory]
    [InlineData(ParameterIds.EqBell2Freq, false, 3)]
    [InlineData(ParameterIds.EqBell2Freq, true, 4)]
    [InlineData(ParameterIds.HpfFreq, false, 3)]
    public void Nudge_LogarithmicParameter_StoresFewSignificantDigitsAndDistinctValues(string id, bool fine, int digits)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        DetentsUntil(p, p.Minimum, p.Maximum, +1, fine, out List<double> path);

        foreach (double v in path.Skip(1).SkipLast(1))
        {
            double scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(v)));
            Assert.Equal(Math.Round(v * scale), v * scale, 6);
        }

        Assert.Equal(path.Count, path.Select(v => p.Format(v)).Distinct().Count());
    }
}
