using System.Text;
using System.Xml;

namespace EdgeVisor.Emulation.CortexM.Debugging;

/// <summary>Writes the gdb target description ("target.xml") for a register map: one document, features inline.</summary>
public static class CortexMTargetDescription
{
    public static string Build(IReadOnlyList<CortexMDebugRegister> registers)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, Encoding = Encoding.UTF8 };
        text.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n");
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteStartElement("target");
            xml.WriteAttributeString("version", "1.0");
            xml.WriteElementString("architecture", "arm");
            string? open = null;
            for (int number = 0; number < registers.Count; number++)
            {
                var register = registers[number];
                if (register.Feature != open)
                {
                    if (open is not null)
                    {
                        xml.WriteEndElement();
                    }

                    xml.WriteStartElement("feature");
                    xml.WriteAttributeString("name", register.Feature);
                    open = register.Feature;
                }

                xml.WriteStartElement("reg");
                xml.WriteAttributeString("name", register.Name);
                xml.WriteAttributeString("bitsize", register.BitSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                xml.WriteAttributeString("regnum", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (register.Type is { } type)
                {
                    xml.WriteAttributeString("type", type);
                }

                if (register.Group is { } group)
                {
                    xml.WriteAttributeString("group", group);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement(); // feature
            xml.WriteEndElement(); // target
        }

        return text.Append('\n').ToString();
    }
}
