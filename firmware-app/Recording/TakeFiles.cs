using System.Globalization;
using System.Text;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Recording;

/// <summary>
/// The record folder's files: take names (<c>take-NNNN-input.wav</c> + <c>take-NNNN-master.wav</c>, or
/// <c>take-NNNN.wav</c> with four channels, plus <c>take-NNNN.json</c> / <c>.txt</c>), the hidden marker of an open take
/// (<c>.take-NNNN.recording</c>, its files one per line) and its space reserve (<c>.take-NNNN.reserve</c>).
/// </summary>
internal static class TakeFiles
{
    private const string MarkerSuffix = ".recording";

    /// <summary>The next free take: one number above every take (or marker) in the folder, whose files do not exist.</summary>
    /// <param name="options">Folder and layout.</param>
    /// <returns>The name and the audio paths.</returns>
    public static (string Name, string[] Paths) NextTake(RecorderOptions options)
    {
        int highest = 0;
        foreach (string path in Directory.EnumerateFiles(options.Directory, "*take-*"))
        {
            string file = Path.GetFileName(path).TrimStart('.');
            if (file.StartsWith("take-", StringComparison.Ordinal) && file.Length >= 9
                && int.TryParse(file.AsSpan(5, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                highest = Math.Max(highest, number);
            }
        }

        for (int number = highest + 1; ; number++)
        {
            string name = "take-" + number.ToString("0000", CultureInfo.InvariantCulture);
            string[] paths = options.FourChannel
                ? [Path.Combine(options.Directory, name + ".wav")]
                : [Path.Combine(options.Directory, name + "-input.wav"), Path.Combine(options.Directory, name + "-master.wav")];
            if (!paths.Any(File.Exists)) // TakeWriter opens with CreateNew too: never an overwrite
            {
                return (name, paths);
            }
        }
    }

    /// <summary>The hidden marker of an open take.</summary>
    public static string MarkerPath(string directory, string name) => Path.Combine(directory, "." + name + MarkerSuffix);

    /// <summary>The hidden space reserve of an open take.</summary>
    public static string ReservePath(string directory, string name) => Path.Combine(directory, "." + name + ".reserve");

    /// <summary>Writes <paramref name="bytes"/> zeros and syncs them (room for the report when the disk fills).</summary>
    /// <remarks>
    /// A stale reserve left by a killed run is a regular file and is replaced; anything else at that name (a link, a
    /// FIFO, a folder) is refused with an <see cref="IOException"/> and left alone, never followed or truncated.
    /// </remarks>
    public static void WriteReserve(string path, int bytes)
    {
        FileKind kind = FileIdentity.Of(path).Kind;
        bool link = new FileInfo(path).LinkTarget is not null;
        if (link || kind is not (FileKind.Missing or FileKind.Regular))
        {
            throw new IOException($"{path}: exists and is not a regular file; the recorder leaves it alone");
        }

        if (kind == FileKind.Regular)
        {
            File.Delete(path); // a stale reserve of a killed run
        }

        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        stream.Write(new byte[bytes]);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes the marker listing the take's files, synced.</summary>
    public static void WriteMarker(string path, IReadOnlyList<string> files)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        stream.Write(Encoding.UTF8.GetBytes(string.Join('\n', files.Select(Path.GetFileName)) + "\n"));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Deletes a file, ignoring a folder that is gone.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the folder vanished: nothing to delete
        }
    }

    /// <summary><c>true</c> when <paramref name="ex"/> says the disk is full (ENOSPC / ERROR_DISK_FULL).</summary>
    public static bool IsDiskFull(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            int code = e.HResult & 0xFFFF;
            if (code is 28 or 112 or 39 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("disk full", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Free bytes where the folder is, or −1 when it cannot be told (folder gone).</summary>
    public static long FreeBytes(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace : -1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Start-up: every marker left in the folder is a take a crash or power cut interrupted; its files are repaired from
    /// their length (<see cref="TakeRepair"/>), a report is written (reason <c>repaired</c>, loudness measured from the
    /// master when it is stereo), the journal says so, and the marker goes.
    /// </summary>
    /// <param name="options">The folder.</param>
    /// <param name="logger">The journal.</param>
    /// <returns>The repaired takes.</returns>
    public static IReadOnlyList<TakeSummary> RepairUnfinished(RecorderOptions options, ILogger logger)
    {
        var repaired = new List<TakeSummary>();
        if (!Directory.Exists(options.Directory))
        {
            return repaired;
        }

        foreach (string marker in Directory.EnumerateFiles(options.Directory, ".take-*" + MarkerSuffix).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(marker)[1..^MarkerSuffix.Length];
            TryDelete(ReservePath(options.Directory, name));
            var files = new List<string>();
            var results = new List<TakeRepairResult>();
            string? problem = null;
            try
            {
                foreach (string line in File.ReadAllLines(marker))
                {
                    string path = Path.Combine(options.Directory, Path.GetFileName(line.Trim()));
                    if (line.Trim().Length == 0 || !File.Exists(path))
                    {
                        continue;
                    }

                    files.Add(path);
                    results.Add(TakeRepair.Repair(path, options.Rf64ThresholdBytes));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AudioFileException)
            {
                problem = ex.Message;
            }

            double seconds = results.Count > 0 ? results.Min(r => r.Seconds) : 0;
            var report = new TakeReport
            {
                Take = name,
                Files = files.Select(f => Path.GetFileName(f)).ToArray(),
                Layout = results.Count == 1 && results[0].Channels == 4 ? "quad" : "pair",
                Format = results.Count > 0 ? $"WAV, {results[0].SampleRateHz} Hz, {results[0].Channels} channels{(results.Any(r => r.Rf64) ? " (RF64)" : string.Empty)}" : "none",
                SampleRateHz = results.Count > 0 ? results[0].SampleRateHz : 0,
                Started = File.GetCreationTime(marker),
                Seconds = seconds,
                EndReason = "repaired",
                Error = problem ?? "the take was not closed (power cut or crash); repaired at start-up from the file length, the last second may be missing",
                Master = MeasureMaster(files),
            };
            string? reportPath = report.TryWrite(options.Directory, out string? reportProblem);
            if (problem is null)
            {
                TryDelete(marker);
                logger.LogWarning("recorder: repaired unfinished take {Take}: {Files} ({Seconds:0.0} s kept){Report}", name, string.Join(", ", files.Select(Path.GetFileName)), seconds, reportPath is null ? "; report not written: " + reportProblem : string.Empty);
            }
            else
            {
                logger.LogError("recorder: unfinished take {Take} could not be repaired: {Problem}", name, problem);
            }

            repaired.Add(new TakeSummary(name, files, seconds, "repaired", problem, 0, reportPath));
        }

        return repaired;
    }

    private static LoudnessReport? MeasureMaster(List<string> files)
    {
        string? master = files.FirstOrDefault(f => f.EndsWith("-master.wav", StringComparison.Ordinal));
        if (master is null)
        {
            return null;
        }

        try
        {
            using AudioFileReader reader = AudioFileReader.Open(master);
            var meter = new ProgramMeter(reader.Format.SampleRateHz, 2);
            float[] left = new float[4096];
            float[] right = new float[4096];
            int frames;
            while ((frames = reader.ReadPlanar(left, right)) > 0)
            {
                meter.Process(left.AsSpan(0, frames), right.AsSpan(0, frames));
            }

            return meter.GetReport();
        }
        catch (Exception ex) when (ex is IOException or AudioFileException)
        {
            return null;
        }
    }
}
