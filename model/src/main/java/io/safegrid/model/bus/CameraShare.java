package io.safegrid.model.bus;

/**
 * Which cameras this node decodes and analyses. Frames never leave the process on any bus (a decoded
 * picture is too large to ship, and a late one is worth nothing), so a camera is decoded on the node
 * that analyses it, and the bus says which share of the cameras that node has ({@link Bus#cameraShare()}).
 */
public interface CameraShare extends AutoCloseable {

    /** Every camera, on this one node: a bus that does not span nodes. */
    CameraShare WHOLE = new CameraShare() {
        @Override
        public boolean owns(String cameraId) { return true; }

        @Override
        public boolean spread() { return false; }

        @Override
        public void onChange(Runnable listener) {
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    };

    /** Whether this node runs the camera now. */
    boolean owns(String cameraId);

    /**
     * Whether other nodes run the other cameras. A pushed camera then runs on the node its edge box
     * connects to, and only there.
     */
    boolean spread();

    /** Called after each change of this node's share, with {@link #owns} already answering the new way. */
    void onChange(Runnable listener);

    /** Takes part; a spread share owns nothing until the first assignment arrives. */
    void start();

    /** Gives this node's share up, so other nodes take it. */
    @Override
    void close();
}
