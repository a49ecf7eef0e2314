using HardwareMaster.Hal.Encoders;

namespace HardwareMaster.Hal.Tests.Encoders;

public class EncoderAccelerationTests
{
    private const long Frequency = 10_000_000;

    private static long Ms(double ms) => (long)(ms * Frequency / 1000);

    [Theory]
    [InlineData(100, 1)]
    [InlineData(40, 1)]
    [InlineData(20, 2)]
    [InlineData(10, 4)]
    [InlineData(5, 8)]
    [InlineData(1, 8)]
    public void Apply_SameDirectionAtInterval_MultipliesByFastIntervalRatio(double intervalMs, int expected)
    {
        var acceleration = new EncoderAcceleration(Frequency, 40, 8);
        Assert.Equal(1, acceleration.Apply(1, 0));
        Assert.Equal(expected, acceleration.Apply(1, Ms(intervalMs)));
    }

    [Fact]
    public void Apply_DirectionChange_IsNeverAccelerated()
    {
        var acceleration = new EncoderAcceleration(Frequency);
        acceleration.Apply(1, 0);
        acceleration.Apply(1, Ms(5));
        Assert.Equal(-1, acceleration.Apply(-1, Ms(6)));
    }

    [Fact]
    public void Apply_MaxMultiplierOne_DisablesAcceleration()
    {
        var acceleration = new EncoderAcceleration(Frequency, 40, 1);
        acceleration.Apply(-1, 0);
        Assert.Equal(-1, acceleration.Apply(-1, Ms(2)));
    }
}
