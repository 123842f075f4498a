using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Protocol.Tests.Messages;

/// <summary>Every message, over every field's wire range, survives write → frame → read unchanged.</summary>
public sealed class RoundTripProperties
{
    private static bool RoundTrips<T>(T message) where T : struct, IProtocolMessage<T>
    {
        Contract.RoundTrip(message);
        return true;
    }

    [Property(MaxTest = 300)]
    public Property ScoreRequest_round_trips() => Prop.ForAll(Generators.ScoreRequests.ToArbitrary(), RoundTrips);

    [Property(MaxTest = 300)]
    public Property ScoreResponse_round_trips() => Prop.ForAll(Generators.ScoreResponses.ToArbitrary(), RoundTrips);

    [Property(MaxTest = 300)]
    public Property OutcomeNotice_round_trips() => Prop.ForAll(Generators.OutcomeNotices.ToArbitrary(), RoundTrips);

    [Property(MaxTest = 200)]
    public Property StatusResponse_round_trips() => Prop.ForAll(Generators.StatusResponses.ToArbitrary(), RoundTrips);

    [Property(MaxTest = 200)]
    public Property ErrorResponse_round_trips() => Prop.ForAll(Generators.ErrorResponses.ToArbitrary(), RoundTrips);

    [Property(MaxTest = 100)]
    public Property Pong_and_Ack_round_trip() =>
        Prop.ForAll(Generators.Pongs.ToArbitrary(), Generators.Acks.ToArbitrary(), (pong, ack) => RoundTrips(pong) && RoundTrips(ack));

    [Fact]
    public void Ping_and_StatusRequest_round_trip_as_the_empty_map()
    {
        Contract.RoundTrip(new Ping());
        Contract.RoundTrip(new StatusRequest());
        Assert.Equal("80", Hex.Format(Frames.PayloadOf(Frames.Write(1, new Ping()))));
        Assert.Equal("80", Hex.Format(Frames.PayloadOf(Frames.Write(1, new StatusRequest()))));
    }

    [Fact]
    public void The_samples_round_trip()
    {
        Contract.RoundTrip(Samples.DocRequest);
        Contract.RoundTrip(Samples.FullRequest);
        Contract.RoundTrip(Samples.MinimalRequest);
        Contract.RoundTrip(Samples.DocResponse);
        Contract.RoundTrip(Samples.RulesResponse);
        Contract.RoundTrip(Samples.IssuerDecline);
        Contract.RoundTrip(Samples.FraudReport);
        Contract.RoundTrip(Samples.WithModel);
        Contract.RoundTrip(Samples.NoModel);
        Contract.RoundTrip(Samples.DocError);
        Contract.RoundTrip(Samples.BareError);
    }
}
