package io.safegrid.config.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LimitedLogTest {

    @Test
    void aFloodOfErrorsShowsTheFirstFewThenHowManyWereLeftOut() {
        Logger logger = (Logger) LoggerFactory.getLogger("limited-log-test");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        LimitedLog log = new LimitedLog(logger, 20);
        for (int i = 0; i < 86_000; i++) {     // a full disk's half minute of QuestDB errors, as measured
            log.error("write failed {}", i);
        }
        assertThat(seen.list).hasSize(20);
        assertThat(seen.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("suppressed"));
        logger.detachAppender(seen);
    }
}
