using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// A real writer process (<see cref="PresetWriterProcess"/>, started as <c>dotnet HardwareMaster.App.Tests.dll</c> with a
/// startup hook) saves a user slot and the last state in a loop and is SIGKILLed at a random point; a fresh store
/// must then load, from both files, the generation the writer last reported saved or the one it was saving: never
/// nothing, never a torn or mixed preset. Repeated over many kills; the kill points are random (a random number of
/// completed saves, then a random spin), and the test reports how many kills landed inside a write.
/// </summary>
public sealed class BoxPresetKillTests : IDisposable
{
    private const int Rounds = 30;
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;
    private readonly StateDirectory _state = new("box-kill");

    public BoxPresetKillTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task SaveUserAndSaveState_WriterKilledAtRandomPoints_FreshStoreLoadsTheLastOrTheNextGeneration()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        int next = 0, insideWrite = 0, betweenRenames = 0;
        for (int round = 0; round < Rounds; round++)
        {
            int lastSaved = await RunAndKillWriterAsync(next, random);
            bool temporaryLeft = Directory.GetFiles(_state.Path, ".*.part*").Length > 0;
            bool currentMissing = !File.Exists(Path.Combine(_state.Path, "user3.json")) || !File.Exists(Path.Combine(_state.Path, "state.json"));
            insideWrite += temporaryLeft ? 1 : 0;
            betweenRenames += currentMissing ? 1 : 0;

            int? slot = PresetGenerations.LoadSlot(_state.Path, PresetWriterProcess.Slot, out string? slotProblem);
            int? state = PresetGenerations.LoadState(_state.Path, out string? stateProblem);
            string where = $"round {round} (seed {seed}), last reported save {lastSaved}, temporary file left: {temporaryLeft}, a current copy missing: {currentMissing}";
            Assert.True(slot is not null, $"{where}: the slot loaded nothing ({slotProblem})");
            Assert.True(state is not null, $"{where}: the state loaded nothing ({stateProblem})");
            int[] allowed = [PresetGenerations.Mod(lastSaved), PresetGenerations.Mod(lastSaved + 1)];
            Assert.True(allowed.Contains(slot!.Value), $"{where}: the slot holds generation {slot}");
            Assert.True(allowed.Contains(state!.Value), $"{where}: the state holds generation {state}");
            next = lastSaved + 2;
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Rounds} kills (seed {seed}): {insideWrite} left a temporary file (killed inside a write), {betweenRenames} between the two renames; every restart loaded a whole generation"));
    }

    // Starts a writer at generation `first`, lets it complete a random number of saves, kills it (SIGKILL) at a random
    // point of its loop and returns the last generation it reported saved.
    private async Task<int> RunAndKillWriterAsync(int first, Random random)
    {
        using Process child = StartWriter(first);
        using var safety = new CancellationTokenSource(SafetyNet);
        try
        {
            Assert.Equal("ready", await child.StandardOutput.ReadLineAsync(safety.Token));
            int lastSaved = -1;
            int wanted = first + random.Next(0, 5);
            while (lastSaved < wanted)
            {
                string? line = await child.StandardOutput.ReadLineAsync(safety.Token);
                if (line is null)
                {
                    await child.WaitForExitAsync(safety.Token);
                    Assert.Fail($"the writer ended with exit code {child.ExitCode}: {await child.StandardError.ReadToEndAsync(safety.Token)}");
                }

                lastSaved = ParseSaved(line!);
            }

            Thread.SpinWait(random.Next(0, 2_000_000)); // a random point of the loop
            child.Kill(); // SIGKILL
            await child.WaitForExitAsync(safety.Token);
            foreach (string line in (await child.StandardOutput.ReadToEndAsync(safety.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lastSaved = ParseSaved(line);
            }

            return lastSaved;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(); // a failed wait above: never leave a writer behind
            }
        }
    }

    private static int ParseSaved(string line)
    {
        Assert.StartsWith("saved ", line, StringComparison.Ordinal);
        return int.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
    }

    private Process StartWriter(int firstGeneration)
    {
        string assembly = typeof(PresetWriterProcess).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[PresetWriterProcess.DirectoryVariable] = _state.Path;
        start.Environment[PresetWriterProcess.FirstGenerationVariable] = firstGeneration.ToString(CultureInfo.InvariantCulture);
        start.Environment[PresetWriterProcess.ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }
}
