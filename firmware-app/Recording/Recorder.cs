using System.Diagnostics;
using System.Globalization;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Recording;

/// <summary>Where the recorder is.</summary>
public enum RecorderState
{
    /// <summary>Not recording; waiting for a start request.</summary>
    Idle,

    /// <summary>Waiting for signal on the input (auto-start).</summary>
    Armed,

    /// <summary>A take is being written.</summary>
    Recording,

    /// <summary>The record folder vanished (stick pulled); a new take starts when it returns (if configured).</summary>
    WaitingForFolder,

    /// <summary>Stopped after an error that needs a person (disk full); a start request tries again.</summary>
    Stopped,
}

/// <summary>One finished take.</summary>
/// <param name="Name">e.g. <c>take-0003</c>.</param>
/// <param name="Files">The audio files (full paths).</param>
/// <param name="Seconds">Duration recorded.</param>
/// <param name="EndReason">Why it ended (<c>stopped</c>, <c>new take</c>, <c>silence</c>, <c>disk full</c>, <c>record folder vanished</c>, <c>write error</c>, <c>repaired</c>).</param>
/// <param name="Error">The error that ended it, or <c>null</c>.</param>
/// <param name="DroppedFrames">Frames lost because the ring was full.</param>
/// <param name="ReportPath">The JSON report, or <c>null</c> if it could not be written.</param>
public sealed record TakeSummary(string Name, IReadOnlyList<string> Files, double Seconds, string EndReason, string? Error, long DroppedFrames, string? ReportPath);

/// <summary>What the REC page shows: one immutable snapshot, replaced by the writer thread (at most a few times a second).</summary>
/// <param name="State">The state.</param>
/// <param name="TakeName">The current (or last) take, or <c>null</c>.</param>
/// <param name="ElapsedSeconds">Seconds recorded in the current take.</param>
/// <param name="Files">File names (without folder) of the current take.</param>
/// <param name="FreeBytes">Free space in the record folder, or −1 when unknown.</param>
/// <param name="Error">The last error, or <c>null</c>.</param>
/// <param name="DroppedFrames">Frames dropped in the current take.</param>
/// <param name="Takes">Takes finished in this run.</param>
public sealed record RecorderStatus(RecorderState State, string? TakeName, double ElapsedSeconds, IReadOnlyList<string> Files, long FreeBytes, string? Error, long DroppedFrames, int Takes);

/// <summary>
/// The live recorder: the audio thread feeds a <see cref="RecordingRing"/> (an engine observer), and a writer thread of
/// its own drains it into <see cref="TakeWriter"/>s — input and master as two stereo files, or one 4-channel file — meters
/// the take and writes its report (<see cref="TakeReport"/>) next to the files.
/// </summary>
/// <remarks>
/// <para>
/// Power-loss safety: every <see cref="RecorderOptions.CheckpointSeconds"/> (1 s) the headers are updated and the data
/// fsynced; a hidden marker <c>.take-NNNN.recording</c> lists a take's files while it is open, so at start-up
/// <see cref="Start"/> finds and repairs unfinished takes (<see cref="TakeRepair"/>) and logs it. A take never overwrites
/// a file. A hidden 256 KiB <c>.take-NNNN.reserve</c> keeps room for the report when the disk fills.
/// </para>
/// <para>
/// Faults never reach the audio: disk full closes the take cleanly (cut to whole frames, sizes written) with the reason
/// in its report and the state <see cref="RecorderState.Stopped"/>; a vanished folder ends the take with an error and
/// waits for the folder (<see cref="RecorderState.WaitingForFolder"/>), starting a new take when it returns if
/// <see cref="RecorderOptions.ResumeOnReturn"/>. Requests (<see cref="RequestStart"/>, <see cref="RequestStop"/>,
/// <see cref="RequestNewTake"/>, <see cref="Toggle"/>) come from any thread and are acted on by the writer thread.
/// </para>
/// </remarks>
public sealed class Recorder : IDisposable, Ui.IBoxRecorder
{
    private const int ReserveBytes = 256 * 1024;
    private const int RequestStartTake = 1;
    private const int RequestStopTake = 2;
    private const int RequestNextTake = 3;
    private const int RequestToggle = 4;

