using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Protocol.Tests.Messages;

/// <summary>
/// The decoders are total: any bytes give Done, NeedMoreData (frames only) or InvalidData with a documented
/// code, never an exception, identically in one segment or many. What decodes re-encodes to itself.
/// </summary>
public sealed class TotalityProperties
{
    [Property(MaxTest = 500)]
    public Property TryReadFrame_is_total_over_arbitrary_bytes() =>
        Prop.ForAll(Generators.ByteArrays.ToArbitrary(), Gen.Choose(0, 800).ToArbitrary(), (bytes, split) =>
        {
            if (Contract.CheckFrame(bytes, split, out Frame frame) == OperationStatus.Done)
                Contract.CheckPayload(frame.Header.Type, frame.Payload.ToArray());
            return true;
        });

    [Property(MaxTest = 300)]
    public Property A_valid_header_before_arbitrary_bytes_is_one_frame_whose_payload_is_decoded_totally() =>
        Prop.ForAll(Generators.ByteArrays.ToArbitrary(), Gen.Elements(Decoded.AllTypes).ToArbitrary(), Gen.Choose(0, 800).ToArbitrary(), (payload, type, split) =>
        {
            byte[] frame = Frames.Wrap(type, 7, payload);
            Assert.Equal(OperationStatus.Done, Contract.CheckFrame(frame, split, out Frame read));
            Contract.CheckPayload(read.Header.Type, read.Payload.ToArray());
            return true;
        });

    [Property(MaxTest = 1000)]
    public Property Every_message_reader_is_total_over_arbitrary_bytes() =>
        Prop.ForAll(Generators.ByteArrays.ToArbitrary(), payload =>
        {
            foreach (MessageType type in Decoded.AllTypes) Contract.CheckPayload(type, payload);
            return true;
        });

    [Property(MaxTest = 1500)]
    public Property Every_message_reader_is_total_over_almost_MessagePack() =>
        Prop.ForAll(Generators.MessagePackSoup.ToArbitrary(), payload =>
        {
            foreach (MessageType type in Decoded.AllTypes) Contract.CheckPayload(type, payload);
            return true;
        });
}
