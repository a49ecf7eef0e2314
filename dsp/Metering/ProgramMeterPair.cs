using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// A chain's input and output <see cref="ProgramMeter"/>s measured together: attach <see cref="InputTap"/> and
/// <see cref="OutputTap"/> to <see cref="MasteringChain.SetInputTap"/> and <see cref="MasteringChain.SetOutputTap"/>.
/// The input tap copies the block; the output tap then measures both blocks in one pass whose two K-weighting
/// recursions interleave (cheaper than two separate meters, results bit-identical to them).
/// </summary>
/// <remarks>
/// The input meter lags by the input block until the output tap (or <see cref="Flush"/>) runs: after
/// <see cref="MasteringChain.Process"/> returns nothing is pending; after <see cref="MasteringChain.ProcessUntil"/>
/// (no output tap) call <see cref="Flush"/> before reading <see cref="Input"/>. Blocks longer than the capacity given
/// to the constructor are measured separately (correct, just not fused). Not thread-safe: audio thread only, like
/// <see cref="ProgramMeter"/>. Allocation-free after construction.
/// </remarks>
public sealed class ProgramMeterPair
{
    private readonly float[] _pendingLeft;
    private readonly float[] _pendingRight;
    private readonly KWeightingFilter[] _filters = new KWeightingFilter[4];
    private readonly double[] _sums = new double[4];
    private int _pendingFrames = -1;

    /// <summary>Creates the pair.</summary>
    /// <param name="input">Meter of the chain's input (stereo for the fused path).</param>
    /// <param name="output">Meter of the chain's output (stereo, same rate, for the fused path).</param>
    /// <param name="maxBlockFrames">Largest block fused (the chain's MaxBlockFrames), 1 – 65 536.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBlockFrames"/> out of range.</exception>
    public ProgramMeterPair(ProgramMeter input, ProgramMeter output, int maxBlockFrames)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockFrames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBlockFrames, 65536);
        Input = input;
        Output = output;
        _pendingLeft = new float[maxBlockFrames];
        _pendingRight = new float[maxBlockFrames];
        InputTap = new Tap(this, isInput: true);
        OutputTap = new Tap(this, isInput: false);
    }

    /// <summary>The input meter.</summary>
    public ProgramMeter Input { get; }

    /// <summary>Largest block measured in one fused pass (the capacity given to the constructor).</summary>
    public int MaxBlockFrames => _pendingLeft.Length;

    /// <summary>The output meter.</summary>
    public ProgramMeter Output { get; }

    /// <summary>Tap for <see cref="MasteringChain.SetInputTap"/>.</summary>
    public IAudioTap InputTap { get; }

    /// <summary>Tap for <see cref="MasteringChain.SetOutputTap"/>.</summary>
    public IAudioTap OutputTap { get; }

    /// <summary>Measures a pending input block, if any, on the input meter alone. Audio thread.</summary>
    public void Flush()
    {
        int frames = _pendingFrames;
        if (frames < 0)
        {
            return;
        }

        _pendingFrames = -1;
        Input.Process(_pendingLeft.AsSpan(0, frames), Input.Channels == 2 ? _pendingRight.AsSpan(0, frames) : default);
    }

    /// <summary>Drops a pending input block and resets both meters. Audio thread (or while no block is processed).</summary>
    public void Reset()
    {
        _pendingFrames = -1;
        Input.Reset();
        Output.Reset();
    }

    private void OnInput(AudioBlock block)
    {
        Flush();
        int frames = block.Frames;
        if (frames > _pendingLeft.Length || block.Channels != Input.Channels)
        {
            Input.Process(block);
            return;
        }

        block.Channel(0).CopyTo(_pendingLeft);
        if (block.Channels == 2)
        {
            block.Channel(1).CopyTo(_pendingRight);
        }

        _pendingFrames = frames;
    }

    private void OnOutput(AudioBlock block)
    {
        int frames = _pendingFrames;
        if (frames != block.Frames || block.Channels != 2 || Input.Channels != 2 || Output.Channels != 2)
        {
            Flush();
            Output.Process(block);
            return;
        }

        _pendingFrames = -1;
        ProgramMeter.ProcessTwo(
            Input,
            _pendingLeft.AsSpan(0, frames),
            _pendingRight.AsSpan(0, frames),
            Output,
            block.Channel(0),
            block.Channel(1),
            _filters,
            _sums);
    }

    private sealed class Tap(ProgramMeterPair pair, bool isInput) : IAudioTap
    {
        public void Process(AudioBlock block)
        {
            if (isInput)
            {
                pair.OnInput(block);
            }
            else
            {
                pair.OnOutput(block);
            }
        }
    }
}
