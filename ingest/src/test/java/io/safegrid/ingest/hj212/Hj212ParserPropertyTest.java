package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The parser against a model of the standard's segment: header items are {@code key=value} separated
 * by ';' (a later duplicate wins, unknown keys and empty items are ignored), the CP area's items are
 * separated by ';' or ',' and a factor's fields ({@code code-Suffix=value}) are grouped by code in the
 * order codes first appear. Any other input is refused with an {@link Hj212Exception}, never another
 * exception (the handler answers a refusal; anything else would drop the connection).
 */
class Hj212ParserPropertyTest {

    /** One header item as sent: its key and value. */
    record Item(String key, String value) {
        String text() { return key + "=" + value; }
    }

    @Property(tries = 1000)
    void headerFieldsAreTheLastValueSentForEachKey(@ForAll("headers") List<Item> items, @ForAll("cpAreas") String cp)
            throws Exception {
        List<String> parts = new ArrayList<>();
        Map<String, String> last = new LinkedHashMap<>();
        for (Item i : items) {
            parts.add(i.key().isEmpty() ? "" : i.text());
            if (!i.key().isEmpty()) {
                last.put(i.key(), i.value());
            }
        }
        Hj212Packet p = Hj212Parser.parse(String.join(";", parts) + ";CP=&&" + cp + "&&");
        assertThat(p.qn()).isEqualTo(last.get("QN"));
        assertThat(p.st()).isEqualTo(last.get("ST"));
        assertThat(p.cn()).isEqualTo(last.get("CN"));
        assertThat(p.pw()).isEqualTo(last.get("PW"));
        assertThat(p.mn()).isEqualTo(last.get("MN"));
        assertThat(p.flag()).isEqualTo(Integer.valueOf(last.get("Flag")));
        assertThat(p.cp()).isEqualTo(cp);
    }

