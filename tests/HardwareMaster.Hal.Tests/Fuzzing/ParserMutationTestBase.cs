namespace HardwareMaster.Fuzzing;

/// <summary>The parsers one test project puts through the CI mutation pass.</summary>
public interface IFuzzedParsers
{
    /// <summary>The parsers, each with its corpus folder and documented exception.</summary>
    static abstract IReadOnlyList<FuzzedParser> Parsers { get; }
}

/// <summary>
/// The shared part of the CI mutation tests (linked into HardwareMaster.Hal.Tests and HardwareMaster.App.Tests):
/// every saved crash input of <typeparamref name="TParsers"/>' parsers, and the assertion of one seeded pass.
/// A test class derives from it and only names its parsers (and one <c>[Fact]</c> per parser).
/// </summary>
/// <typeparam name="TParsers">The test class itself, naming its parsers.</typeparam>
public abstract class ParserMutationTestBase<TParsers>
    where TParsers : IFuzzedParsers
{
    /// <summary>Saved crash inputs of the parsers the test class names.</summary>
    public static IEnumerable<object[]> CrashFiles => MutationPass.CrashFiles([.. TParsers.Parsers]);

    /// <summary>Each saved crash input either parses or throws a documented exception.</summary>
    [Theory]
    [MemberData(nameof(CrashFiles))]
    public void Parser_SavedCrashInput_ParsesOrThrowsDocumentedException(string parser, string fileName)
    {
        string failure = MutationPass.RunCrashInput(TParsers.Parsers, parser, fileName);

        Assert.True(failure.Length == 0, failure);
    }

    /// <summary>Runs the seeded pass of <paramref name="parser"/>: the seeds and its mutants parse or throw its documented exception.</summary>
    protected static void AssertPassSucceeds(FuzzedParser parser)
    {
        string failures = MutationPass.Run(parser);

        Assert.True(failures.Length == 0, failures);
    }
}
