package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The BSON encoding both stored types use: a tag byte that H2's {@code ObjectDataType} never writes (its tags end at
 * 119), the length, then the document as the wire protocol encodes it. Anything else read back is in H2's own format
 * (files written before, or a value BSON cannot hold) and goes to {@code ObjectDataType}.
 */
final class StoredValues {

    private static final ThreadLocal<ByteBuf> BUFFERS = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

    private StoredValues() {
    }

    /** The tag byte at the reader's position, without consuming it. */
    static int peekTag(ByteBuffer buff) {
        return buff.get(buff.position());
    }

    /** Encodes the map as BSON, or answers null when the wire encoder cannot (nothing is written then). */
    static byte[] encode(Map<String, ?> document) {
        ByteBuf buf = BUFFERS.get();
        buf.clear();
        try {
            BsonEncoder.encodeDocument(document, buf);
        } catch (RuntimeException e) {
            return null;
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        if (buf.capacity() > (1 << 20)) {
            BUFFERS.remove(); // a huge document: do not keep its buffer for every later one
        }
        return bytes;
    }

    static void write(WriteBuffer buff, int tag, byte[] bson) {
        buff.put((byte) tag).putVarInt(bson.length).put(bson);
    }

    /** Reads a BSON document written by {@link #write}, the tag included. */
    static de.bwaldvogel.mongo.bson.Document read(ByteBuffer buff) {
        buff.get(); // tag
        int length = DataUtils.readVarInt(buff);
        ByteBuf bson;
        if (buff.hasArray()) {
            bson = Unpooled.wrappedBuffer(buff.array(), buff.arrayOffset() + buff.position(), length);
        } else {
            byte[] copy = new byte[length];
            buff.duplicate().get(copy);
            bson = Unpooled.wrappedBuffer(copy);
        }
        buff.position(buff.position() + length);
        return BsonDecoder.decodeBson(bson);
    }

    /** A rough size in memory, for H2's page cache accounting; walking is far cheaper than encoding. */
    static int estimateMemory(Object value, int depth) {
        if (value == null) {
            return 8;
        }
        if (value instanceof String s) {
            return 48 + 2 * s.length();
        }
        if (value instanceof Map<?, ?> map) {
            int size = 64;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += 48 + (depth > 8 ? 64 : estimateMemory(e.getKey(), depth + 1) + estimateMemory(e.getValue(), depth + 1));
            }
            return size;
        }
        if (value instanceof Iterable<?> list) {
            int size = 48;
            for (Object o : list) {
                size += 8 + (depth > 8 ? 64 : estimateMemory(o, depth + 1));
            }
            return size;
        }
        if (value instanceof byte[] bytes) {
            return 24 + bytes.length;
        }
        return 24;
    }
}
