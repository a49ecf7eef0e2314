using HardwareMaster.App.Box;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using Microsoft.Playwright;

namespace HardwareMaster.Web.Tests;

/// <summary>User slots from the page: listed with their names, saved through the box's own preset store, recalled.</summary>
[Collection(nameof(BoxCollection))]
public sealed class WebSlotTests(BoxUnderTest box)
{
    [Fact]
    public async Task Page_SaveToASlotThenRecallIt_WritesTheBoxsSlotFileAndRestoresTheValue()
    {
        await using IBrowserContext context = await box.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 }, // a tablet
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + box.Server.Secret.Display },
        });
        IPage page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        Assert.Equal(200, (await page.GotoAsync(box.Server.Address.ToString()))!.Status);
        await page.ClickAsync("nav button[data-page=presets]");

        // Slot 6 is used by no other test of the collection: listed, empty, nothing to recall.
        const int Slot = 6;
        string slotFile = Path.Combine(box.StateDirectory, $"user{Slot}.json");
        Assert.False(File.Exists(slotFile));
        Assert.Equal(BoxPresetStore.SlotCount, await page.Locator("#slots button[data-slot]").CountAsync());
        ILocator recall = page.Locator($"#slots button[data-slot='{Slot}']");
        ILocator save = page.Locator($"#slots button[data-save='{Slot}']");
        await Assertions.Expect(recall).ToHaveTextAsync($"{Slot} · empty");
        await Assertions.Expect(recall).ToBeDisabledAsync();

        // The box is at a known width; Save asks for confirmation first, the second press saves.
        ParameterDefinition width = ParameterRegistry.Chain[ParameterIds.Width];
        double saved = width.Clamp(130);
        double other = width.Clamp(70);
        Assert.NotEqual(saved, other);
        await SetAsync(ParameterIds.Width, saved);
        await save.ClickAsync();
        await Assertions.Expect(save).ToHaveTextAsync("Confirm?");
        Assert.False(File.Exists(slotFile), "one press must not save");
        await save.ClickAsync();
        await BoxUnderTest.Until(() => File.Exists(slotFile), $"{slotFile} to be written");
        string name = BoxPresetStore.DefaultSlotName(Slot - 1);
        await Assertions.Expect(recall).ToHaveTextAsync($"{Slot} · {name}");
        await Assertions.Expect(recall).ToBeEnabledAsync();
        Assert.Contains(ParameterIds.Width, await File.ReadAllTextAsync(slotFile));
        Assert.Empty(Directory.GetFiles(box.StateDirectory, ".*.part*")); // written atomically (AtomicFile): no temporary file left

        // Move away, recall the slot from the page: the saved value is back on the box.
        await SetAsync(ParameterIds.Width, other);
        await recall.ClickAsync();
        await BoxUnderTest.Until(() => Math.Abs(box.Value(ParameterIds.Width) - saved) < 1e-9, $"width to come back to {saved}");
        await BoxUnderTest.Until(() => box.Hub.State.PresetName == name, $"the preset name to become {name}");
        await Assertions.Expect(page.Locator("#preset-name")).ToHaveTextAsync(name);

        // A fresh page lists the saved slot from /api/state.
        await page.ReloadAsync();
        await page.ClickAsync("nav button[data-page=presets]");
        await Assertions.Expect(page.Locator($"#slots button[data-slot='{Slot}']")).ToHaveTextAsync($"{Slot} · {name}");
        Assert.Empty(errors);
    }

    private async Task SetAsync(string id, double value)
    {
        Assert.True(box.Hub.Commands.TryEnqueue(RemoteCommand.Set(BoxUnderTest.Index(id), value, RemoteOrigin.Test)));
        await BoxUnderTest.Until(() => Math.Abs(box.Value(id) - value) < 1e-9, $"{id} to become {value}");
    }
}
