using HardwareMaster.App.Host.Protection;

namespace HardwareMaster.App.Tests.Host.Protection;

public class XrunBurstDetectorTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void Update_MoreThanTheLimitWithinAMinute_IsABurst()
    {
        var detector = new XrunBurstDetector(limit: 8);
        Assert.False(detector.Update(0, 0));
        Assert.False(detector.Update(5, 10 * Second));
        Assert.False(detector.Update(8, 20 * Second)); // 8 is the limit: not more
        Assert.True(detector.Update(9, 30 * Second));
        Assert.Equal(9, detector.InWindow);
    }

    [Fact]
    public void Update_SameCountSpreadOverMoreThanAMinute_IsNoBurst()
    {
        var detector = new XrunBurstDetector(limit: 8);
        detector.Update(0, 0);
        long total = 0;
        for (int s = 1; s <= 600; s += 10)
        {
            total += 1; // one every 10 s = 6 a minute, for 10 minutes
            Assert.False(detector.Update(total, s * Second), $"at {s} s");
        }

        Assert.InRange(detector.InWindow, 5, 7);
    }

    [Fact]
    public void Update_OldXrunsLeaveTheWindow_AndClearForgetsThem()
    {
        var detector = new XrunBurstDetector(limit: 8);
        detector.Update(0, 0);
        detector.Update(8, Second);
        Assert.False(detector.Update(8, 62 * Second));
        Assert.Equal(0, detector.InWindow);
        Assert.True(detector.Update(17, 63 * Second));
        detector.Clear();
        Assert.Equal(0, detector.InWindow);
        Assert.False(detector.Update(17, 64 * Second));
    }

    [Fact]
    public void Update_PolledFasterThanItsCapacity_KeepsTheCount()
    {
        var detector = new XrunBurstDetector(limit: 100, capacity: 4);
        detector.Update(0, 0);
        for (int i = 1; i <= 50; i++)
        {
            detector.Update(i, i * Second / 10);
        }

        Assert.Equal(50, detector.InWindow);
    }
}
