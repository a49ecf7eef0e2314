namespace HardwareMaster.Hal.Tests.Architecture;

/// <summary>hal/ and dsp/ keep namespace = folder and file name = type (hal/README.md, "Where things are").</summary>
public sealed class SourceLayoutTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "hm-layout-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Theory]
    [InlineData("hal", "HardwareMaster.Hal")]
    [InlineData("dsp", "HardwareMaster.Dsp")]
    public void Problems_ProjectSources_NoneBreakTheLayoutRule(string folder, string rootNamespace)
    {
        string project = Path.Combine(SourceLayout.RepositoryRoot(), folder);
        Assert.True(File.Exists(Path.Combine(project, $"{rootNamespace}.csproj")), "project not found at " + project);

        Assert.Empty(SourceLayout.Problems(project, rootNamespace));
    }

    [Fact]
    public void Problems_WrongFileNameAndNamespace_ReportsBoth()
    {
        Write("Audio/Generators/ClockedAudioDevice.cs", "namespace Root.Audio.Generators;\n\npublic sealed class GeneratorAudioDevice\n{\n}\n");
        Write("Audio/FileDevice/FileAudioDevice.cs", "namespace Root.Audio.Files;\n\npublic sealed class FileAudioDevice\n{\n}\n");

        Assert.Equal(
            [
                "Audio/FileDevice/FileAudioDevice.cs: namespace Root.Audio.Files, expected Root.Audio.FileDevice",
                "Audio/Generators/ClockedAudioDevice.cs: named ClockedAudioDevice but declares GeneratorAudioDevice",
            ],
            SourceLayout.Problems(_scratch, "Root"));
    }

    [Fact]
    public void Problems_CompanionTypesAndDelegates_AreAllowedBesideTheNamedType()
    {
        Write(
            "Audio/AudioDeviceFactory.cs",
            "namespace Root.Audio;\n\npublic delegate int AudioDeviceCreator(string spec);\n\n"
            + "public enum Mode\n{\n    A,\n}\n\npublic static class AudioDeviceFactory\n{\n}\n");
        Write("Audio/AudioOutputTap.cs", "namespace Root.Audio;\n\npublic delegate void AudioOutputTap<T>(T value);\n");
        Write("bin/Release/Stray.cs", "namespace Elsewhere;\n\npublic class Other\n{\n}\n");

        Assert.Empty(SourceLayout.Problems(_scratch, "Root"));
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_scratch, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
