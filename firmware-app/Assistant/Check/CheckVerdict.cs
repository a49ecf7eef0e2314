namespace HardwareMaster.App.Assistant.Check;

/// <summary>The verdict of one item of the pre-mastering checklist.</summary>
internal enum CheckVerdict
{
    /// <summary>Ready for mastering on this point.</summary>
    Pass,

    /// <summary>Worth a look (or a fix in the mix); mastering can still go ahead.</summary>
    Warn,

    /// <summary>Fix it in the mix first: mastering cannot undo it.</summary>
    Fail,
}
