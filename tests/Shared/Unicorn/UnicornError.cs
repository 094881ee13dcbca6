using System.Runtime.InteropServices;

namespace EdgeVisor.Testing.Unicorn;

/// <summary>Turns a uc_err return code into an exception that names the failed call and Unicorn's reason.</summary>
internal static class UnicornError
{
    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="error"/> is not UC_ERR_OK.</summary>
    public static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"unicorn {what} failed with uc_err {error} ({Describe(error)})");
        }
    }

    /// <summary>Unicorn's own text for a uc_err (uc_strerror).</summary>
    public static string Describe(int error) => Marshal.PtrToStringUTF8(UnicornNative.ErrorText(error)) ?? "unknown error";
}
