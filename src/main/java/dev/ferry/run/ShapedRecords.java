package dev.ferry.run;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.ingest.RecordMaker;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.shape.RecordShaper;
import dev.ferry.shape.ShapeException;
import dev.ferry.shape.Shaped;

/** The readers' records made by the {@link RecordShaper} (docs/shaping.md): a value it cannot shape rejects it. */
final class ShapedRecords implements RecordMaker {

    private final RecordShaper shaper;

    ShapedRecords(RecordShaper shaper) {
        this.shaper = shaper;
    }

    @Override
    public Made make(ObjectNode fields, SourceFormat format) throws Unusable {
        try {
            Shaped shaped = shaper.shape(fields, format);
            return new Made(shaped.record(), shaped.key());
        } catch (ShapeException cannot) {
            throw new Unusable(cannot.getMessage());
        }
    }

    @Override
    public Set<String> keyColumns() {
        return shaper.keyColumns();
    }
}
