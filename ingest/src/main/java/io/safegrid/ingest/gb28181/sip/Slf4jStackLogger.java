package io.safegrid.ingest.gb28181.sip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP stack's own log, sent to SLF4J (logger {@code io.safegrid.ingest.gb28181.sip.stack}) instead
 * of log4j 1.x, which the stack would otherwise need. Named by class in the stack's properties.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("io.safegrid.ingest.gb28181.sip.stack");

    public Slf4jStackLogger() {
    }

    @Override public void logStackTrace() { }

    @Override public void logStackTrace(int level) { }

    @Override public int getLineCount() { return 0; }

    @Override public void logException(Throwable t) { LOG.warn("SIP stack", t); }

    @Override public void logDebug(String s) { LOG.debug(s); }

    @Override public void logDebug(String s, Exception e) { LOG.debug(s, e); }

    @Override public void logTrace(String s) { LOG.trace(s); }

    @Override public void logFatalError(String s) { LOG.error(s); }

    @Override public void logError(String s) { LOG.error(s); }

    @Override public boolean isLoggingEnabled() { return LOG.isDebugEnabled(); }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (level <= TRACE_ERROR) {
            return LOG.isErrorEnabled();
        }
        if (level <= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        if (level <= TRACE_INFO) {
            return LOG.isInfoEnabled();
        }
        return level <= TRACE_DEBUG ? LOG.isDebugEnabled() : LOG.isTraceEnabled();
    }

    @Override public void logError(String s, Exception e) { LOG.error(s, e); }

    @Override
    public void logWarning(String s) {
        // the stack warns at every start that its TLS defaults apply; SafeGrid opens no SIP over TLS
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("tls") || lower.contains("keystore") || lower.contains("truststore")) {
            LOG.debug(s);
        } else {
            LOG.warn(s);
        }
    }

    @Override public void logInfo(String s) { LOG.info(s); }

    @Override public void disableLogging() { }

    @Override public void enableLogging() { }

    @Override public void setBuildTimeStamp(String s) { }

    @Override public void setStackProperties(Properties p) { }

    @Override public String getLoggerName() { return LOG.getName(); }
}
