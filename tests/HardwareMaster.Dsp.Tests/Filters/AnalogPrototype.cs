using System.Numerics;

namespace HardwareMaster.Dsp.Tests.Filters;

/// <summary>
/// Analogue prototypes written independently of the production design code (RBJ Audio EQ Cookbook,
/// evaluated at s = j·f/f0 with complex arithmetic).
/// </summary>
internal static class AnalogPrototype
{
    public static double BellDb(double f, double f0, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, f / f0);
        return Db((s * s + s * (a / q) + 1) / (s * s + s / (a * q) + 1));
    }

    public static double LowShelfDb(double f, double f0, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, f / f0);
        double sa = Math.Sqrt(a);
        return Db(a * (s * s + s * (sa / q) + a) / (a * s * s + s * (sa / q) + 1));
    }

    public static double HighShelfDb(double f, double f0, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        var s = new Complex(0, f / f0);
        double sa = Math.Sqrt(a);
        return Db(a * (a * s * s + s * (sa / q) + 1) / (s * s + s * (sa / q) + a));
    }

    public static double ButterworthHighPassDb(double f, double f0, int order) =>
        -10 * Math.Log10(1 + Math.Pow(f0 / f, 2 * order));

    public static double ButterworthLowPassDb(double f, double f0, int order) =>
        -10 * Math.Log10(1 + Math.Pow(f / f0, 2 * order));

    private static double Db(Complex h) => 20 * Math.Log10(h.Magnitude);
}
