using BenchmarkDotNet.Attributes;

namespace HardwareMaster.Benchmarks.Chain;

/// <summary>
/// Only the whole-chain rows of <see cref="ChainBenchmarks"/> (same setup and input), for a quick check of the
/// real-time goal: <c>--filter '*WholeChainBenchmarks*' --job short</c>. Mean = ns per frame.
/// </summary>
[MemoryDiagnoser]
public class WholeChainBenchmarks
{
    private readonly ChainBenchmarks _inner = new();

    /// <summary>Block size in frames.</summary>
    [Params(64, 512)]
    public int BlockFrames { get; set; }

    /// <summary>Which whole-chain configuration.</summary>
    [Params("Chain", "ChainWithMeters", "ChainWithMeterPair")]
    public string Stage { get; set; } = "Chain";

    /// <summary>Builds and warms up the chain.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _inner.BlockFrames = BlockFrames;
        _inner.Stage = Stage;
        _inner.Setup();
    }

    /// <summary>Processes 4800 frames.</summary>
    [Benchmark(OperationsPerInvoke = ChainBenchmarks.FramesPerInvoke)]
    public void Run() => _inner.Run();
}
