using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class FastMathTests
{
    private static IEnumerable<double> Log2Inputs()
    {
        var random = new Random(31);
        for (int i = 0; i < 20000; i++)
        {
            yield return Math.Pow(10, (random.NextDouble() * 70) - 40); // 1e-40 … 1e30
        }

        yield return 0;
        yield return -1;
        yield return double.NaN;
        yield return 1e-30;
        yield return 1.4142135623730951;
        yield return Math.BitIncrement(1.4142135623730951);
        yield return 1;
        yield return double.MaxValue;
    }

    private static IEnumerable<double> RoundInputs()
    {
        var random = new Random(41);
        for (int i = 0; i < 50000; i++)
        {
            double scale = Math.Pow(2, random.Next(-4, 60));
            yield return ((random.NextDouble() * 2) - 1) * scale;
            yield return Math.Round(random.NextDouble() * scale) + 0.5; // ties
            yield return -(Math.Round(random.NextDouble() * scale) + 0.5);
        }

        double twoPow52 = 4503599627370496.0;
        foreach (double x in new[]
        {
            0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 0.3, -0.3,
            twoPow52, -twoPow52, Math.BitDecrement(twoPow52), -Math.BitDecrement(twoPow52), twoPow52 / 2 + 0.5,
            Math.BitIncrement(twoPow52), 1e300, -1e300, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, 8388607.5, -8388608.5, 32767.5, -32768.5,
        })
        {
            yield return x;
        }
    }

    [Fact]
    public void RoundToEven_BiasPath_IsBitIdenticalToMathRound()
    {
        // The bias path is what the x64 Native AOT baseline (no SSE4.1) runs; this CPU may have the instruction, so
        // the path is called directly. Bit patterns are compared (−0 and NaN included).
        foreach (double x in RoundInputs())
        {
            long expected = BitConverter.DoubleToInt64Bits(Math.Round(x));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(FastMath.RoundToEvenByBias(x)));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(FastMath.RoundToEven(x)));
            Vector128<double> v = FastMath.RoundToEvenByBias(Vector128.Create(x, -x));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(v.ToScalar()));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Round(-x)), BitConverter.DoubleToInt64Bits(v.GetElement(1)));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(FastMath.RoundToEven(Vector128.Create(x, x)).ToScalar()));
        }
    }

    [Fact]
    public void Log2_Vector_IsBitIdenticalToScalar()
    {
        foreach (double x in Log2Inputs())
        {
            var v = FastMath.Log2(Vector128.Create(x, x * 0.37));
            Assert.Equal(FastMath.Log2(x), v.ToScalar());
            Assert.Equal(FastMath.Log2(x * 0.37), v.GetElement(1));
        }
    }

    [Fact]
    public void DbToAmplitude_Vector_IsBitIdenticalToScalar()
    {
        var random = new Random(32);
        double[] edges = [0, -0.0, 0.5, -0.5, 1.5, -2.5, -6020.6, 6020.6, -1e9, 1e9, -120, 40];
        foreach (double db in edges.Concat(Enumerable.Range(0, 20000).Select(_ => (random.NextDouble() * 300) - 200)))
        {
            var v = FastMath.DbToAmplitude(Vector128.Create(db, -db));
            Assert.Equal(FastMath.DbToAmplitude(db), v.ToScalar());
            Assert.Equal(FastMath.DbToAmplitude(-db), v.GetElement(1));
        }
    }
}
