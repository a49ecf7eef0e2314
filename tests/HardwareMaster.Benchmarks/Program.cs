using BenchmarkDotNet.Running;

namespace HardwareMaster.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project tests/HardwareMaster.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
