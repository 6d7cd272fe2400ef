package dev.ferry.shape;

import static dev.ferry.shape.Rules.csv;
import static dev.ferry.shape.Rules.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.SourceFormat;

/** Step 1 for CSV: what an empty cell becomes under each {@code ferry.csv.empty}, typed or not; NDJSON is not touched. */
class CsvEmptyTest {

    static final ObjectNode ROW = csv("id", "1", "note", "", "qty", "", "pad", "  ", "n", "  ");

    @Test
    void nullMode_sendsNull_forEmptyCells_andForBlankCellsOfTypedFields() throws Exception {
        assertThat(body(CsvEmpty.NULL)).isEqualTo("{\"id\":\"1\",\"note\":null,\"qty\":null,\"pad\":\"  \",\"n\":null}");
    }

    @Test
    void omitMode_leavesTheFieldsOut() throws Exception {
        assertThat(body(CsvEmpty.OMIT)).isEqualTo("{\"id\":\"1\",\"pad\":\"  \"}");
    }

    @Test
    void stringMode_keepsEmptyText_forTextFields_andSendsNullForTypedOnes() throws Exception {
        assertThat(body(CsvEmpty.STRING)).isEqualTo("{\"id\":\"1\",\"note\":\"\",\"qty\":null,\"pad\":\"  \",\"n\":null}");
    }

    @Test
    void nothingConfigured_csvRowWithoutEmptyCells_isSentAsItIs_uncopied() throws Exception {
        ObjectNode row = csv("id", "1", "qty", "3");

        assertThat(Rules.keyField("id").shaper().shape(row, SourceFormat.CSV).record()).isSameAs(row);
    }

    @Test
    void nothingConfigured_csvRowWithAnEmptyCell_isCopied_theRawRowUnchanged() throws Exception {
        ObjectNode row = csv("id", "1", "note", "");

        ObjectNode shaped = Rules.keyField("id").shaper().shape(row, SourceFormat.CSV).record();

        assertThat(Json.write(shaped)).isEqualTo("{\"id\":\"1\",\"note\":null}");
        assertThat(Json.write(row)).isEqualTo("{\"id\":\"1\",\"note\":\"\"}");
    }

    @Test
    void ndjsonEmptyString_isNotAnEmptyCell_keptForText_rejectedForATypedField() throws Exception {
        RecordShaper shaper = Rules.keyField("id").type("qty", FieldType.INTEGER).shaper();
        ObjectNode line = ndjson("{\"id\":1,\"note\":\"\"}");

        assertThat(Rules.keyField("id").shaper().shape(line, SourceFormat.NDJSON).record()).isSameAs(line);
        assertThat(Json.write(shaper.shape(line, SourceFormat.NDJSON).record())).isEqualTo("{\"id\":1,\"note\":\"\"}");
        assertThat(catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(ndjson("{\"id\":1,\"qty\":\"\"}"), SourceFormat.NDJSON)).getMessage())
                .isEqualTo("field 'qty' is not an integer");
    }

    private static String body(CsvEmpty mode) throws ShapeException {
        RecordShaper shaper = Rules.keyField("id").csvEmpty(mode).type("qty", FieldType.INTEGER)
                .type("n", FieldType.DECIMAL).shaper();
        return Json.write(shaper.shape(ROW, SourceFormat.CSV).record());
    }
}
