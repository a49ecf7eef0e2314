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
