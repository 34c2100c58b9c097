package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one-pass parser must read every data segment exactly as the previous regex/split parser
 * ({@link Hj212ParserReference}) did: the same packet and data area, or the same refusal (QnRtn,
 * reason and message), including odd input — duplicate and unknown keys, empty items, dashes and
 * '=' in unusual places, impossible dates.
 */
class Hj212ParserEquivalenceTest {

    @Property(tries = 1500)
    void headerAndDataAreaAsBefore(@ForAll("segments") String data) {
        assertSame(() -> Hj212Parser.parse(data), () -> Hj212ParserReference.parse(data));
    }

    @Property(tries = 1500)
    void dataAreaAsBefore(@ForAll("dataAreas") String cp) {
        assertSame(() -> Hj212Parser.dataArea(cp), () -> Hj212ParserReference.dataArea(cp));
    }

    @Property(tries = 1000)
    void randomTextAsBefore(@ForAll("noise") String text) {
        assertSame(() -> Hj212Parser.parse(text), () -> Hj212ParserReference.parse(text));
        assertSame(() -> Hj212Parser.dataArea(text), () -> Hj212ParserReference.dataArea(text));
    }

    interface Parse {
        Object run() throws Hj212Exception;
    }

    private static void assertSame(Parse fast, Parse reference) {
        Object expected;
        try {
            expected = reference.run();
        } catch (Hj212Exception e) {
            try {
                Object got = fast.run();
                throw new AssertionError("reference refused (" + e.getMessage() + ") but got " + got);
            } catch (Hj212Exception f) {
                assertThat(List.of(f.qnRtn(), f.reason(), f.getMessage())).isEqualTo(List.of(e.qnRtn(), e.reason(), e.getMessage()));
                return;
            }
        }
        Object got;
        try {
            got = fast.run();
        } catch (Hj212Exception f) {
            throw new AssertionError("refused (" + f.getMessage() + ") but the reference read " + expected);
        }
        assertThat(got).isEqualTo(expected);
        // same iteration order too: readings are published in factor order
        assertThat(got).hasToString(expected.toString());
    }

    @Provide
    Arbitrary<String> segments() {
        Arbitrary<String> qn = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(18),
                Arbitraries.of("20240315103000123", "2024031510300012x", "", "２0240315103000123"));
        Arbitrary<String> item = Arbitraries.oneOf(
                qn.map(v -> "QN=" + v),
                Arbitraries.of("ST=22", "ST=2", "ST=221", "ST=", "ST=9a", "CN=2011", "CN=2051", "CN=201", "CN=20x1",
                        "PW=123456", "PW=", "MN=88888880000001", "MN=", "MN=站点1", "Flag=5", "Flag=4", "Flag=7",
                        "Flag=+5", "Flag=-1", "Flag=300", "Flag=x", "PNUM=2", "PNO=1", "PNO=3", "PNUM=abc", "PNO=0",
                        "Other=1", "QN", "=5", "", "Flag=05", "P=1", "PNOX=1", "CNN=1"));
        Arbitrary<String> head = item.list().ofMinSize(0).ofMaxSize(10).map(l -> String.join(";", l));
        Arbitrary<String> tail = Arbitraries.oneOf(dataAreas().map(cp -> ";CP=&&" + cp + "&&"),
                Arbitraries.of(";CP=&&&&", ";CP=&&", "CP=&&x", ";CP=&", "", ";CP=&&a=1&&&&"));
        return Combinators.combine(head, tail).as((h, t) -> h + t);
    }

    @Provide
    Arbitrary<String> dataAreas() {
        Arbitrary<String> time = Arbitraries.of("20240315103000", "20240229235959", "20230229120000", "20240230120000",
                "20240431000000", "20241231240000", "20241231240001", "20241301000000", "20240315103060", "2024031510300",
                "202403151030001", "2024031510300x", "00000101000000", "99991231235959", "20240300120000", "");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.doubles().between(-1000, 100000).ofScale(3).map(String::valueOf),
                Arbitraries.of("N", "F", "M", "S", "D", "C", "T", "B", "", "1=2", "a-b", "NaN", "1e3"));
        Arbitrary<String> key = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("a21005", "a21026", "w01001", "SB1", "a", ""),
                        Arbitraries.of("Rtd", "Min", "Avg", "Max", "Cou", "Flag", "RS", "ZsRtd", "SampleTime", "EFlag", "", "x-y"))
                        .as((f, s) -> f + "-" + s),
                Arbitraries.of("DataTime", "RtdInterval", "PolId", "-Rtd", "a21005-", "a--b", "Data-Time", "DataTimeX"));
        Arbitrary<String> item = Arbitraries.oneOf(
                time.map(t -> "DataTime=" + t),
                Combinators.combine(key, value).as((k, v) -> k + "=" + v),
                Arbitraries.of("", "novalue", "=1", "a21005-Rtd"));
        return Combinators.combine(item.list().ofMinSize(0).ofMaxSize(12), Arbitraries.of(";", ",").list().ofSize(12))
                .as((items, seps) -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < items.size(); i++) {
                        if (i > 0) {
                            b.append(seps.get(i));
                        }
                        b.append(items.get(i));
                    }
                    return b.toString();
                });
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("QNSTCPWMFlagUOR=;,&-0123456789DtaRdx站").ofMaxLength(120);
    }
}
