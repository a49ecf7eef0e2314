using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Shared machinery of the filter processors: a <see cref="CascadeDesign"/> handed to the audio thread through a
/// triple buffer (picked up at block start), double-precision state per channel and slot, and a double scratch buffer.
/// </summary>
/// <remarks>
/// <para>
/// The triple buffer: three preallocated designs. The control thread (under the design lock) fills the one it owns
/// (back) and swaps it with the shared one (middle), marking it fresh, in one atomic exchange. The audio thread, at
/// block start, swaps a fresh middle with the one it runs (front) in one atomic exchange. The writer never touches the
/// front and the reader never the back, so a design is refilled only once the audio thread can no longer be reading it,
/// a redesign allocates nothing, and the audio thread never sees a half-written design; when several redesigns happen
/// between two blocks the audio thread gets the latest.
/// </para>
/// </remarks>
public abstract class FilterStage : IAudioProcessor
{
    private const int Fresh = 4; // bit set in _middle when it holds a design the audio thread has not taken yet
    private const int IndexMask = 3;

    private readonly object _designLock = new();
    private readonly int _slots;
    private readonly CascadeDesign[] _designs;
    private int _middle = 1;      // shared: index | Fresh
    private int _back = 2;        // control thread, under the design lock
    private int _latest = 1;      // control thread, under the design lock: the last design published (middle or front)
    private int _front;           // audio thread
    private double[][] _state = [];
    private double[] _scratch = [];
    private bool[] _slotUsed = [];
    private int _sampleRateHz;

    private protected FilterStage(int slots)
    {
        _slots = slots;
        _designs = [new CascadeDesign(slots), new CascadeDesign(slots), new CascadeDesign(slots)];
    }

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>Sample rate given to the last <see cref="Prepare"/>, or 0 before it.</summary>
    protected int SampleRateHz => Volatile.Read(ref _sampleRateHz);

    /// <summary>The lock that serialises settings changes and redesigns (control threads only; never the audio thread).</summary>
    private protected object DesignLock => _designLock;

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        lock (_designLock)
        {
            _state = new double[spec.Channels][];
            for (int c = 0; c < spec.Channels; c++)
            {
                _state[c] = new double[_slots * 2];
            }

            _scratch = new double[spec.MaxBlockFrames * 2];
            _slotUsed = new bool[_slots];
            Volatile.Write(ref _sampleRateHz, spec.SampleRateHz);
            Publish(spec.SampleRateHz);
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        foreach (var channel in _state)
        {
            Array.Clear(channel);
        }
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        if ((Volatile.Read(ref _middle) & Fresh) != 0)
        {
            _front = Interlocked.Exchange(ref _middle, _front) & IndexMask;
            ClearUnusedSlots(_designs[_front]);
        }

        var design = _designs[_front];
        int channels = Math.Min(block.Channels, _state.Length);
        if (channels == 2)
        {
            // Both channels in the two lanes of a Vector128<double>: the same arithmetic as the scalar path.
            BiquadKernel.ProcessStereo(design, block.Channel(0), block.Channel(1), _state[0], _state[1], _scratch);
            return;
        }

        for (int c = 0; c < channels; c++)
        {
            BiquadKernel.ProcessChannel(design, block.Channel(c), _state[c], _scratch);
        }
    }

    /// <summary>The design the audio thread runs (tests). Audio thread only, between blocks.</summary>
    internal CascadeDesign RunningDesign => _designs[_front];

    /// <summary>The design last published (what the audio thread runs from its next block on). Caller holds <see cref="DesignLock"/>.</summary>
    private protected CascadeDesign PublishedDesign => _designs[_latest];

    /// <summary>
    /// Fills <paramref name="destination"/> (cleared) with the sections for <paramref name="sampleRateHz"/> from the
    /// current settings. Control thread, under the design lock; must not allocate on the normal path.
    /// </summary>
    private protected abstract void BuildDesign(int sampleRateHz, CascadeDesign destination);

    /// <summary>Redesigns and publishes, if prepared. Call after a settings change (control thread, holding or not holding <see cref="DesignLock"/>).</summary>
    private protected void Redesign()
    {
        lock (_designLock)
        {
            int fs = _sampleRateHz;
            if (fs > 0)
            {
                Publish(fs);
            }
        }
    }

    // Caller holds _designLock.
    private void Publish(int sampleRateHz)
    {
        CascadeDesign back = _designs[_back];
        back.Clear();
        BuildDesign(sampleRateHz, back);
        _latest = _back;
        _back = Interlocked.Exchange(ref _middle, _back | Fresh) & IndexMask;
    }

    // A band switched off keeps no stale memory for when it comes back. Audio thread.
    private void ClearUnusedSlots(CascadeDesign design)
    {
        Array.Clear(_slotUsed);
        foreach (int slot in design.Slots)
        {
            _slotUsed[slot] = true;
        }

        foreach (var channel in _state)
        {
            for (int slot = 0; slot < _slotUsed.Length; slot++)
            {
                if (!_slotUsed[slot])
                {
                    channel[2 * slot] = 0;
                    channel[(2 * slot) + 1] = 0;
                }
            }
        }
    }
}
