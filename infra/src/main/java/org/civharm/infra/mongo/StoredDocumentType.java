package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;

/**
 * How a collection's documents are stored in H2: as BSON. mongo-java-server's H2 backend leaves them to H2's
 * {@code ObjectDataType}, i.e. Java serialisation of the document's maps and lists, which a JFR profile showed to be
 * most of the server's CPU under civharm's load. Values written by that type (older files) are still read, and
 * rewritten as BSON when their page is next stored.
 */
final class StoredDocumentType extends BasicDataType<Document> {

    static final int TAG = 127;

    private final ObjectDataType legacy = new ObjectDataType();

    @Override
    public int getMemory(Document document) {
        return StoredValues.estimateMemory(document, 0);
    }

    @Override
    public void write(WriteBuffer buff, Document document) {
        byte[] bson = StoredValues.encode(document);
        if (bson == null) {
            legacy.write(buff, document);
        } else {
            StoredValues.write(buff, TAG, bson);
        }
    }

    @Override
    public Document read(ByteBuffer buff) {
        if (StoredValues.peekTag(buff) == TAG) {
            return StoredValues.read(buff);
        }
        return (Document) legacy.read(buff);
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
