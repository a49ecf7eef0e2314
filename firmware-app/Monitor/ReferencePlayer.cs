using System.Diagnostics;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Monitor;

/// <summary>What the reference player is doing (<see cref="ReferenceStatus.State"/>).</summary>
public enum ReferenceState
{
    /// <summary>No folder of the specification exists (no stick).</summary>
    NoFolder,

    /// <summary>The folder holds no WAV/AIFF file.</summary>
    NoFiles,

    /// <summary>Files listed; the reference is off.</summary>
    Ready,

    /// <summary>Turned on; the file is being measured and buffered.</summary>
    Loading,

    /// <summary>Turned on and playing on the monitor path.</summary>
    Playing,
}

/// <summary>
/// One immutable snapshot of the reference player (the worker replaces it on every change; a reader takes it with one
/// reference read, no allocation).
/// </summary>
/// <param name="State">What it is doing.</param>
/// <param name="Folder">The folder in use, or null.</param>
/// <param name="Files">Its files' names, sorted.</param>
/// <param name="Selected">Index of the selected file in <paramref name="Files"/> (−1 when none).</param>
/// <param name="Track">The file loaded for playing (its name), or null.</param>
/// <param name="TrackLufs">Its integrated loudness, LUFS (NaN when none).</param>
/// <param name="FileRateHz">Its own sample rate (0 when none).</param>
/// <param name="Notice">The latest notice in one line (a bad file, the stick leaving), or null.</param>
/// <param name="NoticeSerial">Counts the notices (a reader shows a notice once when this changes).</param>
public sealed record ReferenceStatus(
    ReferenceState State,
    string? Folder,
    IReadOnlyList<string> Files,
    int Selected,
    string? Track,
    double TrackLufs,
    int FileRateHz,
    string? Notice,
    int NoticeSerial)
{
    /// <summary>The selected file's name, or null.</summary>
    public string? SelectedName => Selected >= 0 && Selected < Files.Count ? Files[Selected] : null;
}

/// <summary>
/// Reference A/B on the monitor path (issue 14, item 3): plays a WAV/AIFF from a folder (a USB stick), loudness-matched
/// to the programme, instead of the master on the monitor path only — the master, the recorder and a render never hear it.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> A worker thread (<c>hm-reference</c>) polls the folder every <see cref="PollInterval"/> (no inotify:
/// a stick's mount point comes and goes), measures a file's integrated loudness, decodes it and converts its rate
/// (libsoxr, very high quality) into the track's lock-free ring. The audio thread (<see cref="Render"/>, called by
/// <see cref="MonitorPath"/>) only copies out of the ring, mixes and measures: no allocation, lock, wait or exception.
/// The control API (<see cref="SetOn"/>, <see cref="Toggle"/>, <see cref="Next"/>, <see cref="Previous"/>,
/// <see cref="Select"/>, <see cref="Status"/>, <see cref="OffsetDb"/>) may be called from any thread (the box's face,
/// a remote, a test).</para>
/// <para><b>Loudness match.</b> The programme's short-term loudness (ITU-R BS.1770-4, 3 s window) is measured on the
/// master entering the monitor path; the reference's is its integrated loudness, measured over the whole file before
/// it plays. The offset (dB applied to the reference) follows programme short-term − reference integrated, clamped to
/// <see cref="MinOffsetDb"/>..<see cref="MaxOffsetDb"/>, smoothed with a <see cref="OffsetTimeConstantSeconds"/> one-pole
/// and ramped per block; while the programme is below −70 LUFS (silence, a pause) the offset holds. So the reference keeps
/// its own dynamics and sits where the programme sits.</para>
/// <para><b>Switching.</b> On, off and a change of file crossfade over <see cref="CrossfadeMs"/> (a change fades out,
/// swaps, fades in). A file plays in a loop; off and on again resumes where it was. A bad file, libsoxr missing, the file
/// or the stick vanishing: the reference fades out and a notice names the file; the audio never stops.</para>
/// </remarks>
public sealed class ReferencePlayer : IDisposable, Ui.IBoxReference
{
    /// <summary>Crossfade between the monitor signal and the reference, ms.</summary>
    public const double CrossfadeMs = 20;

