using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeVisor.Protocol;

/// <summary>
/// Refuses <c>null</c> inside the records' lists (<c>IReadOnlyList&lt;T&gt;</c>) and maps
/// (<c>IReadOnlyDictionary&lt;string, T&gt;</c>) of reference types. The serializer's nullable checks stop at
/// properties, and <c>"workloads": [null]</c> must be a clear rejection, not a NullReferenceException in
/// whoever reads the record later. Hooked into each such property's setter, so the serializer still reports
/// the property's path.
/// </summary>
internal static class NullElementCheck
{
    /// <summary>A type-info modifier for <see cref="DefaultJsonTypeInfoResolver.Modifiers"/>.</summary>
    public static void Install(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is { } set && IsCheckedCollection(property.PropertyType))
            {
                property.Set = (target, value) =>
                {
                    Check(value);
                    set(target, value);
                };
            }
        }
    }

    private static bool IsCheckedCollection(Type type)
    {
        if (!type.IsGenericType)
        {
            return false;
        }

        Type definition = type.GetGenericTypeDefinition();
        Type[] arguments = type.GetGenericArguments();
        return (definition == typeof(IReadOnlyList<>) && !arguments[0].IsValueType)
            || (definition == typeof(IReadOnlyDictionary<,>) && !arguments[1].IsValueType);
    }

    private static void Check(object? value)
    {
        switch (value)
        {
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is null)
                    {
                        throw new NullElementException($".{entry.Key}");
                    }
                }

                break;
            case IList list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is null)
                    {
                        throw new NullElementException($"[{i}]");
                    }
                }

                break;
        }
    }
}

/// <summary>A null where a list or map of the wire format needs a value; <see cref="Suffix"/> is the element's path below the property.</summary>
internal sealed class NullElementException : JsonException
{
    public NullElementException(string suffix)
        : base("null is not allowed here")
    {
        Suffix = suffix;
    }

    public NullElementException()
    {
        Suffix = "";
    }

    public NullElementException(string message, Exception innerException)
        : base(message, innerException)
    {
        Suffix = "";
    }

    public string Suffix { get; }
}