    @Property(tries = 1000)
    void dataAreaGroupsEachFactorsFieldsInTheOrderSent(@ForAll("factorItems") List<Tuple.Tuple3<String, String, String>> fields,
                                                       @ForAll("separators") List<String> seps) throws Exception {
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        StringBuilder cp = new StringBuilder("DataTime=20240229235959");
        for (int i = 0; i < fields.size(); i++) {
            Tuple.Tuple3<String, String, String> f = fields.get(i);
            cp.append(seps.get(i)).append(f.get1()).append('-').append(f.get2()).append('=').append(f.get3());
            expected.computeIfAbsent(f.get1(), k -> new LinkedHashMap<>()).put(f.get2(), f.get3());
        }
        DataArea a = Hj212Parser.dataArea(cp.toString());
        assertThat(a.dataTime()).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59));
        assertThat(a.factors()).isEqualTo(expected);
        // the same order too: readings are published in factor order
        assertThat(a.factors()).hasToString(expected.toString());
        assertThat(a.other()).isEmpty();
    }

    @Property(tries = 2000)
    void anyTextIsReadOrRefusedWithAQnRtn(@ForAll("noise") String text) {
        for (Runnable r : List.<Runnable>of(() -> readOrRefuse(() -> Hj212Parser.parse(text)),
                () -> readOrRefuse(() -> Hj212Parser.dataArea(text)))) {
            r.run();
        }
        // the lenient header, for answering a frame that failed its checks, never throws
        Hj212Parser.lenient(text);
    }

    @Example
    void impossibleDataTimesAreRefused() {
        for (String t : List.of("20241301000000", "20240315103060", "2024031510300", "202403151030001",
                "2024031510300x", "20240300120000", "2024-03-15 10:30", "")) {
            assertThatThrownBy(() -> Hj212Parser.dataArea("DataTime=" + t))
                    .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.REFUSED));
        }
    }

    @Example
    void oddItemsAreKeptAsOtherOrRefused() throws Exception {
        DataArea a = Hj212Parser.dataArea("RtdInterval=30;-Rtd=1;a21005-=2;;PolId=a=b");
        assertThat(a.factors()).isEmpty();
        assertThat(a.other()).containsExactly(Map.entry("RtdInterval", "30"), Map.entry("-Rtd", "1"),
                Map.entry("a21005-", "2"), Map.entry("PolId", "a=b"));
        assertThatThrownBy(() -> Hj212Parser.dataArea("a21005-Rtd"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.REFUSED));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;=5;CN=2011;PW=1;MN=M;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.UNKNOWN));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;CN=2011;PW=1;MN=M;Flag=300;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_FLAG));
        assertThatThrownBy(() -> Hj212Parser.parse("QN=２0240315103000123;ST=32;CN=2011;PW=1;MN=M;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_QN));
    }

    interface Parse {
        Object run() throws Hj212Exception;
    }

    private static void readOrRefuse(Parse parse) {
        try {
            assertThat(parse.run()).isNotNull();
        } catch (Hj212Exception refused) {
            assertThat(refused.qnRtn()).isNotNull();
            assertThat(refused.reason()).isIn("bad-header", "bad-data");
        }
    }

    /** A valid header with duplicates, unknown keys and empty items among its fields; Flag not split. */
    @Provide
    Arbitrary<List<Item>> headers() {
        Arbitrary<Item> qn = Arbitraries.strings().numeric().ofLength(17).map(v -> new Item("QN", v));
        Arbitrary<Item> st = Arbitraries.strings().numeric().ofLength(2).map(v -> new Item("ST", v));
        Arbitrary<Item> cn = Arbitraries.strings().numeric().ofLength(4).map(v -> new Item("CN", v));
        Arbitrary<Item> pw = Arbitraries.strings().alpha().numeric().ofMaxLength(8).map(v -> new Item("PW", v));
        Arbitrary<Item> mn = Arbitraries.strings().alpha().numeric().withChars('站').ofMinLength(1).ofMaxLength(24)
                .map(v -> new Item("MN", v));
        Arbitrary<Item> flag = Arbitraries.integers().between(0, 255).filter(f -> (f & 2) == 0).map(f -> new Item("Flag", f.toString()));
        Arbitrary<Item> noise = Arbitraries.of(new Item("Other", "1"), new Item("P", "1"), new Item("PNOX", "1"),
                new Item("CNN", "x"), new Item("", ""));
        Arbitrary<List<Item>> extra = Arbitraries.oneOf(qn, st, cn, pw, mn, flag, noise).list().ofMaxSize(8);
        return Combinators.combine(qn, st, cn, pw, mn, flag, extra).as((a, b, c, d, e, f, more) -> {
            List<Item> all = new ArrayList<>(List.of(a, b, c, d, e, f));
            all.addAll(more);
            return all;
        });
    }

    @Provide
    Arbitrary<String> cpAreas() {
        return Arbitraries.of("", "DataTime=20240315103000;a21005-Rtd=1.5,a21005-Flag=N", "RtdInterval=30", "a=1&b");
    }

    @Provide
    Arbitrary<List<Tuple.Tuple3<String, String, String>>> factorItems() {
        Arbitrary<String> code = Arbitraries.of("a21005", "a21026", "w01001", "SB1", "a");
        Arbitrary<String> suffix = Arbitraries.of("Rtd", "Min", "Avg", "Max", "Cou", "Flag", "RS", "ZsRtd", "SampleTime", "EFlag", "x-y");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.doubles().between(-1000, 100000).ofScale(3).map(String::valueOf),
                Arbitraries.of("N", "F", "M", "D", "", "1=2", "a-b", "NaN"));
        return Combinators.combine(code, suffix, value).as(Tuple::of).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> separators() {
        return Arbitraries.of(";", ",").list().ofSize(12);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("QNSTCPWMFlagUOR=;,&-0123456789DtaRdx站").ofMaxLength(120);
    }
}
