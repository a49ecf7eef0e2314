using HardwareMaster.App.Assistant.Check;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>The checklist on crafted mixes: one per verdict, and a clean mix that passes every item.</summary>
public sealed class CheckTests : IClassFixture<CheckMixes>
{
    private readonly CheckMixes _mixes;

    public CheckTests(CheckMixes mixes)
    {
        _mixes = mixes;
    }

    [Fact]
    public void Evaluate_CleanMix_PassesEveryItem()
    {
        IReadOnlyList<CheckItem> items = Check(_mixes.Clean);

        Assert.Equal(MixChecklist.ItemIds, items.Select(i => i.Id));
        Assert.All(items, item => Assert.True(item.Verdict == CheckVerdict.Pass, $"{item.Id}: {item.Verdict} {item.Reason}"));
    }

    [Fact]
    public void Evaluate_HotMix_WarnsOnlyAboutHeadroom()
    {
        IReadOnlyList<CheckItem> items = Check(_mixes.Hot);

        CheckItem headroom = Item(items, "headroom");
        Assert.Equal(CheckVerdict.Warn, headroom.Verdict);
        Assert.InRange(headroom.Value!.Value, -3.0, 0.0);
        Assert.All(items.Where(i => i.Id != "headroom"), item => Assert.True(item.Verdict == CheckVerdict.Pass, $"{item.Id}: {item.Verdict} {item.Reason}"));
    }

    [Fact]
    public void Evaluate_ClippedMix_FailsClippingAndHeadroom()
    {
        IReadOnlyList<CheckItem> items = Check(_mixes.Clipped);

        CheckItem clipping = Item(items, "clipping");
        Assert.Equal(CheckVerdict.Fail, clipping.Verdict);
        Assert.True(clipping.Value > 0, clipping.Reason);
        Assert.Contains("clipped", clipping.Reason);
        Assert.Equal(CheckVerdict.Fail, Item(items, "headroom").Verdict);
    }

    [Fact]
    public void Evaluate_LimitedMix_FailsAlreadyLimited()
    {
        IReadOnlyList<CheckItem> items = Check(_mixes.Limited);

        CheckItem limited = Item(items, "already_limited");
        Assert.Equal(CheckVerdict.Fail, limited.Verdict);
        Assert.True(limited.Value < 9, limited.Reason);
        double? density = limited.Metrics.Single(m => m.Key == "near_peak_share").Value;
        Assert.True(density >= MixChecklist.DensePeakShare, $"near-peak share {density}");

        // The limiter held the peaks under full scale: this is limiting, not clipping.
        Assert.Equal(CheckVerdict.Pass, Item(items, "clipping").Verdict);
    }

    [Fact]
    public void Evaluate_CleanMix_HasSparsePeaksAndHighCrestFactor()
    {
        CheckItem limited = Item(Check(_mixes.Clean), "already_limited");

        Assert.True(limited.Metrics.Single(m => m.Key == "near_peak_share").Value < MixChecklist.DensePeakShare, limited.Reason);
        Assert.True(limited.Metrics.Single(m => m.Key == "crest_factor_db").Value > MixChecklist.LowCrestFactorDb, limited.Reason);
    }

    [Fact]
    public void Evaluate_LargeDcOffset_FailsDcOffset()
    {
        CheckItem dc = Item(Check(_mixes.Dc), "dc_offset");

        Assert.Equal(CheckVerdict.Fail, dc.Verdict);
        Assert.Equal(20 * Math.Log10(0.02), dc.Value!.Value, 0.5);
    }

    [Fact]
    public void Evaluate_SmallDcOffset_WarnsDcOffset()
    {
        CheckItem dc = Item(Check(_mixes.SmallDc), "dc_offset");

        Assert.Equal(CheckVerdict.Warn, dc.Verdict);
        Assert.Equal(20 * Math.Log10(0.005), dc.Value!.Value, 0.5);
    }

    [Fact]
    public void Evaluate_OutOfPhaseLowEnd_FailsLowEndMono()
    {
        IReadOnlyList<CheckItem> items = Check(_mixes.OutOfPhaseBass);

        CheckItem low = Item(items, "low_end_mono");
        Assert.Equal(CheckVerdict.Fail, low.Verdict);
        Assert.True(low.Value < 0, low.Reason);
        Assert.True(low.Metrics.Single(m => m.Key == "mono_fold_db").Value < -6, low.Reason);
    }

    [Fact]
    public void Evaluate_MuddyMix_WarnsSpectralBalanceNaming150To400Hz()
    {
        CheckItem balance = Item(Check(_mixes.Muddy), "spectral_balance");

        Assert.Equal(CheckVerdict.Warn, balance.Verdict);
        Assert.Contains("muddy 150–400 Hz", balance.Reason);
        Assert.DoesNotContain("2–5 kHz", balance.Reason);
        Assert.InRange(balance.Metrics.Single(m => m.Key == "muddy_db").Value!.Value, 5.0, 10.0);
    }

    [Fact]
    public void Evaluate_HarshMix_WarnsSpectralBalanceNaming2To5kHz()
    {
        CheckItem balance = Item(Check(_mixes.Harsh), "spectral_balance");

        Assert.Equal(CheckVerdict.Warn, balance.Verdict);
        Assert.Contains("harsh 2–5 kHz", balance.Reason);
        Assert.DoesNotContain("150–400 Hz", balance.Reason);
        Assert.InRange(balance.Metrics.Single(m => m.Key == "harsh_db").Value!.Value, 5.0, 10.0);
    }

    [Fact]
    public void Evaluate_CleanMixAsEdm_WarnsThatItIsTooDynamicForTheGenre()
    {
        // The same mix is fine in general and too dynamic for club music (EDM's loudness range tops out at 8 LU).
        MixMeasurement mix = MixMeter.MeasureFile(_mixes.Clean);
        CheckItem general = Item(MixChecklist.Evaluate(mix, GenreProfile.Default), "loudness_range");
        CheckItem edm = Item(MixChecklist.Evaluate(mix, GenreProfile.Find("edm-club")!), "loudness_range");

        Assert.Equal(CheckVerdict.Pass, general.Verdict);
        Assert.InRange(general.Value!.Value, 8.0, 15.0);
        Assert.Equal(CheckVerdict.Warn, edm.Verdict);
        Assert.Contains("edm-club", edm.Reason);
    }

    private static IReadOnlyList<CheckItem> Check(string path) => MixChecklist.Evaluate(MixMeter.MeasureFile(path), GenreProfile.Default);

    private static CheckItem Item(IReadOnlyList<CheckItem> items, string id) => items.Single(i => i.Id == id);
}
