namespace HardwareMaster.App.Ui;

/// <summary>One line of the READY? page.</summary>
/// <param name="Verdict">0 pass, 1 warn, 2 fail, −1 not judged yet.</param>
/// <param name="Value">The measured value (NaN when none).</param>
/// <param name="Unit">Its unit (a constant string).</param>
public readonly record struct ReadyLine(int Verdict, double Value, string Unit);

/// <summary>The READY? page's analysis: the pre-mastering checklist over what the box has heard since the last reset.</summary>
/// <remarks>UI thread; <see cref="Read"/> allocates nothing.</remarks>
public interface IBoxReadiness
{
    /// <summary>The items shown, in order (headroom, clipping, already limited, DC, correlation, low-end mono, balance).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>While true (the page is shown) the analysis re-judges about once a second; otherwise it only listens.</summary>
    bool Judging { get; set; }

    /// <summary>Copies the latest verdicts into <paramref name="lines"/> (one per <see cref="Labels"/>) and returns the seconds heard.</summary>
    /// <param name="lines">Where to copy.</param>
    /// <returns>Seconds of programme since the last reset.</returns>
    double Read(Span<ReadyLine> lines);

    /// <summary>Starts again from silence (a new song).</summary>
    void Reset();
}
