using HardwareMaster.App.Assistant.Check;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Assistant.Ready;

/// <summary>
/// The READY? page's analysis: drains <see cref="ProgrammeFeed"/> on a worker thread of its own (never the audio
/// thread), feeds every frame to the meters of the `check` verb (<see cref="MixMeter"/>) and, while the page is shown
/// (<see cref="Judging"/>), judges them with the same verdict logic (<see cref="MixChecklist.Evaluate"/>) once per second
/// of audio: headroom, clipping, already limited, DC offset, correlation, low-end mono and spectral balance, for what the
/// box has heard since the last <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// Threading: <see cref="Pump"/> on the worker (or a test, with <c>startWorker: false</c>); <see cref="Read"/>,
/// <see cref="Reset"/> and <see cref="Judging"/> on the UI thread; a lock between those two (the audio thread never
/// sees it). Draining and metering allocate nothing; judging builds the checklist's records and reason strings (a few
/// kB), so it runs only while the page is shown; a reset makes new meters (allocation on the worker, at the reset).
/// </remarks>
internal sealed class ReadinessAnalyzer : IBoxReadiness, IDisposable
{
    /// <summary>The checklist items shown, by id (<see cref="MixChecklist.ItemIds"/>); loudness range and format are file matters.</summary>
    public static readonly string[] ItemIds = ["headroom", "clipping", "already_limited", "dc_offset", "correlation", "low_end_mono", "spectral_balance"];

    private static readonly string[] ShortLabels = ["headroom", "clipping", "limited", "DC", "correlation", "low mono", "balance"];

    private const int ChunkFrames = 4096;

    private readonly object _gate = new();
    private readonly ProgrammeFeed _feed;
    private readonly GenreProfile _genre;
    private readonly float[] _left = new float[ChunkFrames];
    private readonly float[] _right = new float[ChunkFrames];
    private readonly ReadyLine[] _lines = new ReadyLine[ItemIds.Length];
    private readonly Thread? _worker;
    private volatile bool _stop;
    private volatile bool _judging;
    private volatile bool _resetRequested;
    private MixMeter? _meter;
    private int _rate;
    private long _frames;
    private long _framesAtJudge;
    private double _seconds;
    private IReadOnlyList<CheckItem>? _items;

