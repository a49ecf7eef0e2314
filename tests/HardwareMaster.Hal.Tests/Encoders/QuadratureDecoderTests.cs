using HardwareMaster.Hal.Encoders;

namespace HardwareMaster.Hal.Tests.Encoders;

public class QuadratureDecoderTests
{
    // Clockwise Gray sequence as (A,B) states: 00 -> 10 -> 11 -> 01 -> 00.
    private static readonly (bool A, bool B)[] Clockwise = [(false, false), (true, false), (true, true), (false, true)];

    internal static List<(bool A, bool B)> Sequence(int detents, int transitionsPerDetent, int bouncesPerEdge, int seed = 1)
    {
        var random = new Random(seed);
        var samples = new List<(bool A, bool B)> { Clockwise[0] };
        int direction = Math.Sign(detents);
        int position = 0;
        int steps = Math.Abs(detents) * (4 / (4 / transitionsPerDetent)) * (4 / transitionsPerDetent) / (4 / transitionsPerDetent);
        steps = Math.Abs(detents) * transitionsPerDetent;
        for (int i = 0; i < steps; i++)
        {
            (bool A, bool B) from = Clockwise[((position % 4) + 4) % 4];
            position += direction;
            (bool A, bool B) to = Clockwise[((position % 4) + 4) % 4];
            int bounces = bouncesPerEdge == 0 ? 0 : random.Next(0, bouncesPerEdge + 1);
            for (int k = 0; k < bounces; k++)
            {
                samples.Add(to);
                samples.Add(from);
            }

            samples.Add(to);
        }

        return samples;
    }

    private static int Run(QuadratureDecoder decoder, IEnumerable<(bool A, bool B)> samples)
    {
        int total = 0;
        foreach ((bool a, bool b) in samples)
        {
            total += decoder.Step(a, b);
        }

        return total;
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(4, -5)]
    [InlineData(2, 7)]
    [InlineData(2, -7)]
    [InlineData(1, 12)]
    [InlineData(1, -12)]
    public void Step_CleanSequence_CountsEveryDetentWithSign(int transitionsPerDetent, int detents)
    {
        var decoder = new QuadratureDecoder(transitionsPerDetent);
        Assert.Equal(detents, Run(decoder, Sequence(detents, transitionsPerDetent, 0)));
        Assert.Equal(0, decoder.InvalidTransitions);
    }

    [Theory]
    [InlineData(4, 20, 1)]
    [InlineData(4, -20, 2)]
    [InlineData(2, 15, 3)]
    [InlineData(2, -15, 4)]
    [InlineData(4, 9, 5)]
    public void Step_BouncySequence_CountsExactlyLikeClean(int transitionsPerDetent, int detents, int seed)
    {
        var decoder = new QuadratureDecoder(transitionsPerDetent);
        Assert.Equal(detents, Run(decoder, Sequence(detents, transitionsPerDetent, 4, seed)));
    }

    [Fact]
    public void Step_HalfDetentWiggle_EmitsNothing()
    {
        var decoder = new QuadratureDecoder(4);
        var samples = new List<(bool, bool)> { Clockwise[0] };
        for (int i = 0; i < 10; i++)
        {
            samples.Add(Clockwise[1]);
            samples.Add(Clockwise[2]);
            samples.Add(Clockwise[1]);
            samples.Add(Clockwise[0]);
        }

        Assert.Equal(0, Run(decoder, samples));
    }

    [Fact]
    public void Step_BothContactsChangeAtOnce_CountsInvalidAndResyncsAtRest()
    {
        var decoder = new QuadratureDecoder(4);
        // 00 -> 10 -> 11 (two cw transitions), then a missed edge: 11 -> 00 directly (invalid).
        int total = Run(decoder, [Clockwise[0], Clockwise[1], Clockwise[2], Clockwise[0]]);
        Assert.Equal(1, decoder.InvalidTransitions);
        Assert.Equal(1, total); // half a detent of net motion at rest counts as the detent
        Assert.Equal(3, Run(decoder, Sequence(3, 4, 0).Skip(1)));
    }

    [Fact]
    public void Step_ReversalMidDetent_DoesNotCountPartialDetents()
    {
        var decoder = new QuadratureDecoder(4);
        int total = Run(decoder, [Clockwise[0], Clockwise[1], Clockwise[0], Clockwise[3], Clockwise[2], Clockwise[1], Clockwise[0]]);
        Assert.Equal(-1, total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    public void Constructor_BadTransitionsPerDetent_Throws(int transitions) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuadratureDecoder(transitions));
}