    /// <summary>Time constant of the offset's smoothing, s.</summary>
    public const double OffsetTimeConstantSeconds = 1.0;

    /// <summary>Lowest offset, dB.</summary>
    public const double MinOffsetDb = -40;

    /// <summary>Highest offset, dB (a quiet reference is lifted at most this much).</summary>
    public const double MaxOffsetDb = 20;

    /// <summary>Below this programme short-term loudness the offset holds, LUFS.</summary>
    public const double SilenceLufs = -70;

    /// <summary>Default ring: 2^18 frames (5.5 s at 48 kHz, 2 MiB).</summary>
    public const int DefaultRingFrames = 1 << 18;

    private static readonly TimeSpan FillWait = TimeSpan.FromMilliseconds(20);

    private readonly string _spec;
    private ILogger? _logger;
    private readonly int _ringFrames;
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    // Shared (any thread).
    private ReferenceStatus _status = new(ReferenceState.NoFolder, null, [], -1, null, double.NaN, 0, null, 0);
    private int _wantOn;
    private int _deviceRate;
    private ReferenceTrack? _published;
    private double _offsetPublished;
    private int _audible;
    private long _underrunFrames;
    private long _blocksMixed;

    // Under _gate: the listing and the selection.
    private string? _folder;
    private string[] _files = [];
    private int _selected = -1;

    // Worker only.
    private ReferenceDecoder? _decoder;
    private ReferenceTrack? _loaded;
    private string? _notice;
    private int _noticeSerial;
    private bool _everPolled;

    // Worker thread only: a failed read already said "stick removed: reference NAME stopped", so the poll that then
    // sees the folder gone publishes without a second, nameless notice over it.
    private bool _removalNoticed;

    // Audio thread only.
    private ProgramMeter? _programme;
    private ReferenceTrack? _active;
    private float[] _refLeft = [];
    private float[] _refRight = [];
    private float[] _left = [];
    private float[] _right = [];
    private int _frames;
    private double _x;
    private double _step;
    private double _offsetDb;
    private bool _offsetReady;
    private int _sampleRateHz;

    /// <summary>Creates a player over <paramref name="folderSpec"/> (see <see cref="ReferenceFolder"/>); <see cref="Start"/> starts its worker.</summary>
    /// <param name="folderSpec">The folder(s) to look in.</param>
    /// <param name="logger">For notices, or null.</param>
    /// <param name="pollInterval">How often the folder is looked at (default 1 s).</param>
    /// <param name="ringFrames">Ring per file, frames (a power of two ≥ 2^14).</param>
    public ReferencePlayer(string folderSpec, ILogger? logger = null, TimeSpan? pollInterval = null, int ringFrames = DefaultRingFrames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderSpec);
        if (ringFrames < 1 << 14 || (ringFrames & (ringFrames - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ringFrames), ringFrames, "a power of two of at least 16384");
        }

        _spec = folderSpec;
        _logger = logger;
        _ringFrames = ringFrames;
        PollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Where notices and loaded files are logged (any thread), or null.</summary>
    public ILogger? Logger
    {
        get => Volatile.Read(ref _logger);
        set => Volatile.Write(ref _logger, value);
    }

    /// <summary>The folder specification.</summary>
    public string FolderSpec => _spec;

    /// <summary>How often the folder is polled.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>The latest snapshot (any thread; a reference read).</summary>
    public ReferenceStatus Status => Volatile.Read(ref _status);

    /// <summary>Whether the reference is asked to play (any thread).</summary>
    public bool IsOn => Volatile.Read(ref _wantOn) != 0;

    /// <summary>Whether the monitor path plays any of the reference right now (including a crossfade).</summary>
    public bool IsAudible => Volatile.Read(ref _audible) != 0;

