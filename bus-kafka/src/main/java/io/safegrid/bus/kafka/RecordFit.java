package io.safegrid.bus.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.bus.kafka.codec.MessageCodec;
import io.safegrid.model.finding.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a topic's records under its {@code max.message.bytes}. Only a finding's evidence picture grows
 * that large (a 4K camera's JPEG, a third larger again in base64), and the broker refuses the whole
 * record: the alarm would be lost where the in-process bus raises it. Such a finding goes without its
 * picture, counted ({@code safegrid.bus.kafka.evidence.dropped}) and logged. Any other record that
 * large is left to the broker, whose refusal is counted as a send failure.
 */
final class RecordFit<T> {
    private static final Logger LOG = LoggerFactory.getLogger(RecordFit.class);
    /** Room under the topic's limit for the batch's and the record's headers. */
    static final int HEADROOM = 1024;

    private final String kafkaTopic;
    private final int maxMessageBytes;
    private final MessageCodec<T> codec;
    private final Counter evidenceDropped;

    RecordFit(String topic, String kafkaTopic, Class<T> type, int maxMessageBytes, MessageCodec<T> codec, MeterRegistry meters) {
        this.kafkaTopic = kafkaTopic;
        this.maxMessageBytes = maxMessageBytes;
        this.codec = codec;
        this.evidenceDropped = type == Finding.class ? Counter.builder("safegrid.bus.kafka.evidence.dropped").tag("topic", topic)
                .description("findings sent without their evidence picture: with it the record was over the topic's max.message.bytes")
                .register(meters) : null;
    }

    /** {@code encoded}, or the message encoded again without what made it too large for the topic. */
    byte[] fit(String key, T message, byte[] encoded) {
        if (evidenceDropped == null) {
            return encoded;   // not a finding: nothing to leave out, and nothing to measure on every reading
        }
        // a key's UTF-8 is at most three bytes a char: an upper bound without encoding it
        int size = encoded.length + (key == null ? 0 : 3 * key.length()) + HEADROOM;
        if (size <= maxMessageBytes || ((Finding) message).snapshot() == null) {
            return encoded;
        }
        Finding f = (Finding) message;
        evidenceDropped.increment();
        LOG.warn("finding {} ({} of {}): with its {}-byte evidence picture the record is {} bytes, over the {}-byte "
                        + "max.message.bytes of {}; sent without the picture (raise the topic's max.message.bytes to keep them)",
                f.id(), f.kind(), f.sourceId(), f.snapshot().length, size, maxMessageBytes, kafkaTopic);
        @SuppressWarnings("unchecked")
        T without = (T) f.withoutSnapshot();
        return codec.encode(without);
    }
}
