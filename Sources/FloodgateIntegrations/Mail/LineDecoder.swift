import NIOCore

/// Splits a byte stream into lines at LF (the CR stays and is trimmed by the reader), as SMTP replies come.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Longest reply line accepted; a server sending more is broken or hostile.
    static let maxLine = 8_192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLine {
                throw MailError.refused(command: "reading a reply", reply: "a line over 8 KiB")
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: length)!))
        return .continue
    }
}
