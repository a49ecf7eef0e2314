using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Hal.Midi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote.Midi;

/// <summary>
/// The MIDI input of <c>run --midi DEVICE|file:PATH</c>: a reader thread that parses the bytes (<see cref="MidiParser"/>),
/// maps them (<see cref="MidiMapper"/>) and queues the commands on the <see cref="RemoteHub"/> — the one route to the
/// engine. A device that is missing or unplugged is logged in one line and retried every 2 s; audio never waits for it.
/// Only the named device is read (that is MIDI's source restriction: nothing else can reach the box over MIDI).
/// </summary>
/// <remarks>
/// MIDI learn (<see cref="BeginLearn"/>; the box arms it when the param push is held on a parameter): the next control
/// that moves is bound to the armed parameter (absolute), and the map is saved atomically to <see cref="LearnPath"/>
/// (temp + fsync + rename), which a later run loads when no <c>--midi-map</c> is given. The learned CC's next values
/// (<see cref="MidiEncodingDetector.Samples"/> in all, not applied) decide its encoding: a relative encoder is rebound
/// and saved again. A value no relative encoder sends (0, 16..48, 64, 80..112) ends that check at once: the control is
/// absolute and the value is applied. Steady state allocates nothing per message.
/// </remarks>
public sealed class MidiRemoteService : BackgroundService, Ui.IMidiLearn
{
    /// <summary>The learned map's file name in the state directory.</summary>
    public const string LearnFileName = "midi-map.json";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);
    private readonly string _spec;
    private readonly RemoteHub _hub;
    private readonly ILogger _logger;
    private readonly Func<string, IMidiByteSource> _open;
    private readonly IReadOnlyList<string> _factoryNames;
    private readonly byte[] _buffer = new byte[512];
    private readonly MidiParser _parser = new();
    private MidiMapper _mapper;
    private int _learnIndex = -1;
    private long _messages;
    private long _mapped;
    private long _learned;
    private long _openFailures;
    private long _learnVersion;
    private MidiBinding? _lastLearned;
    private readonly int[] _refineValues = new int[MidiEncodingDetector.Samples];
    private int _refineCount; // values of the learned CC seen so far (0 = not refining)

    /// <summary>Creates the service.</summary>
    /// <param name="spec">The MIDI input: <c>file:PATH</c> or an ALSA rawmidi name.</param>
    /// <param name="map">The mapping.</param>
    /// <param name="hub">Where the commands go.</param>
    /// <param name="logger">Where trouble goes.</param>
    /// <param name="open">Opens the spec (tests); default <see cref="MidiInput.Open"/>.</param>
    public MidiRemoteService(string spec, MidiMap map, RemoteHub hub, ILogger logger, Func<string, IMidiByteSource>? open = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hub);
        _spec = spec;
        _hub = hub;
        _logger = logger;
        _open = open ?? MidiInput.Open;
        _factoryNames = new PresetLibrary(hub.State.Registry).Factory.Select(p => p.Name).ToArray();
        _mapper = new MidiMapper(map, hub.State.Registry, _factoryNames);
        LearnPath = Path.Combine(hub.StateDirectory, LearnFileName);
        hub.MidiLearn = this; // the box's face arms learn through the hub
    }

    /// <summary>Where MIDI learn saves the map.</summary>
    public string LearnPath { get; }

    /// <summary>Channel messages parsed. Any thread.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages that became commands. Any thread.</summary>
    public long Mapped => Interlocked.Read(ref _mapped);

    /// <summary>Bindings learned. Any thread.</summary>
    public long Learned => Interlocked.Read(ref _learned);

    /// <summary>Times the input could not be opened. Any thread.</summary>
    public long OpenFailures => Interlocked.Read(ref _openFailures);

    /// <summary>The current mapping (replaced by MIDI learn).</summary>
    public MidiMap Map => Volatile.Read(ref _mapper).Map;

    /// <summary>Arms MIDI learn: the next control that moves is bound to registry entry <paramref name="parameterIndex"/> (−1 cancels). Any thread.</summary>
    /// <param name="parameterIndex">The parameter.</param>
    public void BeginLearn(int parameterIndex) => Volatile.Write(ref _learnIndex, parameterIndex);

    /// <summary>Whether MIDI learn waits for a control. Any thread.</summary>
    public bool IsLearning => Volatile.Read(ref _learnIndex) >= 0;

    /// <inheritdoc />
    public long LearnVersion => Interlocked.Read(ref _learnVersion);

    /// <inheritdoc />
    public MidiBinding? LastLearned => Volatile.Read(ref _lastLearned);

    /// <summary>The map a run uses: <paramref name="mapPath"/> if given, else the learned map in <paramref name="stateDirectory"/> if there is one, else an empty map (program changes only).</summary>
    /// <param name="mapPath">--midi-map FILE, or null.</param>
    /// <param name="stateDirectory">The state directory.</param>
    /// <param name="registry">The registry.</param>
    /// <returns>The map.</returns>
    /// <exception cref="MidiMapException">The file has problems.</exception>
    public static MidiMap LoadMap(string? mapPath, string stateDirectory, ParameterRegistry registry)
    {
        if (mapPath is not null)
        {
            return MidiMap.Load(mapPath, registry);
        }

        string learned = Path.Combine(stateDirectory, LearnFileName);
        return File.Exists(learned) ? MidiMap.Load(learned, registry) : new MidiMap([], null);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task reader = Task.Factory.StartNew(() => ReadLoop(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _ = await Task.WhenAny(reader, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
    }

    /// <summary>Feeds bytes as the reader thread does (tests and the reader loop).</summary>
    /// <param name="bytes">Raw MIDI bytes.</param>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (!_parser.Push(bytes[i], out MidiMessage message))
            {
                continue;
            }

            Interlocked.Increment(ref _messages);
            MidiMapper mapper = _mapper;
            long seenBefore = mapper.ControlsSeen;
            bool mapped = mapper.TryMap(message, out RemoteCommand command);
            bool control = mapper.ControlsSeen != seenBefore;
            if (Volatile.Read(ref _learnIndex) is int learn and >= 0 && control)
            {
                Learn(learn, mapper);
                continue; // the move that teaches does not also turn the old binding
            }

            if (_refineCount > 0 && control && Refine(mapper))
            {
                continue; // a value that decides the encoding is not applied
            }

            if (mapped && _hub.Commands.TryEnqueue(command))
            {
                Interlocked.Increment(ref _mapped);
            }
        }
    }

    private void ReadLoop(CancellationToken stop)
    {
        bool isFile = _spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        bool warned = false;
        while (!stop.IsCancellationRequested)
        {
            IMidiByteSource source;
            try
            {
                source = _open(_spec);
            }
            catch (MidiDeviceException ex)
            {
                Interlocked.Increment(ref _openFailures);
                if (!warned)
                {
                    _logger.LogWarning("midi: {Problem}; audio runs on without MIDI{Retry}", ex.Message, isFile ? string.Empty : $" (retrying every {RetryInterval.TotalSeconds:0} s)");
                    warned = true;
                }

                if (isFile || stop.WaitHandle.WaitOne(RetryInterval))
                {
                    return;
                }

                continue;
            }

            warned = false;
            _logger.LogInformation("midi: reading {Source}", source.Name);
            _parser.Reset();
            using (source)
            using (stop.Register(source.Dispose))
            {
                try
                {
                    int read;
                    while ((read = source.Read(_buffer, stop)) > 0)
                    {
                        Feed(_buffer.AsSpan(0, read));
                    }
                }
                catch (MidiDeviceException ex)
                {
                    _logger.LogWarning("midi: {Problem}; audio runs on", ex.Message);
                }
            }

            if (isFile)
            {
                _logger.LogInformation("midi: {Source} ended ({Messages} messages, {Mapped} mapped)", _spec, Messages, Mapped);
                return; // a file (or a FIFO whose writer left) is read once
            }

            if (stop.WaitHandle.WaitOne(RetryInterval))
            {
                return;
            }
        }
    }

    private void Learn(int parameterIndex, MidiMapper mapper)
    {
        (int channel, int controller, int nrpn) = mapper.LastControl;
        ParameterRegistry registry = _hub.State.Registry;
        if ((uint)parameterIndex >= (uint)registry.Count)
        {
            Volatile.Write(ref _learnIndex, -1);
            return;
        }

        string id = registry.All[parameterIndex].Id;
        var bindings = mapper.Map.Bindings
            .Where(b => b.ParameterIndex != parameterIndex && !(b.Controller == controller && b.Nrpn == nrpn && (b.Channel == channel || b.Channel < 0)))
            .Append(new MidiBinding(channel, controller, nrpn, id, parameterIndex, MidiValueMode.Absolute))
            .ToArray();
        var map = new MidiMap(bindings, mapper.Map.Programs);
        Volatile.Write(ref _mapper, new MidiMapper(map, registry, _factoryNames));
        Volatile.Write(ref _learnIndex, -1);
        Interlocked.Increment(ref _learned);
        // An NRPN stays absolute (its increments, CC 96/97, are relative anyway); so does a CC whose value is no step.
        _refineCount = controller >= 0 && MidiEncodingDetector.IsStep(mapper.LastValue) ? 1 : 0;
        _refineValues[0] = mapper.LastValue;
        Publish(bindings[^1]);
        Save(map, bindings[^1]);
    }

    // The learned CC's next values: once there are enough, its encoding is decided (and a relative one rebound and saved).
    // Returns whether the message was taken for that (another control moving ends the refinement, keeping absolute).
    private bool Refine(MidiMapper mapper)
    {
        MidiBinding? learned = _lastLearned;
        if (learned is null || mapper.LastControl != (learned.Channel, learned.Controller, learned.Nrpn))
        {
            _refineCount = 0;
            return false;
        }

        if (!MidiEncodingDetector.IsStep(mapper.LastValue))
        {
            _refineCount = 0;
            return false; // an absolute position: the binding stays absolute and this value is applied
        }

        _refineValues[_refineCount++] = mapper.LastValue;
        if (_refineCount < _refineValues.Length)
        {
            return true;
        }

        _refineCount = 0;
        MidiValueMode mode = MidiEncodingDetector.Detect(_refineValues);
        if (mode == MidiValueMode.Absolute)
        {
            return true;
        }

        MidiBinding relative = learned with { Mode = mode };
        MidiBinding[] bindings = mapper.Map.Bindings.Select(b => ReferenceEquals(b, learned) ? relative : b).ToArray();
        var map = new MidiMap(bindings, mapper.Map.Programs);
        Volatile.Write(ref _mapper, new MidiMapper(map, _hub.State.Registry, _factoryNames));
        Publish(relative);
        Save(map, relative);
        return true;
    }

    private void Publish(MidiBinding binding)
    {
        Volatile.Write(ref _lastLearned, binding);
        Interlocked.Increment(ref _learnVersion);
    }

    private void Save(MidiMap map, MidiBinding binding)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LearnPath)!);
            AtomicFile.WriteAllText(LearnPath, map.ToJson());
            _logger.LogInformation(
                "midi learn: {Control} on channel {Channel} → {Id}, {Mode} (saved to {Path})",
                binding.Controller >= 0 ? "CC " + binding.Controller : "NRPN " + binding.Nrpn,
                binding.Channel + 1,
                binding.ParameterId,
                binding.Mode,
                LearnPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("midi learn: {Id} bound for this run, but cannot save {Path}: {Message}", binding.ParameterId, LearnPath, ex.Message);
        }
    }
}
