namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>Plug-in points for decoders owned elsewhere (FP and DSP); see Decoding/README.md.</summary>
public static partial class ThumbDecoder
{
    /// <summary>32-bit coprocessor space (FP). Set <paramref name="handled"/> after filling <paramref name="op"/>.</summary>
    static partial void DecodeCoprocessor(uint instruction, CortexMModel model, ref Op op, ref bool handled);

    /// <summary>Called first for every 32-bit instruction on DSP models; handle only DSP-extension encodings.</summary>
    static partial void DecodeDsp(uint instruction, CortexMModel model, ref Op op, ref bool handled);
}
