using System.Collections.Concurrent;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.Hal.Audio.SimulatedDevice;

/// <summary>
/// A simulated audio interface that outlives the device objects opened on it, so the host's dispose-and-reopen loop
/// can be tested: <see cref="Fail"/> unplugs it (running devices raise <see cref="AudioDeviceErrorKind.DeviceLost"/> and
/// stop; <see cref="IAudioDevice.Start"/> throws while it is absent) and <see cref="Return"/> plugs it back in.
/// </summary>
public sealed class SimulatedAudioHardware
{
    private static readonly ConcurrentDictionary<string, SimulatedAudioHardware> Registry = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SimulatedAudioDevice, byte> _devices = new();
    private volatile string? _failure;

    /// <summary>Creates hardware that is present.</summary>
    /// <param name="name">Name used in messages.</param>
    public SimulatedAudioHardware(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The name used in messages and in <c>sim:NAME</c>.</summary>
    public string Name { get; }

    /// <summary><c>false</c> between <see cref="Fail"/> and <see cref="Return"/>.</summary>
    public bool IsPresent => _failure is null;

    /// <summary>Why the hardware is absent (the last <see cref="Fail"/> message), or <c>null</c>.</summary>
    public string? FailureMessage => _failure;

    /// <summary>Input signal for devices opened from now on (default: silence). A factory so each device gets its own state.</summary>
    public Func<int, IAudioSignal>? InputFactory { get; set; }

    /// <summary>The process-wide hardware named <paramref name="name"/> (created present on first use); used by <c>sim:NAME</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The shared instance.</returns>
    public static SimulatedAudioHardware Get(string name) => Registry.GetOrAdd(name, static n => new SimulatedAudioHardware(n));

    /// <summary>Whether hardware named <paramref name="name"/> exists in this process (<see cref="Get"/> was called for it).</summary>
    /// <param name="name">The name.</param>
    /// <returns><c>true</c> when it does.</returns>
    public static bool Exists(string name) => Registry.ContainsKey(name);

    /// <summary>Opens a device on this hardware.</summary>
    /// <param name="options">Options; <see cref="AudioDeviceOptions.Paced"/> picks wall-clock pacing or as-fast-as-possible.</param>
    /// <param name="manualClock"><c>true</c>: blocks run only when <see cref="SimulatedAudioDevice.Step"/> is called.</param>
    /// <returns>The device (not started).</returns>
    public SimulatedAudioDevice CreateDevice(AudioDeviceOptions options, bool manualClock = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        IAudioSignal signal = InputFactory?.Invoke(options.SampleRateHz) ?? new SilenceSignal();
        return new SimulatedAudioDevice(this, signal, options, manualClock);
    }

    /// <summary>Simulates the device vanishing (USB unplugged): running devices report the loss and stop.</summary>
    /// <param name="message">The cause, as an OS would word it (e.g. "No such device").</param>
    public void Fail(string message = "No such device")
    {
        _failure = message;
        foreach (SimulatedAudioDevice device in _devices.Keys)
        {
            device.WakeUp();
        }
    }

    /// <summary>Makes each running device count <paramref name="count"/> recovered xruns at its next block.</summary>
    /// <param name="count">Xruns to inject (≥ 1).</param>
    public void InjectXruns(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        foreach (SimulatedAudioDevice device in _devices.Keys)
        {
            device.AddPendingXruns(count);
        }
    }

    /// <summary>Simulates the device coming back: it can be started again.</summary>
    public void Return() => _failure = null;

    internal void Attach(SimulatedAudioDevice device) => _devices[device] = 0;

    internal void Detach(SimulatedAudioDevice device) => _devices.TryRemove(device, out _);
}
