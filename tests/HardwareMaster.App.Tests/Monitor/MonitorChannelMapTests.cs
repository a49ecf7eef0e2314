using HardwareMaster.App.Commands;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Tests.Engine;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>
/// A 4-output interface (issue 14, item 1: `run --channel-map master=1,2 monitor=3,4`): the real path — supervisor →
/// ALSA device (the test config's file PCM over a null slave, opened with 4 channels) → engine with its monitor path on
/// the device's separate pair.
/// </summary>
[Collection(EngineAlsaCollection.Name)]
public sealed class MonitorChannelMapTests(EngineAlsaEnvironment environment, ITestOutputHelper output)
{
    private const int Rate = 48000;
    private const int Block = 64;
    private const int Frames = Block * 1000;

    private static ParameterSet Values()
    {
        ParameterSet values = new PresetLibrary(ParameterRegistry.Chain).Factory.Single(p => p.Name == "streaming-pop-rock").Values.Clone();
        values.Set("loudness.gain", 8); // the limiter works
        return values;
    }

    [Fact]
    public async Task Run_FourOutputAlsaPcm_MasterBitIdenticalToTwoChannelRun_MonitorPairCarriesTheFunction()
    {
        string input = WriteInput();
        (float[][] stereo, _) = await RunAsync(input, map: null, MonitorFunction.Off);
        (float[][] quad, MonitorPath? path) = await RunAsync(input, new OutputChannelMap(4, 0, 1, 2, 3), MonitorFunction.Mono);
        Assert.Equal(2, stereo.Length);
        Assert.Equal(4, quad.Length);
        Assert.NotNull(path);
        Assert.False(path.ReplacesOutput); // the screen's "monitor is the output" warning is for 2-output interfaces only

        // ALSA primes one buffer of silence (periods × block) before the first block.
        int primed = 2 * Block;
        Assert.Equal(stereo[0][..(primed + Frames)], quad[0][..(primed + Frames)]);
        Assert.Equal(stereo[1][..(primed + Frames)], quad[1][..(primed + Frames)]);
        Assert.True(stereo[0].Max(Math.Abs) > 0.5f, "the master must be loud enough to be limited");

        // The monitor pair: the matched mono sum of the master, block by block as the monitor processor makes it.
        var reference = new MonitorProcessor { Function = MonitorFunction.Mono };
        reference.Prepare(Rate, Block);
        int mismatches = 0;
        for (int start = 0; start < Frames; start += Block)
        {
            reference.Process(quad[0].AsSpan(primed + start, Block), quad[1].AsSpan(primed + start, Block), default, default);
            for (int i = 0; i < Block; i++)
            {
                mismatches += quad[2][primed + start + i] == reference.Left[i] && quad[3][primed + start + i] == reference.Right[i] ? 0 : 1;
            }
        }

        output.WriteLine($"{quad[0].Length} frames written; monitor mismatches {mismatches}");
        Assert.Equal(0, mismatches);
        Assert.Equal(quad[2], quad[3]); // mono on both monitor channels
        Assert.Contains(quad[2], s => s != 0);
        Assert.NotEqual(quad[0], quad[2]);
    }

    [Fact]
    public async Task Run_FourOutputsWithTheFunctionOff_MonitorPairPlaysTheMaster()
    {
        string input = WriteInput();
        (float[][] quad, _) = await RunAsync(input, new OutputChannelMap(4, 2, 3, 0, 1), MonitorFunction.Off);
        int primed = 2 * Block;
        Assert.Equal(quad[2][..(primed + Frames)], quad[0][..(primed + Frames)]); // master on 3/4, monitor on 1/2
        Assert.Equal(quad[3][..(primed + Frames)], quad[1][..(primed + Frames)]);
        Assert.Contains(quad[2], s => s != 0);
    }

    [Fact]
    public void Attach_RunWithAChannelMap_RoutesTheMonitorPathToTheDevicePair()
    {
        RunRequest? request = RunCommand.Build(null, new RunConfigurationOverrides("gen:silence", null, null, null, null, 0, null), 0.1, null, 50, out IReadOnlyList<string> problems);
        Assert.NotNull(request);
        request = RunChannelMapOptions.Apply(request, "master=1,2 monitor=3,4", null, ref problems);
        Assert.NotNull(request);
        Assert.Equal(new OutputChannelMap(4, 0, 1, 2, 3), request.Supervisor.Device.OutputMap);

        var engine = new AudioEngine(new MasteringChain());
        Assert.Null(MonitorHosting.Attach(request, engine, out string? problem));
        Assert.Null(problem);
        Assert.NotNull(engine.Monitor); // attached even without --monitor: the monitor pair plays the master then
        Assert.Equal(MonitorRoute.Sink, engine.Monitor.Route);
        Assert.NotNull(engine.Monitor.PairSink);
        Assert.Equal(MonitorFunction.Off, engine.Monitor.Function);

        // Without a monitor pair nothing changes: no path unless --monitor asks for one.
        RunRequest? stereo = RunCommand.Build(null, new RunConfigurationOverrides("gen:silence", null, null, null, null, 0, null), 0.1, null, 50, out problems);
        stereo = RunChannelMapOptions.Apply(stereo, "master=1,2", null, ref problems);
        Assert.NotNull(stereo);
        var plain = new AudioEngine(new MasteringChain());
        MonitorHosting.Attach(stereo, plain, out _);
        Assert.Null(plain.Monitor);
    }

    private string WriteInput()
    {
        var signal = new DemoMixSignal(Rate);
        int inputFrames = Frames + 4096;
        float[] inL = new float[inputFrames], inR = new float[inputFrames];
        signal.Render(inL, inR, 0);
        byte[] raw = new byte[inputFrames * 8];
        for (int i = 0; i < inputFrames; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 8), inL[i]);
            BitConverter.TryWriteBytes(raw.AsSpan((i * 8) + 4), inR[i]);
        }

        string path = environment.NewPath("in.raw");
        File.WriteAllBytes(path, raw);
        return path;
    }

    private async Task<(float[][] Channels, MonitorPath? Path)> RunAsync(string input, OutputChannelMap? map, MonitorFunction function)
    {
        string outPath = environment.NewPath("out.raw");
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, Values(), ditherBits: 0);
        MonitorPath? path = null;
        if (map is { HasMonitorPair: true })
        {
            path = new MonitorPath(MonitorRoute.Sink, new DevicePairMonitorSink()) { Function = function }; // as MonitorHosting attaches it
            engine.AttachMonitor(path);
        }

        var options = new SupervisorOptions(
            "alsa:hm_filein",
            new AudioDeviceOptions(BlockFrames: Block, Periods: 2, RealtimePriority: 0, LockMemory: false,
                InputName: $"hm_filein:FILE={input}", OutputName: $"hm_fileout:FILE={outPath}", SampleFormat: AudioSampleFormat.Float32LE, OutputMap: map),
            MaxFrames: Frames,
            FadeMs: 0,
            WarmBlocks: 300);
        var supervisor = new AudioSupervisor(controller, options, new Host.AudioSupervisorTests.ListLogger());
        SupervisorState state = await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(SupervisorState.Completed, state);

        byte[] written = File.ReadAllBytes(outPath);
        int channels = map?.Channels ?? 2;
        int frames = written.Length / (4 * channels);
        var result = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            result[c] = new float[frames];
            for (int i = 0; i < frames; i++)
            {
                result[c][i] = BitConverter.ToSingle(written, (((i * channels) + c) * 4));
            }
        }

        Assert.True(frames >= (2 * Block) + Frames, $"only {frames} frames written");
        return (result, path);
    }
}