    private readonly RecorderOptions _options;
    private readonly AudioEngine _engine;
    private readonly EngineController? _controller;
    private readonly Func<string?> _presetName;
    private readonly Func<long> _xruns;
    private readonly ILogger _logger;
    private readonly RecordingRing _ring;
    private readonly float[] _block;
    private readonly float[] _pairScratch;
    private readonly float[] _planar;
    private readonly List<TakeSummary> _takes = [];
    private readonly Lock _takesGate = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private Thread? _thread;
    private volatile bool _stopping;
    private readonly Queue<(int Request, long AtFrame)> _requests = new();
    private readonly Lock _requestsGate = new();
    private int _pendingRequests;
    private RecorderState _state;
    private RecorderStatus _status;
    private OpenTake? _take;
    private string? _lastError;
    private long _silentFrames;
    private bool _startOnAnyBlock;
    private long _lastFolderCheck;
    private double _writerCpuSeconds;

    /// <summary>Creates a recorder (nothing runs until <see cref="Start"/>).</summary>
    /// <param name="options">Folder, format, auto-start…</param>
    /// <param name="engine">The engine to observe.</param>
    /// <param name="controller">Its controller (parameters for the report), or <c>null</c>.</param>
    /// <param name="presetName">The preset's name for the report.</param>
    /// <param name="xruns">Device xruns so far (the supervisor's count), for the report.</param>
    /// <param name="logger">The journal.</param>
    /// <param name="sampleRateHz">The stream rate the ring is sized for.</param>
    public Recorder(RecorderOptions options, AudioEngine engine, EngineController? controller, Func<string?> presetName, Func<long> xruns, ILogger logger, int sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        _options = options;
        _engine = engine;
        _controller = controller;
        _presetName = presetName;
        _xruns = xruns;
        _logger = logger;
        int maxBlock = Configuration.RunConfiguration.MaxBlockFrames;
        _ring = new RecordingRing(sampleRateHz, options.BufferSeconds, maxBlock);
        _block = new float[maxBlock * RecordingRing.ChannelsPerFrame];
        _pairScratch = new float[maxBlock * 2];
        _planar = new float[maxBlock * 4];
        _state = RecorderState.Idle;
        _status = new RecorderStatus(RecorderState.Idle, null, 0, [], -1, null, 0, 0);
    }

    /// <summary>The options.</summary>
    public RecorderOptions Options => _options;

    /// <summary>The latest status (an immutable snapshot; reading it allocates nothing). Any thread.</summary>
    public RecorderStatus Status => Volatile.Read(ref _status);

    /// <summary>The ring's capacity, frames.</summary>
    public long RingCapacityFrames => _ring.CapacityFrames;

    /// <summary>The fullest the ring has been, frames. Any thread.</summary>
    public long RingMaxFillFrames => _ring.MaxFillFrames;

    /// <summary>Frames waiting in the ring now. Any thread.</summary>
    public long RingFillFrames => _ring.FillFrames;

    /// <summary>Frames dropped by a full ring since start. Any thread.</summary>
    public long DroppedFrames => _ring.DroppedFrames;

    /// <summary>CPU seconds the writer thread used (valid after <see cref="Dispose"/>).</summary>
    public double WriterCpuSeconds => Volatile.Read(ref _writerCpuSeconds);

    /// <summary>The takes finished so far (a copy). Any thread.</summary>
    public IReadOnlyList<TakeSummary> Takes
    {
        get
        {
            lock (_takesGate)
            {
                return [.. _takes];
            }
        }
    }