    /// <summary>Creates the analysis over <paramref name="feed"/>.</summary>
    /// <param name="feed">The tap on the engine's input.</param>
    /// <param name="genre">The genre the balance is judged against (default: commercial music in general).</param>
    /// <param name="startWorker">False for tests that call <see cref="Pump"/> themselves.</param>
    public ReadinessAnalyzer(ProgrammeFeed feed, GenreProfile? genre = null, bool startWorker = true)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _feed = feed;
        _genre = genre ?? GenreProfile.Default;
        ClearLines();
        if (startWorker)
        {
            _worker = new Thread(Run) { IsBackground = true, Name = "hm-ready", Priority = ThreadPriority.BelowNormal };
            _worker.Start();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Labels => ShortLabels;

    /// <inheritdoc />
    public bool Judging
    {
        get => _judging;
        set => _judging = value;
    }

    /// <summary>Times the checklist was judged.</summary>
    public int Judgements { get; private set; }

    /// <inheritdoc />
    public double Read(Span<ReadyLine> lines)
    {
        lock (_gate)
        {
            _lines.AsSpan(0, Math.Min(lines.Length, _lines.Length)).CopyTo(lines);
            return _seconds;
        }
    }

    /// <inheritdoc />
    public void Reset() => _resetRequested = true;

    /// <summary>One pass of the worker: takes a reset, drains the feed into the meters, judges when due.</summary>
    /// <param name="forceJudge">Judge now whatever the page (the end-of-run statistics).</param>
    /// <returns>Frames taken from the feed.</returns>
    public int Pump(bool forceJudge = false)
    {
        int rate = _feed.SampleRateHz;
        if (_resetRequested || (rate > 0 && rate != _rate))
        {
            _resetRequested = false;
            _rate = rate;
            _meter = rate > 0 ? new MixMeter(rate, 2) : null;
            _frames = 0;
            _framesAtJudge = 0;
            lock (_gate)
            {
                _seconds = 0;
                _items = null;
                ClearLines();
            }
        }

        int total = 0;
        int read;
        while (_meter is not null && total < 16 * ChunkFrames && (read = _feed.TryRead(_left, _right)) > 0)
        {
            _meter.Process(_left.AsSpan(0, read), _right.AsSpan(0, read));
            total += read;
        }

        _frames += total;
        if (_meter is not null && _frames > 0 && (forceJudge || (_judging && _frames - _framesAtJudge >= _rate)))
        {
            Judge();
        }
        else if (total > 0)
        {
            lock (_gate)
            {
                _seconds = (double)_frames / _rate;
            }
        }

        return total;
    }

    /// <summary>The full checklist items of the last judgement (id, verdict, value, reason), or null before one.</summary>
    public IReadOnlyList<CheckItem>? LastItems
    {
        get
        {
            lock (_gate)
            {
                return _items;
            }
        }
    }

    /// <summary>Stops the worker, judges what was heard one last time and returns it (end of a run).</summary>
    /// <returns>The statistics.</returns>
    public ReadyStatistics Finish()
    {
        Dispose();
        while (Pump() > 0)
        {
        }

        Pump(forceJudge: true);
        var items = new List<ReadyItemStatistics>();
        foreach (CheckItem item in LastItems ?? [])
        {
            items.Add(new ReadyItemStatistics(item.Id, item.Verdict.ToString().ToLowerInvariant(), item.Value is { } v && double.IsFinite(v) ? v : null, item.Unit, item.Reason));
        }

        lock (_gate)
        {
            return new ReadyStatistics(_seconds, _feed.DroppedFrames, items);
        }
    }

    /// <summary>Stops the worker (idempotent).</summary>
    public void Dispose()
    {
        _stop = true;
        _worker?.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        while (!_stop)
        {
            try
            {
                if (Pump() == 0)
                {
                    Thread.Sleep(20);
                }
            }
            catch (Exception)
            {
                // The analysis is advice; a failure must never take the box down. Start over after a pause.
                _resetRequested = true;
                Thread.Sleep(1000);
            }
        }
    }

    private void Judge()
    {
        IReadOnlyList<CheckItem> all = MixChecklist.Evaluate(_meter!.GetMeasurement(new MixFormat(_rate, 2, 32, true, "the box's input")), _genre);
        var shown = new CheckItem[ItemIds.Length];
        foreach (CheckItem item in all)
        {
            int index = Array.IndexOf(ItemIds, item.Id);
            if (index >= 0)
            {
                shown[index] = item;
            }
        }

        _framesAtJudge = _frames;
        Judgements++;
        lock (_gate)
        {
            _seconds = (double)_frames / _rate;
            _items = shown;
            for (int i = 0; i < shown.Length; i++)
            {
                CheckItem item = shown[i];
                _lines[i] = new ReadyLine((int)item.Verdict, item.Value ?? double.NaN, item.Unit);
            }
        }
    }

    private void ClearLines()
    {
        for (int i = 0; i < _lines.Length; i++)
        {
            _lines[i] = new ReadyLine(-1, double.NaN, string.Empty);
        }
    }
}

/// <summary>The READY? verdicts at the end of a run (`--stats-json` <c>ready</c>).</summary>
/// <param name="SecondsHeard">Programme analysed since the last reset, s.</param>
/// <param name="DroppedFrames">Frames the analysis missed (its worker was behind).</param>
/// <param name="Items">One per item: id, verdict, value, unit, reason (as `check --json`).</param>
public sealed record ReadyStatistics(double SecondsHeard, long DroppedFrames, IReadOnlyList<ReadyItemStatistics> Items);

/// <summary>One READY? item in the statistics.</summary>
/// <param name="Id">The checklist id.</param>
/// <param name="Verdict">pass, warn or fail.</param>
/// <param name="Value">The measured value, or null.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Reason">The checklist's one line.</param>
public sealed record ReadyItemStatistics(string Id, string Verdict, double? Value, string Unit, string Reason);
