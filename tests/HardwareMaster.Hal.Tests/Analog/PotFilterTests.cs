using HardwareMaster.Hal.Analog;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Analog;

public class PotFilterTests
{
    [Fact]
    public void Update_NoisyStillPot_ReportsOnceAndNeverJitters()
    {
        var filter = new PotFilter();
        var random = new Random(7);
        int reports = 0;
        for (int i = 0; i < 5000; i++)
        {
            // ±0.15 % noise: about ±40 codes of an ADS1115 at 3.3 V, far worse than a decent pot.
            if (filter.Update(0.5 + ((random.NextDouble() - 0.5) * 0.003), out _))
            {
                reports++;
            }
        }

        Assert.Equal(1, reports);
    }

    [Fact]
    public void Update_TurnedFully_ReachesBothEnds()
    {
        var filter = new PotFilter();
        double last = double.NaN;
        for (int i = 0; i <= 100; i++)
        {
            if (filter.Update(i / 100.0, out double p))
            {
                last = p;
            }
        }

        for (int i = 0; i < 50; i++)
        {
            if (filter.Update(1.0, out double p))
            {
                last = p;
            }
        }

        Assert.Equal(1.0, last);
        for (int i = 0; i < 100; i++)
        {
            if (filter.Update(0.0, out double p))
            {
                last = p;
            }
        }

        Assert.Equal(0.0, last);
    }

    [Fact]
    public void Detach_PresetRecalled_PotDoesNotJumpUntilItReachesTheValue()
    {
        var filter = new PotFilter(new PotFilterOptions(Smoothing: 1));
        Assert.True(filter.Update(0.2, out _));
        filter.Detach(0.7); // a preset set the parameter to 0.7 while the pot sits at 0.2
        Assert.False(filter.IsAttached);
        for (double p = 0.2; p < 0.65; p += 0.05)
        {
            Assert.False(filter.Update(p, out _));
        }

        Assert.True(filter.Update(0.69, out double picked)); // within the 0.02 pickup window
        Assert.True(filter.IsAttached);
        Assert.Equal(0.69, picked, 6);
        Assert.True(filter.Update(0.75, out double follow));
        Assert.Equal(0.75, follow, 6);
    }

    [Fact]
    public void Detach_PotJumpsPastTheValue_PicksUpOnCrossing()
    {
        var filter = new PotFilter(new PotFilterOptions(Smoothing: 1));
        filter.Update(0.9, out _);
        filter.Detach(0.5);
        Assert.False(filter.Update(0.8, out _));
        Assert.True(filter.Update(0.3, out double p)); // crossed 0.5 between two samples
        Assert.Equal(0.3, p, 6);
    }

    [Fact]
    public void AdsPotBank_LibraryAds1115OnSimulatedChip_ReadsWiperPositions()
    {
        var chip = new SimulatedAds1115();
        using var bank = new AdsPotBank(chip, [0, 3], options: new PotFilterOptions(Smoothing: 1));
        chip.SetInput(0, 3.3 * 0.25);
        chip.SetInput(3, 3.3);
        Assert.True(bank.Poll(0, out double a));
        Assert.True(bank.Poll(1, out double b));
        Assert.Equal(0.25, a, 3);
        Assert.Equal(1.0, b);
        Assert.Equal(0b111, (chip.Config >> 12) & 7); // last conversion was AIN3 against GND
        Assert.Equal(0b001, (chip.Config >> 9) & 7); // ±4.096 V
        Assert.False(bank.Poll(0, out _)); // unchanged: nothing to apply
    }

    [Fact]
    public void SimulatedAds1115_CodesClipAtFullScale()
    {
        var chip = new SimulatedAds1115();
        Assert.Equal(32767, chip.CodeFor(5.0)); // default ±2.048 V
        Assert.Equal(-32768, chip.CodeFor(-5.0));
        Assert.Equal(16384, chip.CodeFor(1.024));
    }
}
