using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Tests.Parameters;

public class ParameterRegistryTests
{
    [Fact]
    public void Chain_EveryDefinition_HasConsistentRangeDefaultAndStep()
    {
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            Assert.True(p.Minimum < p.Maximum, p.Id);
            Assert.True(p.IsValid(p.Default), $"{p.Id} default {p.Default} outside {p.RangeText}");
            Assert.True(p.Step > 0, p.Id);
            Assert.True(p.Name.Length <= 16, $"{p.Id} name '{p.Name}' is too long for the OLED");
            if (p.Taper == Taper.Logarithmic)
            {
                Assert.True(p.Minimum > 0, p.Id);
            }

            if (p.Taper == Taper.Choice)
            {
                Assert.Equal(p.Choices!.Count - 1, p.Maximum);
            }
        }
    }

    [Theory]
    [InlineData("comp.attack", 0.1, 100)]
    [InlineData("eq.bell2.freq", 20, 20000)]
    public void LogTaper_NormalizedRoundTrip_IsGeometric(string id, double min, double max)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        Assert.Equal(Math.Sqrt(min * max), p.FromNormalized(0.5), 6);
        Assert.Equal(0.25, p.ToNormalized(p.FromNormalized(0.25)), 9);
    }

    [Fact]
    public void Nudge_LinearAndLog_MoveByStepAndClamp()
    {
        ParameterDefinition gain = ParameterRegistry.Chain["eq.bell1.gain"];
        Assert.Equal(1.3, gain.Nudge(1.0, 3), 9);
        Assert.Equal(12, gain.Nudge(11.9, 10));
        ParameterDefinition freq = ParameterRegistry.Chain["eq.bell1.freq"];
        double up = freq.Nudge(1000, 1);
        Assert.InRange(up / 1000, 1.04, 1.08); // 1/12 octave: 120 detents over 20 Hz..20 kHz
        Assert.Equal(1000, freq.Nudge(up, -1), 6);
    }

    [Theory]
    [InlineData("limiter.ceiling", "-1.5 dBTP", -1.5)]
    [InlineData("comp.detector", "RMS", 1)]
    [InlineData("width.monobass", "on", 1)]
    [InlineData("eq.bell2.gain", "+1.5", 1.5)]
    public void TryParse_UserText_GivesValue(string id, string text, double expected)
    {
        Assert.True(ParameterRegistry.Chain[id].TryParse(text, out double value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void ParameterSet_SetOutOfRange_ThrowsNamingIdAndRange()
    {
        var set = new ParameterSet(ParameterRegistry.Chain);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => set.Set("limiter.ceiling", 0.5));
        Assert.Contains("limiter.ceiling = 0.5 is outside -10..0 dBTP", error.Message);
    }
}
