namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Picks the generic handler instantiation for a decoded shape: which operation, which shift (or none) or extend,
/// which width. Written as nested generic selectors so every combination is one specialised method.
/// </summary>
internal static unsafe class RegisterHandlerTables
{
    /// <summary>
    /// <paramref name="operation"/> is opc:N (0 AND, 1 BIC, 2 ORR, 3 ORN, 4 EOR, 5 EON, 6 ANDS, 7 BICS);
    /// <paramref name="shift"/> is the shift type, or -1 when the amount is zero.
    /// </summary>
    public static delegate*<Arm64Cpu, ref Decoding.Op, void> Logical(int operation, int shift, bool is64) => operation switch
    {
        0 => Logical<AndOperation>(shift, is64, flags: false),
        1 => Logical<BicOperation>(shift, is64, flags: false),
        2 => Logical<OrrOperation>(shift, is64, flags: false),
        3 => Logical<OrnOperation>(shift, is64, flags: false),
        4 => Logical<EorOperation>(shift, is64, flags: false),
        5 => Logical<EonOperation>(shift, is64, flags: false),
        6 => Logical<AndOperation>(shift, is64, flags: true),
        _ => Logical<BicOperation>(shift, is64, flags: true),
    };

    /// <summary><paramref name="operation"/> is op:S (0 ADD, 1 ADDS, 2 SUB, 3 SUBS); <paramref name="shift"/> as for <see cref="Logical(int, int, bool)"/>.</summary>
    public static delegate*<Arm64Cpu, ref Decoding.Op, void> AddSubtract(int operation, int shift, bool is64) => shift switch
    {
        -1 => AddSubtract<NoShift>(operation, is64),
        0 => AddSubtract<LogicalShiftLeft>(operation, is64),
        1 => AddSubtract<LogicalShiftRight>(operation, is64),
        _ => AddSubtract<ArithmeticShiftRight>(operation, is64),
    };

    /// <summary><paramref name="option"/> is the extend type (UXTB … SXTX).</summary>
    public static delegate*<Arm64Cpu, ref Decoding.Op, void> AddSubtractExtended(int operation, int option, bool is64) => option switch
    {
        0 => Extended<ExtendUxtb>(operation, is64),
        1 => Extended<ExtendUxth>(operation, is64),
        2 => Extended<ExtendUxtw>(operation, is64),
        3 => Extended<ExtendUxtx>(operation, is64),
        4 => Extended<ExtendSxtb>(operation, is64),
        5 => Extended<ExtendSxth>(operation, is64),
        6 => Extended<ExtendSxtw>(operation, is64),
        _ => Extended<ExtendUxtx>(operation, is64), // SXTX: the full register, no extension needed
    };

    private static delegate*<Arm64Cpu, ref Decoding.Op, void> Logical<TOperation>(int shift, bool is64, bool flags)
        where TOperation : struct, ILogicalOperation => shift switch
    {
        -1 => Logical<TOperation, NoShift>(is64, flags),
        0 => Logical<TOperation, LogicalShiftLeft>(is64, flags),
        1 => Logical<TOperation, LogicalShiftRight>(is64, flags),
        2 => Logical<TOperation, ArithmeticShiftRight>(is64, flags),
        _ => Logical<TOperation, RotateRight>(is64, flags),
    };

    private static delegate*<Arm64Cpu, ref Decoding.Op, void> Logical<TOperation, TShift>(bool is64, bool flags)
        where TOperation : struct, ILogicalOperation
        where TShift : struct, IShift => (is64, flags) switch
    {
        (true, false) => &RegisterHandlers.Logical64<TOperation, TShift>,
        (false, false) => &RegisterHandlers.Logical32<TOperation, TShift>,
        (true, true) => &RegisterHandlers.LogicalFlags64<TOperation, TShift>,
        (false, true) => &RegisterHandlers.LogicalFlags32<TOperation, TShift>,
    };

    private static delegate*<Arm64Cpu, ref Decoding.Op, void> AddSubtract<TShift>(int operation, bool is64)
        where TShift : struct, IShift => (operation, is64) switch
    {
        (0, true) => &RegisterHandlers.Add64<TShift>,
        (1, true) => &RegisterHandlers.Adds64<TShift>,
        (2, true) => &RegisterHandlers.Sub64<TShift>,
        (3, true) => &RegisterHandlers.Subs64<TShift>,
        (0, false) => &RegisterHandlers.Add32<TShift>,
        (1, false) => &RegisterHandlers.Adds32<TShift>,
        (2, false) => &RegisterHandlers.Sub32<TShift>,
        _ => &RegisterHandlers.Subs32<TShift>,
    };

    private static delegate*<Arm64Cpu, ref Decoding.Op, void> Extended<TExtend>(int operation, bool is64)
        where TExtend : struct, IExtend => (operation, is64) switch
    {
        (0, true) => &RegisterHandlers.AddExtended64<TExtend>,
        (1, true) => &RegisterHandlers.AddsExtended64<TExtend>,
        (2, true) => &RegisterHandlers.SubExtended64<TExtend>,
        (3, true) => &RegisterHandlers.SubsExtended64<TExtend>,
        (0, false) => &RegisterHandlers.AddExtended32<TExtend>,
        (1, false) => &RegisterHandlers.AddsExtended32<TExtend>,
        (2, false) => &RegisterHandlers.SubExtended32<TExtend>,
        _ => &RegisterHandlers.SubsExtended32<TExtend>,
    };
}