    /// <summary>The offset applied to the reference, dB (the loudness match; any thread).</summary>
    public double OffsetDb => Volatile.Read(ref _offsetPublished);

    /// <summary>Frames the audio thread wanted while playing but found the ring empty (filled with silence).</summary>
    public long UnderrunFrames => Interlocked.Read(ref _underrunFrames);

    /// <summary>Blocks in which the reference was mixed in (a test waits on it).</summary>
    public long BlocksMixed => Interlocked.Read(ref _blocksMixed);

    /// <summary>Frames buffered in the ring of the file playing (0 when none).</summary>
    public int BufferedFrames => Volatile.Read(ref _published)?.Buffered ?? 0;

    /// <summary>The mixed monitor input of the last <see cref="Render"/> that returned true, left.</summary>
    public ReadOnlySpan<float> Left => _left.AsSpan(0, _frames);

    /// <summary>The mixed monitor input, right.</summary>
    public ReadOnlySpan<float> Right => _right.AsSpan(0, _frames);

    /// <summary>Starts the worker thread (once).</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Work) { IsBackground = true, Name = "hm-reference" };
        _thread.Start();
    }

    /// <summary>Turns the reference on or off (any thread; the crossfade follows within a block).</summary>
    public void SetOn(bool on)
    {
        Volatile.Write(ref _wantOn, on ? 1 : 0);
        _wake.Set();
    }

    /// <summary>Toggles the reference (any thread).</summary>
    /// <returns>Whether it is now asked to play.</returns>
    public bool Toggle()
    {
        bool on = !IsOn;
        SetOn(on);
        return on;
    }

    /// <summary>Selects the next file (wrapping; any thread); while on, that file plays next (crossfaded).</summary>
    /// <returns>The newly selected file's name, or null when none is listed.</returns>
    public string? Next() => Step(1);

    /// <summary>Selects the previous file (wrapping; any thread).</summary>
    /// <returns>The newly selected file's name, or null when none is listed.</returns>
    public string? Previous() => Step(-1);

    /// <summary>Selects the file named <paramref name="name"/> (any thread).</summary>
    /// <returns>False when the folder does not list it.</returns>
    public bool Select(string name)
    {
        lock (_gate)
        {
            int index = Array.FindIndex(_files, f => string.Equals(f, name, StringComparison.Ordinal));
            if (index < 0)
            {
                return false;
            }

            _selected = index;
        }

        _wake.Set();
        return true;
    }

    /// <summary>Allocates for the stream and forgets the history. Control thread, not while running (called by <see cref="MonitorPath.Prepare"/>).</summary>
    public void Prepare(int sampleRateHz, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockFrames, 1);
        _sampleRateHz = sampleRateHz;
        _programme = new ProgramMeter(sampleRateHz, 2, measureTruePeak: false);
        _refLeft = new float[maxBlockFrames];
        _refRight = new float[maxBlockFrames];
        _left = new float[maxBlockFrames];
        _right = new float[maxBlockFrames];
        _step = 1.0 / Math.Max(1, CrossfadeMs * 0.001 * sampleRateHz);
        Reset();
        Volatile.Write(ref _deviceRate, sampleRateHz); // a track at another rate is loaded again by the worker
        _wake.Set();
    }

    /// <summary>Forgets the programme measurement and the crossfade (after the engine's warm-up). Control thread, not while running.</summary>
    public void Reset()
    {
        _programme?.Reset();
        _active = null;
        _x = 0;
        _offsetReady = false;
        _frames = 0;
        Volatile.Write(ref _audible, 0);
    }

    /// <summary>
    /// Measures the programme and, while the reference is on or fading, mixes it with the monitor's input into
    /// <see cref="Left"/>/<see cref="Right"/>. Audio thread: copies, no allocation, lock, wait or exception.
    /// </summary>
    /// <param name="masterLeft">The final master, left (only read).</param>
    /// <param name="masterRight">The final master, right.</param>
    /// <returns>True when <see cref="Left"/>/<see cref="Right"/> hold the mix (the monitor path then plays it); false when the reference is silent.</returns>
    public bool Render(ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight)
    {
        ProgramMeter? programme = _programme;
        int n = Math.Min(masterLeft.Length, _left.Length);
        if (programme is null || n == 0)
        {
            return false;
        }

        programme.Process(masterLeft[..n], masterRight[..n]);
        bool want = Volatile.Read(ref _wantOn) != 0;
        ReferenceTrack? pending = Volatile.Read(ref _published);
        ReferenceTrack? track = _active;
        if (!ReferenceEquals(pending, track))
        {
            if (_x <= 0)
            {
                _active = track = pending; // swap while silent
                _offsetReady = false;
            }
            else
            {
                want = false; // fade the old file out first
            }
        }

        if (track is null || track.RateHz != _sampleRateHz)
        {
            want = false;
        }

        if (!want && _x <= 0)
        {
            Volatile.Write(ref _audible, 0);
            return false;
        }

        // The reference's frames (silence where the ring ran dry).
        Span<float> refLeft = _refLeft.AsSpan(0, n);
        Span<float> refRight = _refRight.AsSpan(0, n);
        int got = track?.Read(refLeft, refRight) ?? 0;
        if (got < n)
        {
            refLeft[got..].Clear();
            refRight[got..].Clear();
            if (want)
            {
                Interlocked.Add(ref _underrunFrames, n - got);
            }
        }

        // The loudness match: programme short-term − reference integrated, smoothed, held in silence.
        double previous = _offsetDb;
        double programmeLufs = programme.ShortTermLufs;
        if (track is not null && double.IsFinite(programmeLufs) && programmeLufs > SilenceLufs && double.IsFinite(track.LoudnessLufs))
        {
            double target = Math.Clamp(programmeLufs - track.LoudnessLufs, MinOffsetDb, MaxOffsetDb);
            if (!_offsetReady)
            {
                _offsetDb = previous = target;
                _offsetReady = true;
            }
            else
            {
                double a = 1 - Math.Exp(-n / (OffsetTimeConstantSeconds * _sampleRateHz));
                _offsetDb += a * (target - _offsetDb);
            }
        }
        else if (!_offsetReady)
        {
            _offsetDb = previous = 0;
            _offsetReady = true;
        }

        double g0 = Math.Pow(10, previous / 20), g1 = Math.Pow(10, _offsetDb / 20);
        double gStep = (g1 - g0) / n, g = g0;
        double x = _x, step = want ? _step : -_step;
        Span<float> left = _left.AsSpan(0, n);
        Span<float> right = _right.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            g += gStep;
            x = Math.Clamp(x + step, 0, 1);
            float k = (float)(g * x), m = (float)(1 - x);
            left[i] = (masterLeft[i] * m) + (refLeft[i] * k);
            right[i] = (masterRight[i] * m) + (refRight[i] * k);
        }

        _x = x;
        _frames = n;
        Volatile.Write(ref _offsetPublished, _offsetDb);
        Volatile.Write(ref _audible, x > 0 || want ? 1 : 0);
        Interlocked.Increment(ref _blocksMixed);
        return true;
    }

    /// <summary>Stops the worker and closes the file.</summary>
    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _wake.Set();
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        _decoder?.Dispose();
        _decoder = null;
    }

    private string? Step(int delta)
    {
        string? name;
        lock (_gate)
        {
            if (_files.Length == 0)
            {
                return null;
            }

            int current = _selected < 0 ? (delta > 0 ? -1 : 0) : _selected;
            _selected = (((current + delta) % _files.Length) + _files.Length) % _files.Length;
            name = _files[_selected];
        }

        _wake.Set();
        return name;
    }

    // ---- the worker --------------------------------------------------------------------------------------------

    private void Work()
    {
        CancellationToken cancel = _stop.Token;
        long interval = (long)(PollInterval.TotalSeconds * Stopwatch.Frequency);
        long nextPoll = 0;
        while (!cancel.IsCancellationRequested)
        {
            bool busy = false;
            try
            {
                long now = Stopwatch.GetTimestamp();
                if (now >= nextPoll)
                {
                    Poll();
                    nextPoll = now + interval;
                }

                Apply(cancel);
                busy = Fill();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Nothing may escape a thread (it would end the process and the audio with it).
                Fail(_loaded?.Name ?? "reference", ex.Message);
            }

            if (!busy)
            {
                long left = nextPoll - Stopwatch.GetTimestamp();
                TimeSpan wait = TimeSpan.FromSeconds(Math.Clamp((double)left / Stopwatch.Frequency, 0.001, 0.25));
                _wake.WaitOne(_loaded is not null && wait > FillWait ? FillWait : wait);
            }
        }
    }

    private void Poll()
    {
        ReferenceFolder.Listing listing = ReferenceFolder.Scan(_spec);
        string? before;
        bool changed;
        lock (_gate)
        {
            before = _folder;
            changed = !string.Equals(before, listing.Folder, StringComparison.Ordinal) || !_files.AsSpan().SequenceEqual(listing.Files);
            if (changed)
            {
                string? selectedName = _selected >= 0 && _selected < _files.Length ? _files[_selected] : null;
                _folder = listing.Folder;
                _files = listing.Files;
                int keep = selectedName is null ? -1 : Array.IndexOf(listing.Files, selectedName);
                _selected = keep >= 0 ? keep : (listing.Files.Length > 0 ? Math.Clamp(_selected, 0, listing.Files.Length - 1) : -1);
            }
        }

        if (_loaded is { } loaded)
        {
            bool stillThere = string.Equals(Path.GetDirectoryName(loaded.Path), listing.Folder, StringComparison.Ordinal) &&
                Array.IndexOf(listing.Files, loaded.Name) >= 0;
            if (!stillThere)
            {
                bool wasOn = IsOn;
                Volatile.Write(ref _wantOn, 0);
                Unload();
                Notify(listing.Folder is null ? $"stick removed: reference {loaded.Name} {(wasOn ? "stopped" : "closed")}" : $"reference {loaded.Name} is gone{(wasOn ? ": stopped" : string.Empty)}");
                return;
            }
        }

        if (changed && _everPolled)
        {
            if (listing.Folder is null && _removalNoticed)
            {
                Publish();
            }
            else if (listing.Folder is null)
            {
                Notify("reference stick removed");
            }
            else if (before is null || !string.Equals(before, listing.Folder, StringComparison.Ordinal))
            {
                Notify(listing.Files.Length == 0 ? $"reference: no WAV/AIFF in {listing.Folder}" : $"reference: {listing.Files.Length} file{(listing.Files.Length == 1 ? string.Empty : "s")} in {listing.Folder}");
            }
            else
            {
                Publish();
            }
        }
        else if (changed || !_everPolled)
        {
            Publish();
        }

        _everPolled = true;
        _removalNoticed &= listing.Folder is null;
    }

    private void Apply(CancellationToken cancel)
    {
        bool want = IsOn;
        string? folder, name;
        lock (_gate)
        {
            folder = _folder;
            name = _selected >= 0 && _selected < _files.Length ? _files[_selected] : null;
        }

        int rate = Volatile.Read(ref _deviceRate);
        bool current = _loaded is { } loaded && name is not null && folder is not null &&
            string.Equals(loaded.Name, name, StringComparison.Ordinal) &&
            string.Equals(Path.GetDirectoryName(loaded.Path), folder, StringComparison.Ordinal) &&
            loaded.RateHz == rate;
        if (current)
        {
            if (Status.State != (want ? ReferenceState.Playing : ReferenceState.Ready))
            {
                Publish();
            }

            return;
        }

        if (_loaded is not null)
        {
            Unload(); // another file selected, or the device rate changed
        }

        if (!want)
        {
            if (Status.State is ReferenceState.Loading or ReferenceState.Playing)
            {
                Publish();
            }

            return;
        }

        if (folder is null || name is null)
        {
            Volatile.Write(ref _wantOn, 0);
            Notify(folder is null ? $"no reference folder ({_spec})" : $"reference: no WAV/AIFF in {folder}");
            return;
        }

        if (rate == 0)
        {
            return; // the audio has not started; load when it has
        }

        Load(folder, name, rate, cancel);
    }

    private void Load(string folder, string name, int rate, CancellationToken cancel)
    {
        string path = Path.Combine(folder, name);
        Publish(ReferenceState.Loading, name);
        ReferenceDecoder? decoder = null;
        try
        {
            double lufs = ReferenceDecoder.MeasureLoudness(path, cancel);
            if (!double.IsFinite(lufs))
            {
                throw new AudioFileException(path, "is silent or shorter than 0.4 s: nothing to match");
            }

            decoder = ReferenceDecoder.Open(path, rate);
            var track = new ReferenceTrack(name, path, rate, lufs, _ringFrames);
            decoder.Pump(track, Math.Min(track.Capacity, rate)); // a second ahead before it plays
            _decoder = decoder;
            _loaded = track;
            decoder = null;
            Volatile.Write(ref _published, track);
            _logger?.LogInformation("reference {Name}: {Lufs:0.0} LUFS, {Rate} Hz{Converted}", name, lufs, _decoder.FileRateHz, _decoder.Converts ? $" converted to {rate} Hz (libsoxr)" : string.Empty);
            Publish();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever a bad file makes a reader throw: a notice naming it, never a crash.
            decoder?.Dispose();
            Fail(name, ex is AudioFileException file ? file.Problem : ex.Message);
        }
    }

    // Decodes ahead while the ring has room. True when it did work (then no wait).
    private bool Fill()
    {
        if (_decoder is not { } decoder || _loaded is not { } track)
        {
            return false;
        }

        if (track.Free < track.Capacity / 4)
        {
            return false;
        }

        try
        {
            return decoder.Pump(track, 16384) > 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!Directory.Exists(Path.GetDirectoryName(track.Path)))
            {
                // The read failed because the stick left (EIO, or the loop could not reopen the file): say so.
                Volatile.Write(ref _wantOn, 0);
                Unload();
                _removalNoticed = true;
                Notify($"stick removed: reference {track.Name} stopped");
            }
            else
            {
                Fail(track.Name, ex is AudioFileException file ? file.Problem : ex.Message);
            }

            return false;
        }
    }

    private void Fail(string name, string problem)
    {
        Volatile.Write(ref _wantOn, 0);
        Unload();
        Notify($"reference {name}: {problem}");
    }

    private void Unload()
    {
        _decoder?.Dispose();
        _decoder = null;
        _loaded = null;
        Volatile.Write(ref _published, null); // the audio thread fades the old one out from what its ring still holds
    }

    private void Notify(string notice)
    {
        _notice = notice;
        _noticeSerial++;
        _logger?.LogWarning("{Notice}", notice);
        Publish();
    }

    private void Publish(ReferenceState? state = null, string? loading = null)
    {
        string? folder;
        string[] files;
        int selected;
        lock (_gate)
        {
            folder = _folder;
            files = _files;
            selected = _selected;
        }

        ReferenceTrack? track = _loaded;
        ReferenceState s = state ?? (folder is null ? ReferenceState.NoFolder
            : files.Length == 0 ? ReferenceState.NoFiles
            : track is not null && IsOn ? ReferenceState.Playing
            : ReferenceState.Ready);
        Volatile.Write(ref _status, new ReferenceStatus(
            s,
            folder,
            files,
            selected,
            loading ?? track?.Name,
            track?.LoudnessLufs ?? double.NaN,
            _decoder?.FileRateHz ?? 0,
            _notice,
            _noticeSerial));
    }
}
