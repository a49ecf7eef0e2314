using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Tests.Box;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Tests.Remote;

/// <summary>The one route every remote path takes: a bounded command queue applied on the control thread, and a state feed out.</summary>
[Collection(nameof(ConsoleTests))] // the headless run redirects the Console
public sealed class RemoteHubTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-remote-" + Guid.NewGuid().ToString("N")[..8]);

    public RemoteHubTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Queue_Full_DropsAndCountsInsteadOfGrowing()
    {
        var queue = new RemoteCommandQueue(capacity: 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryEnqueue(RemoteCommand.Set(i, i, RemoteOrigin.Test)));
        }

        Assert.False(queue.TryEnqueue(RemoteCommand.Set(9, 9, RemoteOrigin.Test)));
        Assert.Equal(1, queue.Dropped);
        var seen = new List<int>();
        var target = new ListTarget(seen);
        Assert.Equal(4, queue.Drain(target));
        Assert.Equal([0, 1, 2, 3], seen);
        Assert.Equal(0, queue.Drain(target));
    }

    [Fact]
    public void Target_AppliesLikeAKnob_AndRefusesNonsenseWithoutThrowing()
    {
        var backend = new FakeBoxBackend();
        var target = new BoxRemoteTarget(backend, presets: null);
        int threshold = backend.Registry.IndexOf(ParameterIds.CompThreshold);
        ParameterDefinition definition = backend.Registry.All[threshold];

        Assert.True(target.Apply(RemoteCommand.Set(threshold, -1e9, RemoteOrigin.Osc)));
        Assert.Equal(definition.Minimum, backend.Get(threshold)); // clamped like a knob at its end stop
        Assert.True(target.Apply(RemoteCommand.Step(threshold, 3, RemoteOrigin.Midi)));
        Assert.True(backend.Get(threshold) > definition.Minimum);
        Assert.False(target.Apply(RemoteCommand.Set(-1, 0, RemoteOrigin.Osc)));
        Assert.False(target.Apply(RemoteCommand.Set(backend.Registry.Count, 0, RemoteOrigin.Osc)));
        Assert.False(target.Apply(RemoteCommand.Set(threshold, double.NaN, RemoteOrigin.Web)));
        Assert.False(target.Apply(new RemoteCommand(RemoteCommandKind.RecallFactoryPreset, -1, 0, "edm-club", RemoteOrigin.Web))); // no preset store
        Assert.True(target.Apply(new RemoteCommand(RemoteCommandKind.SetGlobalBypass, -1, 1, null, RemoteOrigin.Web)));
        Assert.True(backend.GlobalBypass);
        Assert.Equal(1, target.AppliedByOrigin[(int)RemoteOrigin.Osc]);
    }

    [Fact]
    public async Task HeadlessRun_CommandReachesTheEngine_AndTheFeedPublishesItWithMovingMeters()
    {
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 6, null, 0, out IReadOnlyList<string> problems);
        Assert.Empty(problems);
        var hub = new RemoteHub(ParameterRegistry.Chain, _dir);
        using var stop = new CancellationTokenSource(Patience);
        int width = ParameterRegistry.Chain.IndexOf(ParameterIds.Width);
        Task<int> run = CliRunner.CaptureAsync(() => RunHost.RunAsync(request! with { Remote = hub }, logging => logging.ClearProviders()))
            .ContinueWith(t => t.Result.Result, TaskScheduler.Default);

        while (hub.State.Frames == 0 || hub.State.ReadMeters().Blocks == 0)
        {
            await Task.Delay(20, stop.Token);
        }

        Assert.True(hub.Commands.TryEnqueue(RemoteCommand.Set(width, 150, RemoteOrigin.Test)));
        var values = new double[ParameterRegistry.Chain.Count];
        while (true)
        {
            hub.State.CopyValues(values);
            if (values[width] == 150)
            {
                break;
            }

            await Task.Delay(20, stop.Token);
        }

        Assert.Equal(1, hub.Commands.Applied);
        // Pink noise is playing: the short-term meter (a 3 s window) reads it once enough audio has passed, which on a
        // loaded machine can be after the command was applied, so wait for the condition rather than assert at once.
        while (!(hub.State.ReadMeters().ShortTermLufs > -60))
        {
            await Task.Delay(20, stop.Token);
        }

        Assert.Equal(0, await run.WaitAsync(Patience)); // the run ends after its 6 s
    }

    private sealed class ListTarget(List<int> seen) : IRemoteCommandTarget
    {
        public bool Apply(in RemoteCommand command)
        {
            seen.Add(command.Index);
            return true;
        }
    }
}
