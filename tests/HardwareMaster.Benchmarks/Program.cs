using BenchmarkDotNet.Running;

namespace HardwareMaster.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project tests/HardwareMaster.Benchmarks -- --filter '*'</c>; <c>-- detents</c> runs <see cref="Control.DetentProbe"/>; <c>-- limiter …</c> the limiter comparison (Limiter/compare.sh); <c>-- limiter-grid</c> the detector grids (8× vs 4×).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "detents")
        {
            Control.DetentProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
            return;
        }

        if (args.Length > 0 && args[0] == "limiter")
        {
            Limiter.LimiterCompare.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "kernels")
        {
            Chain.KernelProbe.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "limiter-grid")
        {
            Limiter.LimiterDetectorGridBenchmarks.Probe(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
