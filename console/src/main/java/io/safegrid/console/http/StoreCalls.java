package io.safegrid.console.http;

import io.safegrid.model.hazard.HazardRefused;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store call behind an API route, turning its answers into HTTP: a refusal keeps its message
 * key (400 bad input, 403 not this user's, 409 not in this state), an unknown id is 404, a failing
 * store 503 with nothing said about its insides.
 */
public final class StoreCalls {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);

    private StoreCalls() {
    }

    public static <T> T call(String store, Supplier<T> s) {
        try {
            return s.get();
        } catch (HazardRefused e) {
            throw new HttpError(switch (e.kind()) {
                case INVALID -> 400;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
            }, e.key(), e.getMessage());
        } catch (NoSuchElementException e) {
            throw new HttpError(404, e.getMessage());
        } catch (IllegalStateException e) {
            LOG.warn("{} failed: {}", store, e.toString());
            throw new HttpError(503, "storeUnavailable", "the " + store + " is unavailable; try again");
        }
    }
}