    /// <summary>
    /// Repairs unfinished takes left in the folder by a crash or power cut (logged), attaches the ring to the engine and
    /// starts the writer thread; the first take starts at once, or on signal with <see cref="RecorderOptions.AutoStart"/>.
    /// </summary>
    /// <returns>The takes repaired.</returns>
    public IReadOnlyList<TakeSummary> Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The recorder is already running.");
        }

        IReadOnlyList<TakeSummary> repaired = TakeFiles.RepairUnfinished(_options, _logger);
        _state = RecorderState.Armed;
        _startOnAnyBlock = !_options.AutoStart;

        PublishStatus();
        _ring.Enabled = true;
        _engine.AttachObserver(EngineObserverSlot.Recorder, _ring);
        _thread = new Thread(Run) { Name = "hm-recorder", IsBackground = true };
        _thread.Start();
        return repaired;
    }

    /// <summary>Starts a take now (or re-arms for signal with auto-start). Any thread.</summary>
    public void RequestStart() => Post(RequestStartTake);

    /// <summary>Ends the take. Any thread.</summary>
    public void RequestStop() => Post(RequestStopTake);

    /// <summary>Ends the take and starts the next one at once (a new take per song). Any thread.</summary>
    public void RequestNewTake() => Post(RequestNextTake);

    /// <summary>The REC button: stops while recording, else starts. Any thread.</summary>
    /// <remarks>Like every request it takes effect at the audio frame it was made at, however far the writer lags.</remarks>
    public void Toggle() => Post(RequestToggle);

    /// <summary>Ends the take (all audio the engine produced so far is written), detaches from the engine and stops the thread.</summary>
    public void Dispose()
    {
        if (_thread is { } thread)
        {
            _stopping = true;
            _wake.Set();
            thread.Join();
            _thread = null;
        }

        _engine.AttachObserver(EngineObserverSlot.Recorder, null);
        _ring.Enabled = false;
        _wake.Dispose();
    }

    private void Post(int request)
    {
        lock (_requestsGate)
        {
            _requests.Enqueue((request, _engine.FramesProcessed));
            _pendingRequests = _requests.Count;
        }

        _wake.Set();
    }

    private void Run()
    {
        long cpuStart = ThreadCpu();
        long lastCheckpoint = Stopwatch.GetTimestamp();
        long lastStatus = lastCheckpoint;
        long checkpointTicks = (long)(_options.CheckpointSeconds * Stopwatch.Frequency);
        while (true)
        {
            bool stopping = _stopping;
            int drained = Drain();
            if (drained == 0)
            {
                HandleRequests(long.MaxValue); // the ring is empty: every block made before a pending request is written
            }

            long now = Stopwatch.GetTimestamp();
            if (_take is not null && now - lastCheckpoint >= checkpointTicks)
            {
                lastCheckpoint = now;
                Checkpoint();
            }

            if (_state == RecorderState.WaitingForFolder && now - _lastFolderCheck >= Stopwatch.Frequency)
            {
                _lastFolderCheck = now;
                if (Directory.Exists(_options.Directory))
                {
                    _logger.LogInformation("recorder: record folder {Folder} is back", _options.Directory);
                    _lastError = null;
                    _state = RecorderState.Armed;
                    _startOnAnyBlock = !_options.AutoStart;
                }
            }

            if (now - lastStatus >= Stopwatch.Frequency / 4)
            {
                lastStatus = now;
                PublishStatus();
            }

            if (stopping && drained == 0)
            {
                break;
            }

            if (drained == 0)
            {
                _wake.Wait(10);
                _wake.Reset();
            }
        }

        if (_take is not null)
        {
            EndTake("stopped", null);
        }

        _state = RecorderState.Idle;
        PublishStatus();
        Volatile.Write(ref _writerCpuSeconds, (ThreadCpu() - cpuStart) / 1e9);
        _logger.LogInformation("recorder: writer thread CPU {Cpu:0.00} s; ring max fill {Fill} of {Capacity} frames; dropped {Dropped} frames", _writerCpuSeconds, _ring.MaxFillFrames, _ring.CapacityFrames, _ring.DroppedFrames);
    }

    private static long ThreadCpu() => ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowNanoseconds() : 0;

    // Applies the requests made before the engine reached frame beforeFrame (a cut lands where the button was pressed, not
    // where a lagging writer happens to be), in order.
    private void HandleRequests(long beforeFrame)
    {
        if (Volatile.Read(ref _pendingRequests) == 0)
        {
            return;
        }

        bool handled = false;
        while (true)
        {
            int request;
            lock (_requestsGate)
            {
                if (_requests.Count == 0 || _requests.Peek().AtFrame > beforeFrame)
                {
                    break;
                }

                request = _requests.Dequeue().Request;
                _pendingRequests = _requests.Count;
            }

            HandleRequest(request);
            handled = true;
        }

        if (handled)
        {
            PublishStatus();
        }
    }

    private void HandleRequest(int request)
    {
        if (request == RequestToggle)
        {
            request = _take is not null || _state == RecorderState.Armed ? RequestStopTake : RequestStartTake;
        }

        switch (request)
        {
            case RequestStartTake when _take is null:
                _lastError = null;
                _state = RecorderState.Armed; // the take starts with the next block (or, with auto-start, the next block with signal)
                _startOnAnyBlock = !_options.AutoStart;
                break;
            case RequestStopTake:
                if (_take is not null)
                {
                    EndTake("stopped", null);
                }

                _state = RecorderState.Idle;
                break;
            case RequestNextTake:
                if (_take is not null)
                {
                    EndTake("new take", null);
                }

                _state = RecorderState.Armed;
                _startOnAnyBlock = true;
                break;
        }
    }

    private int Drain()
    {
        int count = 0;
        while (count < 4096 && _ring.TryRead(_block, out RecordedBlock block))
        {
            count++;
            HandleRequests(block.FirstFrame);
            Handle(block, _block.AsSpan(0, block.Frames * RecordingRing.ChannelsPerFrame));
        }

        return count;
    }

    private void Handle(in RecordedBlock block, ReadOnlySpan<float> samples)
    {
        float inputPeak = 0;
        for (int i = 0; i < samples.Length; i += 4)
        {
            inputPeak = Math.Max(inputPeak, Math.Max(Math.Abs(samples[i]), Math.Abs(samples[i + 1])));
        }

        bool signal = inputPeak >= (float)Math.Pow(10, _options.SignalThresholdDbfs / 20);
        if (_state == RecorderState.Armed && (signal || _startOnAnyBlock))
        {
            _startOnAnyBlock = false;
            StartTake();
        }

        if (_take is not { } take)
        {
            return;
        }

        _silentFrames = signal ? 0 : _silentFrames + block.Frames;
        try
        {
            take.Write(block, samples, _pairScratch, _planar);
        }
        catch (IOException ex)
        {
            Fail(ex);
            return;
        }
        catch (UnauthorizedAccessException ex)
        {
            Fail(new IOException(ex.Message, ex));
            return;
        }

        if (_options.StopAfterSilenceSeconds > 0 && _silentFrames >= _options.StopAfterSilenceSeconds * take.SampleRateHz)
        {
            EndTake("silence", null);
            _state = _options.AutoStart ? RecorderState.Armed : RecorderState.Idle;
        }
    }

    private void Checkpoint()
    {
        try
        {
            if (_take is { } take && !File.Exists(take.Files[0]))
            {
                // Writes to an unlinked file still succeed on Linux: a folder removed (or a stick unmounted lazily) is seen here.
                throw new IOException("the take's file is gone");
            }

            _take?.Checkpoint();
        }
        catch (IOException ex)
        {
            Fail(ex);
        }
    }

    private void StartTake()
    {
        int rate = _engine.SampleRateHz > 0 ? _engine.SampleRateHz : _ring.SampleRateHz;
        try
        {
            _take = OpenTake.Create(_options, rate, _engine.BlocksProcessed, _presetName(), _controller?.Values, _xruns(), _ring.DroppedFrames);
            _state = RecorderState.Recording;
            _silentFrames = 0;
            _ring.ResetMaxFill();
            _logger.LogInformation("recorder: take {Take} started: {Files}", _take.Name, string.Join(", ", _take.Files.Select(Path.GetFileName)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AudioFileException)
        {
            _take = null;
            string problem = ex is AudioFileException a ? a.Message : ex.Message;
            if (!Directory.Exists(_options.Directory))
            {
                _lastError = $"record folder {_options.Directory} is not there";
                _state = RecorderState.WaitingForFolder;
            }
            else
            {
                _lastError = TakeFiles.IsDiskFull(ex) ? $"disk full: {_options.Directory}" : "cannot start a take: " + problem;
                _state = RecorderState.Stopped;
            }

            _logger.LogError("recorder: {Problem}", _lastError);
        }

        PublishStatus();
    }

    private void Fail(IOException ex)
    {
        bool vanished = !Directory.Exists(_options.Directory);
        bool full = !vanished && TakeFiles.IsDiskFull(ex);
        string reason = vanished ? "record folder vanished" : full ? "disk full" : "write error";
        string error = vanished ? $"record folder {_options.Directory} vanished (stick pulled?)" : full ? $"disk full: {_options.Directory}" : "write error: " + ex.Message;
        EndTake(reason, error);
        _lastError = error;
        _state = vanished ? (_options.ResumeOnReturn ? RecorderState.WaitingForFolder : RecorderState.Stopped) : RecorderState.Stopped;
        _lastFolderCheck = Stopwatch.GetTimestamp();
        PublishStatus();
    }

    private void EndTake(string reason, string? error)
    {
        if (_take is not { } take)
        {
            return;
        }

        _take = null;
        TakeSummary summary = take.Close(reason, error, _xruns(), _ring.DroppedFrames, _ring.MaxFillFrames, _controller?.Values, _presetName());
        lock (_takesGate)
        {
            _takes.Add(summary);
        }

        if (error is null)
        {
            _logger.LogInformation("recorder: take {Take} ended ({Reason}): {Seconds:0.0} s, dropped {Dropped} frames, report {Report}", summary.Name, reason, summary.Seconds, summary.DroppedFrames, summary.ReportPath ?? "not written");
        }
        else
        {
            _logger.LogError("recorder: take {Take} ended with an error: {Error}; {Seconds:0.0} s kept, report {Report}; audio goes on", summary.Name, error, summary.Seconds, summary.ReportPath ?? "not written");
        }

        PublishStatus();
    }

    private void PublishStatus()
    {
        OpenTake? take = _take;
        TakeSummary? last;
        int takes;
        lock (_takesGate)
        {
            last = _takes.Count > 0 ? _takes[^1] : null;
            takes = _takes.Count;
        }

        Volatile.Write(ref _status, new RecorderStatus(
            _state,
            take?.Name ?? last?.Name,
            take?.Seconds ?? 0,
            take is null ? [] : take.Files.Select(f => Path.GetFileName(f)).ToArray(),
            TakeFiles.FreeBytes(_options.Directory),
            _lastError,
            take is null ? 0 : _ring.DroppedFrames - take.DroppedAtStart,
            takes));
    }

    /// <summary>One open take: its writers, meters and statistics (writer thread only).</summary>
    private sealed class OpenTake
    {
        private readonly RecorderOptions _options;
        private readonly TakeWriter[] _writers;
        private readonly ProgramMeter _master;
        private readonly ProgramMeter _input;
        private readonly string _reserve;
        private readonly string _marker;
        private readonly double _overThreshold;
        private readonly ParameterSet? _parametersAtStart;
        private readonly long _xrunsAtStart;
        private long _limiterOvers;
        private double _compressorSum;
        private double _limiterSum;
        private float _compressorMax;
        private float _limiterMax;
        private long _grBlocks;

        private OpenTake(RecorderOptions options, string name, TakeWriter[] writers, int rate, string reserve, string marker, DateTimeOffset started, double ceilingDbtp, ParameterSet? parameters, long xruns, long dropped)
        {
            _options = options;
            Name = name;
            _writers = writers;
            SampleRateHz = rate;
            _reserve = reserve;
            _marker = marker;
            Started = started;
            CeilingDbtp = ceilingDbtp;
            _overThreshold = Math.Pow(10, (ceilingDbtp - 0.1) / 20);
            _parametersAtStart = parameters;
            _xrunsAtStart = xruns;
            DroppedAtStart = dropped;
            _master = new ProgramMeter(rate, 2);
            _input = new ProgramMeter(rate, 2);
        }

        public string Name { get; }

        public int SampleRateHz { get; }

        public DateTimeOffset Started { get; }

        public double CeilingDbtp { get; }

        public long DroppedAtStart { get; }

        public IReadOnlyList<string> Files => _writers.Select(w => w.Path).ToArray();

        public double Seconds => (double)_writers[0].FramesWritten / SampleRateHz;

        public static OpenTake Create(RecorderOptions options, int rate, long blocks, string? preset, ParameterSet? parameters, long xruns, long dropped)
        {
            (string name, string[] paths) = TakeFiles.NextTake(options);
            string reserve = TakeFiles.ReservePath(options.Directory, name);
            string marker = TakeFiles.MarkerPath(options.Directory, name);
            TakeFiles.WriteReserve(reserve, ReserveBytes);
            TakeFiles.WriteMarker(marker, paths);
            DateTimeOffset started = DateTimeOffset.Now;
            double ceiling = parameters is { } p ? p.Get(p.Registry.IndexOf(ParameterIds.LimiterCeiling)) : -1;
            long timeReference = (long)(started.TimeOfDay.TotalSeconds * rate);
            var writers = new List<TakeWriter>();
            try
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    string role = options.FourChannel ? "input L/R + master L/R" : i == 0 ? "input (before the chain)" : "master (after the chain)";
                    var metadata = new TakeMetadata(
                        $"HardwareMaster {name} {role}; preset {preset ?? "(defaults)"}",
                        "HardwareMaster",
                        name,
                        started.LocalDateTime,
                        timeReference,
                        TakeReport.IXml(name, role, preset, parameters, ceiling),
                        [
                            new("INAM", $"{name} {role}"),
                            new("ISFT", "HardwareMaster"),
                            new("ICRD", started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                            new("ICMT", $"preset {preset ?? "(defaults)"}"),
                        ],
                        $"A=PCM,F={rate},W={(options.Encoding == SampleEncoding.Float32 ? 32 : 24)},M={(options.FourChannel ? "quad" : "stereo")},T=HardwareMaster\r\n");
                    TakeWriter writer = TakeWriter.Create(paths[i], options.Encoding, rate, options.FourChannel ? 4 : 2, metadata);
                    writer.Rf64ThresholdBytes = options.Rf64ThresholdBytes;
                    writers.Add(writer);
                }
            }
            catch
            {
                foreach (TakeWriter writer in writers)
                {
                    writer.Abandon();
                }

                TakeFiles.TryDelete(reserve);
                throw;
            }

            return new OpenTake(options, name, [.. writers], rate, reserve, marker, started, ceiling, parameters, xruns, dropped);
        }

        public void Write(in RecordedBlock block, ReadOnlySpan<float> samples, float[] pair, float[] planar)
        {
            int frames = block.Frames;
            if (_options.FourChannel)
            {
                _writers[0].Write(samples);
            }
            else
            {
                Span<float> stereo = pair.AsSpan(0, frames * 2);
                for (int i = 0; i < frames; i++)
                {
                    stereo[2 * i] = samples[4 * i];
                    stereo[(2 * i) + 1] = samples[(4 * i) + 1];
                }

                _writers[0].Write(stereo);
                for (int i = 0; i < frames; i++)
                {
                    stereo[2 * i] = samples[(4 * i) + 2];
                    stereo[(2 * i) + 1] = samples[(4 * i) + 3];
                }

                _writers[1].Write(stereo);
            }

            Span<float> inL = planar.AsSpan(0, frames);
            Span<float> inR = planar.AsSpan(frames, frames);
            Span<float> mL = planar.AsSpan(2 * frames, frames);
            Span<float> mR = planar.AsSpan(3 * frames, frames);
            for (int i = 0; i < frames; i++)
            {
                inL[i] = samples[4 * i];
                inR[i] = samples[(4 * i) + 1];
                mL[i] = samples[(4 * i) + 2];
                mR[i] = samples[(4 * i) + 3];
            }

            _input.Process(inL, inR);
            _master.Process(mL, mR);
            if (block.MasterTruePeak > _overThreshold)
            {
                _limiterOvers++;
            }

            _compressorSum += block.CompressorGainReductionDb;
            _limiterSum += block.LimiterGainReductionDb;
            _compressorMax = Math.Max(_compressorMax, block.CompressorGainReductionDb);
            _limiterMax = Math.Max(_limiterMax, block.LimiterGainReductionDb);
            _grBlocks++;
        }

        public void Checkpoint()
        {
            foreach (TakeWriter writer in _writers)
            {
                writer.Checkpoint();
            }
        }

        public TakeSummary Close(string reason, string? error, long xruns, long dropped, long maxFillFrames, ParameterSet? parameters, string? preset)
        {
            LoudnessReport master = _master.GetReport();
            LoudnessReport input = _input.GetReport();
            var loudness = new BextLoudness(master.IntegratedLufs ?? double.NaN, master.LoudnessRangeLu ?? double.NaN, master.TruePeakDbtp, master.MaxMomentaryLufs ?? double.NaN, master.MaxShortTermLufs ?? double.NaN);
            double seconds = Seconds;
            string? closeProblem = null;
            foreach (TakeWriter writer in _writers)
            {
                if (error is null)
                {
                    try
                    {
                        writer.Complete(loudness);
                    }
                    catch (IOException ex)
                    {
                        closeProblem ??= ex.Message;
                    }
                }
                else
                {
                    closeProblem ??= writer.Abandon();
                }
            }

            TakeFiles.TryDelete(_reserve); // its room is the report's
            var report = new TakeReport
            {
                Take = Name,
                Files = _writers.Select(w => Path.GetFileName(w.Path)).ToArray(),
                Layout = _options.FourChannel ? "quad" : "pair",
                Format = $"WAV {(_options.Encoding == SampleEncoding.Float32 ? "float 32-bit" : "PCM 24-bit")}, {SampleRateHz} Hz, {(_options.FourChannel ? "4 channels" : "stereo")}{(_writers.Any(w => w.IsRf64) ? " (RF64)" : string.Empty)}",
                SampleRateHz = SampleRateHz,
                Started = Started,
                Seconds = seconds,
                EndReason = reason,
                Error = error is null ? closeProblem : closeProblem is null ? error : $"{error}; closing: {closeProblem}",
                Master = master,
                Input = input,
                CeilingDbtp = CeilingDbtp,
                LimiterOvers = _limiterOvers,
                CompressorMaxDb = _compressorMax,
                CompressorMeanDb = _grBlocks > 0 ? _compressorSum / _grBlocks : 0,
                LimiterMaxDb = _limiterMax,
                LimiterMeanDb = _grBlocks > 0 ? _limiterSum / _grBlocks : 0,
                Xruns = xruns - _xrunsAtStart,
                DroppedFrames = dropped - DroppedAtStart,
                RingMaxFillFrames = maxFillFrames,
                Preset = preset,
                Parameters = parameters ?? _parametersAtStart,
            };
            string? reportPath = report.TryWrite(_options.Directory, out string? reportProblem);
            if (reportPath is not null)
            {
                TakeFiles.TryDelete(_marker); // finished: nothing for start-up to repair
            }

            return new TakeSummary(Name, _writers.Select(w => w.Path).ToArray(), seconds, reason, report.Error ?? (reportProblem is null ? null : "report: " + reportProblem), dropped - DroppedAtStart, reportPath);
        }
    }
}
