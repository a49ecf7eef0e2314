using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Rendering;

/// <summary>
/// Keeps the <see cref="IRenderTrace"/> contract that a bypassed stage reports 0 dB of gain reduction: the chain's
/// dynamics stages keep their detectors' last readings while bypassed, so the renderer hands the trace through this.
/// </summary>
/// <param name="inner">The caller's trace.</param>
/// <param name="compressorRuns">False when <c>comp.bypass</c> is on.</param>
/// <param name="limiterRuns">False when <c>limiter.bypass</c> is on.</param>
internal sealed class StageAwareTrace(IRenderTrace inner, bool compressorRuns, bool limiterRuns) : IRenderTrace
{
    /// <summary>The request with its trace wrapped (unchanged when it has none or it is wrapped already).</summary>
    public static RenderRequest Wrap(RenderRequest request) => request.Trace is null or StageAwareTrace
        ? request
        : request with { Trace = new StageAwareTrace(request.Trace, !request.Values.IsOn(ParameterIds.CompBypass), !request.Values.IsOn(ParameterIds.LimiterBypass)) };

    /// <inheritdoc />
    public void Begin(int sampleRateHz, int channels) => inner.Begin(sampleRateHz, channels);

    /// <inheritdoc />
    public void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => inner.Input(left, right);

    /// <inheritdoc />
    public void BeginWritePass() => inner.BeginWritePass();

    /// <inheritdoc />
    public void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => inner.Output(left, right);

    /// <inheritdoc />
    public void GainReduction(double compressorDb, double limiterDb, int frames) =>
        inner.GainReduction(compressorRuns ? compressorDb : 0, limiterRuns ? limiterDb : 0, frames);
}
