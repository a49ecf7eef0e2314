using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class ReadBlocksTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReadBlocks_WholeFile_EverySampleOnceInOrderInBlocksNoLongerThanAsked(int channels)
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-blocks-" + Guid.NewGuid().ToString("N") + ".wav");
        const int frames = 10_000;
        var interleaved = new float[frames * channels];
        for (int i = 0; i < interleaved.Length; i++)
        {
            interleaved[i] = (i % 1000) / 1000f;
        }

        try
        {
            using (AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Float32, 48000, channels))
            {
                writer.Write(interleaved);
                writer.Complete();
            }

            var left = new List<float>();
            var right = new List<float>();
            int longest = 0;
            using (AudioFileReader reader = AudioFileReader.Open(path))
            {
                reader.ReadBlocks(4096, (l, r) =>
                {
                    Assert.Equal(channels == 2 ? l.Length : 0, r.Length);
                    longest = Math.Max(longest, l.Length);
                    left.AddRange(l.ToArray());
                    right.AddRange(r.ToArray());
                });
            }

            Assert.Equal(4096, longest);
            Assert.Equal(interleaved.Where((_, i) => i % channels == 0), left);
            Assert.Equal(channels == 2 ? interleaved.Where((_, i) => i % 2 == 1) : [], right);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
