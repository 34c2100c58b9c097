package io.safegrid.node.threads;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Real-time scheduling (Linux {@code SCHED_FIFO}, priority 1) for the alarm path's threads, where
 * the node is allowed it. A raised nice value only weights a thread's share of a core: a woken
 * urgent thread still waits for the running one's slice, at every hand-over on the way from a
 * reading to an SMS. A real-time thread runs the moment it is woken, ahead of every ordinary thread;
 * priority 1 is the lowest real-time level, below the kernel's own interrupt threads (50).
 *
 * <p>Java has no call for it, so the thread names itself to util-linux's {@code chrt} (in every
 * Debian and Ubuntu base image) by its kernel id. That is a process start, a few milliseconds, once
 * per thread when it starts; threads it starts later inherit the policy without one. Allowed for
 * root, with {@code CAP_SYS_NICE}, or under an RLIMIT_RTPRIO of 1 or more (systemd
 * {@code LimitRTPRIO=1}, compose {@code ulimits: rtprio: 1}). Asked for only where
 * {@code node.threads.realtime} says so ({@link Scheduling}); after the first refusal it is not tried
 * again, and the threads keep their Java priority.
 *
 * <p>Safe because the alarm path's threads are light per message and wait on queues; the kernel
 * still leaves ordinary threads 5 % of each core ({@code sched_rt_runtime_us}) if one ever spun.
 */
public final class Realtime {
    private static final System.Logger LOG = System.getLogger(Realtime.class.getName());
    /** The real-time priority asked for: the lowest. */
    public static final int PRIORITY = 1;
    /** {@code SCHED_FIFO}, as /proc reports a thread's policy. */
    public static final int SCHED_FIFO_POLICY = 1;

    /** The scheduling policy's field in /proc's stat files. */
    private static final int POLICY_FIELD = 41;

    private static volatile String refused;
    /** Why the OS refused another process the policy (null while it has not): a separate right from the threads'. */
    private static volatile String processRefused;

    private Realtime() {
    }

    /**
     * Whether this process may use {@code SCHED_FIFO} 1: it runs as root, or its RLIMIT_RTPRIO is 1 or
     * more ({@code node.threads.realtime: auto}). False off Linux.
     */
    public static boolean allowedHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && line.split("\\s+")[2].equals("0")) {
                    return true;   // the effective uid
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max realtime priority")) {
                    String soft = line.substring("Max realtime priority".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") || Integer.parseInt(soft) >= PRIORITY;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Why the OS refused (null while it has not): then no thread asks again. */
    public static String refusal() {
        return refused;
    }

    /**
     * Puts the calling thread under {@code SCHED_FIFO} {@value #PRIORITY}; true when it runs so
     * afterwards (also when it already did, as a thread started by a real-time one does). Blocks for
     * the {@code chrt} process, a few milliseconds; false on any OS but Linux, and after a refusal.
     */
    public static boolean applyToCurrentThread() {
        if (policyOfCurrentThread() == SCHED_FIFO_POLICY) {
            return true;
        }
        if (refused != null) {
            return false;
        }
        long tid = currentThreadId();
        if (tid < 0) {
            return false;
        }
        String why = chrt(tid, false);
        if (why != null) {
            refuse(why);
            return false;
        }
        return policyOfCurrentThread() == SCHED_FIFO_POLICY;
    }

    /**
     * Puts process {@code pid} (all its threads: a database backend has one) under {@code SCHED_FIFO}
     * {@value #PRIORITY}, when it is a process of this machine named {@code name}; true when it runs so
     * afterwards. Another user's process needs root or {@code CAP_SYS_NICE} (an RLIMIT_RTPRIO is not
     * enough): the first refusal is logged once with the fix, and none is asked again.
     */
    public static boolean applyToProcess(long pid, String name) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            if (!Files.readString(proc.resolve("comm")).trim().equals(name)) {
                return false;   // a number from another PID space: not ours to touch
            }
        } catch (IOException e) {
            return false;
        }
        if (statField(proc.resolve("stat"), POLICY_FIELD).orElse(-1) == SCHED_FIFO_POLICY) {
            return true;
        }
        if (processRefused != null) {
            return false;
        }
        String why = chrt(pid, true);
        if (why != null) {
            processRefused = why;
            LOG.log(Level.WARNING, "the alarm store's server process " + pid + " (" + name + ") stays at normal priority,"
                    + " so each alarm's commit may wait for a core: " + why + ". Give the node CAP_SYS_NICE, or the"
                    + " database server cores of its own (docs/operations.md, \"Thread priorities\")");
            return false;
        }
        return statField(proc.resolve("stat"), POLICY_FIELD).orElse(-1) == SCHED_FIFO_POLICY;
    }

    /** Runs {@code chrt --fifo} for {@code pid}, one thread or a whole process: null when it did, else why not. */
    private static String chrt(long pid, boolean wholeProcess) {
        try {
            List<String> cmd = new ArrayList<>(List.of("chrt", "--fifo"));
            if (wholeProcess) {
                cmd.add("--all-tasks");
            }
            cmd.addAll(List.of("--pid", String.valueOf(PRIORITY), String.valueOf(pid)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // waited for first, then read: its one line fits the pipe, and a chrt that hung must not hold the thread
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "chrt did not finish within 10 s";
            }
            if (p.exitValue() != 0) {
                return "chrt exited " + p.exitValue() + ": "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            return null;
        } catch (IOException e) {
            return "cannot run chrt (util-linux): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void refuse(String why) {
        if (refused == null) {
            refused = why;
            LOG.log(Level.WARNING, "real-time scheduling of the alarm path refused, its threads keep their Java priority: " + why);
        }
    }

    /** The calling thread's scheduling policy as the kernel reports it (0 ordinary, 1 FIFO, 2 RR), or -1 off Linux. */
    public static int policyOfCurrentThread() {
        return statOfCurrentThread(POLICY_FIELD).orElse(-1);
    }

    /** The calling thread's nice value (what a Java priority maps to with -XX:ThreadPriorityPolicy=1), if readable. */
    public static OptionalInt niceOfCurrentThread() {
        return statOfCurrentThread(19);
    }

    /** One numeric field of /proc/thread-self/stat, counted from 1 as in proc(5). */
    private static OptionalInt statOfCurrentThread(int field) {
        return statField(Path.of("/proc/thread-self/stat"), field);
    }

    /** One numeric field of a /proc stat file (a thread's or a process's), counted from 1 as in proc(5). */
    private static OptionalInt statField(Path stat, int field) {
        try {
            String text = Files.readString(stat);
            // after the name in parentheses, which may hold spaces, come the fields from "state" (3rd) on
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(f[field - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The kernel's id of the calling thread (/proc/thread-self links to "pid/task/tid"), or -1 off Linux. */
    private static long currentThreadId() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
