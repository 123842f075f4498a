using System.Runtime.CompilerServices;

namespace FraudEdge.Core.History;

/// <summary>The last <see cref="Count"/> terminal events, most recent first, inline so a context needs no array.</summary>
[InlineArray(Capacity)]
public struct RecentEventBuffer
{
    public const int Capacity = 4;
    private RecentEvent _element0;
}
