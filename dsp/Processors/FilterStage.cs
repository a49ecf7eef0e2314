using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Shared machinery of the filter processors: a published <see cref="CascadeDesign"/> (swapped by reference at
/// block start), double-precision state per channel and slot, and a double scratch buffer.
/// </summary>
public abstract class FilterStage : IAudioProcessor
{
    private readonly object _designLock = new();
    private readonly int _slots;
    private CascadeDesign _design = CascadeDesign.Empty;
    private double[][] _state = [];
    private double[] _scratch = [];
    private bool[] _slotUsed = [];
    private CascadeDesign? _activeDesign;
    private int _sampleRateHz;

    private protected FilterStage(int slots) => _slots = slots;

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>Sample rate given to the last <see cref="Prepare"/>, or 0 before it.</summary>
    protected int SampleRateHz => Volatile.Read(ref _sampleRateHz);

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
            _activeDesign = null;
            Volatile.Write(ref _sampleRateHz, spec.SampleRateHz);
            Volatile.Write(ref _design, BuildDesign(spec.SampleRateHz));
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
        var design = Volatile.Read(ref _design);
        if (!ReferenceEquals(design, _activeDesign))
        {
            // A band switched off keeps no stale memory for when it comes back.
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

            _activeDesign = design;
        }

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

    /// <summary>The design the audio thread runs (published by <see cref="Prepare"/> and every redesign).</summary>
    private protected CascadeDesign PublishedDesign => Volatile.Read(ref _design);

    /// <summary>Designs the sections for <paramref name="sampleRateHz"/> from the current settings. Control thread, under the design lock.</summary>
    private protected abstract CascadeDesign BuildDesign(int sampleRateHz);

    /// <summary>Redesigns and publishes, if prepared. Call after a settings change (control thread).</summary>
    private protected void Redesign()
    {
        lock (_designLock)
        {
            int fs = _sampleRateHz;
            if (fs > 0)
            {
                Volatile.Write(ref _design, BuildDesign(fs));
            }
        }
    }
}
