using FraudEdge.Core.Events;
using FraudEdge.Core.History;

namespace FraudEdge.Core.Tests.Events;

/// <summary>The validator's table of defined enum values agrees with Enum.IsDefined and costs nothing after a GC.</summary>
public class DefinedValuesTests
{
    [Fact]
    public void Every_byte_value_of_every_validated_enum_is_judged_as_Enum_IsDefined_judges_it()
    {
        AssertSame<TransactionKind>();
        AssertSame<CardScheme>();
        AssertSame<CardType>();
        AssertSame<EntryMode>();
        AssertSame<CardholderVerification>();
        AssertSame<CryptogramType>();
        AssertSame<OutcomeKind>();
        AssertSame<EventOutcome>();
    }

    [Fact]
    public void Validating_allocates_nothing_even_right_after_a_full_collection()
    {
        TransactionEvent evt = Samples.Purchase();
        Assert.True(EventValidator.Validate(evt).IsValid); // the tables are built on first use
        int valid = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            if (i % 50 == 0) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            if (EventValidator.Validate(evt).IsValid) valid++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, valid);
        Assert.Equal(0, allocated);
    }

    private static void AssertSame<TEnum>() where TEnum : unmanaged, Enum
    {
        for (int b = 0; b < 256; b++)
        {
            byte raw = (byte)b;
            TEnum value = System.Runtime.CompilerServices.Unsafe.As<byte, TEnum>(ref raw);
            Assert.True(Enum.IsDefined(value) == DefinedValues<TEnum>.Contains(value), $"{typeof(TEnum).Name} {b}");
        }
    }
}
