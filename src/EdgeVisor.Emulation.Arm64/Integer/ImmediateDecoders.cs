using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Decoders for the data-processing-immediate classes. Everything that depends only on the encoding (targets,
/// bit masks, shift counts) is computed here once, so the handlers in <see cref="ImmediateHandlers"/> are one-liners.
/// </summary>
internal static unsafe class ImmediateDecoders
{
    /// <summary>ADR/ADRP: the target is a constant, so both become a move of the precomputed address.</summary>
    public static bool PcRelative(uint raw, ref Op op)
    {
        long imm = ((long)((ulong)(((raw >> 5) & 0x7FFFF) << 2 | ((raw >> 29) & 3)) << 43)) >> 43;
        bool page = (raw >> 31) != 0;
        op.Imm = page ? (op.Address & ~0xFFFUL) + (ulong)(imm << 12) : op.Address + (ulong)imm;
        op.Rd = Reg.ZrDestination(raw & 31);
        op.Handler = &ImmediateHandlers.MoveImmediate;
        return true;
    }

    /// <summary>ADD/ADDS/SUB/SUBS (immediate), including MOV to/from SP and CMP/CMN.</summary>
    public static bool AddSubtract(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        bool subtract = ((raw >> 30) & 1) != 0;
        bool setFlags = ((raw >> 29) & 1) != 0;
        uint shift = (raw >> 22) & 1;
        op.Imm = ((raw >> 10) & 0xFFF) << (int)(shift * 12);
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Rd = setFlags ? Reg.ZrDestination(raw & 31) : Reg.SpOrRegister(raw & 31);
        if (setFlags)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        op.Handler = (is64, subtract, setFlags) switch
        {
            (true, false, false) => op.Imm == 0 ? &ImmediateHandlers.Move64 : &ImmediateHandlers.AddImmediate64,
            (true, true, false) => &ImmediateHandlers.SubImmediate64,
            (true, false, true) => &ImmediateHandlers.AddsImmediate64,
            (true, true, true) => &ImmediateHandlers.SubsImmediate64,
            (false, false, false) => &ImmediateHandlers.AddImmediate32,
            (false, true, false) => &ImmediateHandlers.SubImmediate32,
            (false, false, true) => &ImmediateHandlers.AddsImmediate32,
            (false, true, true) => &ImmediateHandlers.SubsImmediate32,
        };
        return true;
    }

    /// <summary>AND/ORR/EOR/ANDS (immediate); the bit mask is decoded here and reserved masks are undefined.</summary>
    public static bool Logical(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint n = (raw >> 22) & 1;
        if (!is64 && n != 0)
        {
            return false;
        }

        if (!BitMasks.TryDecodeLogicalImmediate(n, (raw >> 10) & 0x3F, (raw >> 16) & 0x3F, is64 ? 64 : 32, out ulong mask))
        {
            return false;
        }

        uint opc = (raw >> 29) & 3;
        op.Imm = mask;
        op.Rn = Reg.ZrSource((raw >> 5) & 31);
        op.Rd = opc == 3 ? Reg.ZrDestination(raw & 31) : Reg.SpOrRegister(raw & 31);
        if (opc == 3)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        if (opc == 1 && op.Rn == Reg.Zero)
        {
            op.Handler = &ImmediateHandlers.MoveImmediate; // MOV (bitmask immediate)
            return true;
        }

        op.Handler = (opc, is64) switch
        {
            (0, _) => &ImmediateHandlers.AndImmediate, // the mask has no bits above 31 in the 32-bit form
            (1, true) => &ImmediateHandlers.OrrImmediate64,
            (1, false) => &ImmediateHandlers.OrrImmediate32,
            (2, true) => &ImmediateHandlers.EorImmediate64,
            (2, false) => &ImmediateHandlers.EorImmediate32,
            (_, true) => &ImmediateHandlers.AndsImmediate64,
            (_, false) => &ImmediateHandlers.AndsImmediate32,
        };
        return true;
    }

    /// <summary>MOVN/MOVZ become a move of the final constant; MOVK keeps a mask of the bits it replaces.</summary>
    public static bool MoveWide(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint opc = (raw >> 29) & 3;
        uint hw = (raw >> 21) & 3;
        if (opc == 1 || (!is64 && hw >= 2))
        {
            return false;
        }

        int shift = (int)hw * 16;
        ulong imm = (ulong)((raw >> 5) & 0xFFFF) << shift;
        op.Rd = Reg.ZrDestination(raw & 31);
        switch (opc)
        {
            case 0: // MOVN
                op.Imm = is64 ? ~imm : (uint)~imm;
                op.Handler = &ImmediateHandlers.MoveImmediate;
                break;
            case 2: // MOVZ
                op.Imm = imm;
                op.Handler = &ImmediateHandlers.MoveImmediate;
                break;
            default: // MOVK
                op.Imm = imm;
                op.Amount = (byte)shift;
                op.Handler = is64 ? &ImmediateHandlers.MoveKeep64 : &ImmediateHandlers.MoveKeep32;
                break;
        }

        return true;
    }

    /// <summary>
    /// SBFM/BFM/UBFM, specialised by shape: an extract (imms ≥ immr: LSR, ASR, UBFX, SBFX, SXTB…, BFXIL) or an
    /// insert at a left shift (imms &lt; immr: LSL, UBFIZ, SBFIZ, BFI).
    /// </summary>
    public static bool Bitfield(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint opc = (raw >> 29) & 3;
        uint n = (raw >> 22) & 1;
        int r = (int)((raw >> 16) & 0x3F);
        int s = (int)((raw >> 10) & 0x3F);
        if (opc == 3 || n != (is64 ? 1u : 0u) || (!is64 && (r >= 32 || s >= 32)))
        {
            return false;
        }

        int size = is64 ? 64 : 32;
        op.Rn = Reg.ZrSource((raw >> 5) & 31);
        op.Rd = Reg.ZrDestination(raw & 31);
        bool extract = s >= r;
        int width = extract ? s - r + 1 : s + 1;
        int lsb = extract ? r : size - r;
        op.Imm = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        op.Amount = (byte)lsb;

        // Sign extension by shifting the field's top bit up to bit 63 (or 31) and back arithmetically.
        op.A = (byte)(size - 1 - s);
        op.B = (byte)(size - 1 - s + (extract ? r : 0));
        op.C = (byte)(extract ? 0 : lsb);
        op.Handler = (opc, extract, is64) switch
        {
            (0, true, true) => &ImmediateHandlers.SignedExtract64,
            (0, true, false) => &ImmediateHandlers.SignedExtract32,
            (0, false, true) => &ImmediateHandlers.SignedInsertZero64,
            (0, false, false) => &ImmediateHandlers.SignedInsertZero32,
            (1, true, true) => &ImmediateHandlers.BitfieldExtractInsert64,
            (1, true, false) => &ImmediateHandlers.BitfieldExtractInsert32,
            (1, false, true) => &ImmediateHandlers.BitfieldInsert64,
            (1, false, false) => &ImmediateHandlers.BitfieldInsert32,
            (_, true, _) => s == size - 1 ? &ImmediateHandlers.ShiftRightLogical : &ImmediateHandlers.UnsignedExtract,
            (_, false, true) => &ImmediateHandlers.UnsignedInsertZero64,
            (_, false, false) => &ImmediateHandlers.UnsignedInsertZero32,
        };
        return true;
    }

    /// <summary>EXTR (and its alias ROR immediate).</summary>
    public static bool Extract(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint op21 = (raw >> 29) & 3;
        uint n = (raw >> 22) & 1;
        uint o0 = (raw >> 21) & 1;
        uint imms = (raw >> 10) & 0x3F;
        if (op21 != 0 || o0 != 0 || n != (is64 ? 1u : 0u) || (!is64 && imms >= 32))
        {
            return false;
        }

        op.Rm = Reg.ZrSource((raw >> 16) & 31);
        op.Rn = Reg.ZrSource((raw >> 5) & 31);
        op.Rd = Reg.ZrDestination(raw & 31);
        op.Amount = (byte)imms;
        op.Handler = is64 ? (imms == 0 ? &ImmediateHandlers.ExtractNone64 : &ImmediateHandlers.Extract64) : &ImmediateHandlers.Extract32;
        return true;
    }
}
