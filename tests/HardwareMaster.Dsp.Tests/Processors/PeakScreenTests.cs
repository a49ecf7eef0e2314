using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary><see cref="PeakScreen.FiniteAbsMax"/> against a plain scalar scan at every length and position.</summary>
public class PeakScreenTests
{
    [Fact]
    public void FiniteAbsMax_EqualsScalarScan_AtEveryLengthAndPosition()
    {
        var random = new Random(21);
        for (int length = 0; length <= 40; length++)
        {
            for (int trial = 0; trial < 50; trial++)
            {
                var x = new float[length];
                for (int i = 0; i < length; i++)
                {
                    x[i] = (float)((random.NextDouble() * 2) - 1) * (random.Next(4) == 0 ? 8f : 1f);
                }

                if (length > 0 && trial % 5 == 0)
                {
                    x[random.Next(length)] = trial % 10 == 0 ? -0f : float.MaxValue * (random.Next(2) == 0 ? 1 : -1);
                }

                float expected = 0f;
                foreach (float v in x)
                {
                    expected = Math.Max(expected, Math.Abs(v));
                }

                float actual = PeakScreen.FiniteAbsMax(x, out bool finite);
                Assert.True(finite);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
            }
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void FiniteAbsMax_AnyNonFiniteSample_ReportsNotFinite(float bad)
    {
        for (int length = 1; length <= 24; length++)
        {
            for (int at = 0; at < length; at++)
            {
                var x = new float[length];
                Array.Fill(x, 0.5f);
                x[at] = bad;
                PeakScreen.FiniteAbsMax(x, out bool finite);
                Assert.False(finite, $"length {length}, sample {at}");
            }
        }
    }
}
