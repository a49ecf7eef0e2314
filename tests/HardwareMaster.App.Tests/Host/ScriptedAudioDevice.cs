using System.Collections.Concurrent;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// A device scheme for supervisor tests (<c>scripted-XXXX:</c>): each <see cref="IAudioDevice.Start"/> takes the next
/// step of a script (throw an <see cref="AudioDeviceException"/> with a given <see cref="AudioDeviceException.CanRecover"/>,
/// or open the real device behind it), counts the open, and completes <see cref="OpenedTimes"/> waiters on the Nth open,
/// so tests wait on "the Nth open happened" instead of sleeping.
/// </summary>
public sealed class DeviceScript
{
    private readonly ConcurrentQueue<Exception?> _steps = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiters = new();
    private readonly Func<AudioDeviceOptions, IAudioDevice> _inner;
    private int _opens;

    /// <summary>Registers a fresh scheme whose devices follow this script.</summary>
    /// <param name="inner">The device a successful step opens (a generator or a simulated interface).</param>
    public DeviceScript(Func<AudioDeviceOptions, IAudioDevice> inner)
    {
        _inner = inner;
        Scheme = "scripted-" + Guid.NewGuid().ToString("N")[..8];
        AudioDeviceFactory.Register(Scheme, (spec, options) => new ScriptedAudioDevice(this, _inner(options)));
    }

    /// <summary>The scheme (use <see cref="Spec"/> as the device spec).</summary>
    public string Scheme { get; }

    /// <summary>A device spec for this script.</summary>
    public string Spec => Scheme + ":rig";

    /// <summary>Start calls so far.</summary>
    public int Opens => Volatile.Read(ref _opens);

    /// <summary>The next start fails with <paramref name="message"/>.</summary>
    public DeviceScript ThenFail(string message, bool canRecover)
    {
        _steps.Enqueue(new AudioDeviceException(message) { CanRecover = canRecover });
        return this;
    }

    /// <summary>The next start opens the real device (also what happens when the script has run out).</summary>
    public DeviceScript ThenOpen()
    {
        _steps.Enqueue(null);
        return this;
    }

    /// <summary>Completes when the device has been started <paramref name="count"/> times.</summary>
    public Task OpenedTimes(int count)
    {
        TaskCompletionSource waiter = _waiters.GetOrAdd(count, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Opens >= count)
        {
            waiter.TrySetResult();
        }

        return waiter.Task;
    }

    internal Exception? NextStep()
    {
        int opens = Interlocked.Increment(ref _opens);
        foreach ((int count, TaskCompletionSource waiter) in _waiters)
        {
            if (opens >= count)
            {
                waiter.TrySetResult();
            }
        }

        return _steps.TryDequeue(out Exception? step) ? step : null;
    }

    private sealed class ScriptedAudioDevice(DeviceScript script, IAudioDevice inner) : IAudioDevice
    {
        public event Action<AudioDeviceError>? Error
        {
            add => inner.Error += value;
            remove => inner.Error -= value;
        }

        public event Action? Completed
        {
            add => inner.Completed += value;
            remove => inner.Completed -= value;
        }

        public string Name => script.Spec;

        public int SampleRateHz => inner.SampleRateHz;

        public int BlockFrames => inner.BlockFrames;

        public int LatencyFrames => inner.LatencyFrames;

        public AudioSampleFormat OutputFormat => inner.OutputFormat;

        public bool IsPaced => inner.IsPaced;

        public long XrunCount => inner.XrunCount;

        public bool IsRunning => inner.IsRunning;

        public void Start(IAudioCallback callback)
        {
            if (script.NextStep() is { } failure)
            {
                throw failure;
            }

            inner.Start(callback);
        }

        public void Stop() => inner.Stop();

        public void Dispose() => inner.Dispose();
    }
}
