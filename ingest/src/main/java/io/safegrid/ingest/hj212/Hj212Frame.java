package io.safegrid.ingest.hj212;

/**
 * One frame cut from the stream: its data segment (UTF-8), the CRC it carried, and whether that
 * matches the CRC computed over the data segment.
 */
public record Hj212Frame(String data, String crc, boolean crcOk) {
}
