package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of a {@link ChildJvm}: loads libtorch at once (while the parent still reads the
 * model), then runs each task its parent sends on standard input on a thread of its own, once
 * libtorch is loaded, and answers it on standard output. It ends when its input ends or its parent
 * is gone.
 */
public final class LibtorchChild {
    private static final String OFFLINE = "ai.djl.offline";

    private LibtorchChild() {}

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        ChildJvm.dieWithParent();
        // answers only on standard output: whatever Java code prints goes to the log
        PrintStream answers = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        // DJL's engine looks for CUDA through JNA before it loads libtorch (JNA unpacks its
        // library, runs ldconfig, loads libcudart if installed): done meanwhile, on the other core
        Thread cuda = new Thread(LibtorchChild::lookForCuda, "torch2nnef-cuda-lookup");
        cuda.start();
        Thread loading = new Thread(LibtorchChild::loadLibtorch, "torch2nnef-libtorch-load");
        loading.start();
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        while (true) {
            int id;
            try {
                id = in.readInt();
            } catch (EOFException e) {
                break;
            }
            String task = in.readUTF();
            Path dir = Path.of(in.readUTF());
            List<String> taskArgs = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                taskArgs.add(in.readUTF());
            }
            Thread t =
                    new Thread(
                            () -> {
                                join(loading);
                                int code = run(task, dir, taskArgs);
                                synchronized (answers) {
                                    answers.println(ChildJvm.DONE + " " + id + " " + code);
                                    answers.flush();
                                }
                            },
                            "torch2nnef-task-" + id);
            t.start();
        }
        System.exit(0);
    }

    /** Loads libtorch; a failure is met again, and reported, by the first task. */
    private static void loadLibtorch() {
        // libtorch comes from the pytorch-native-cpu jar; DJL must never try to download it
        if (System.getProperty(OFFLINE) == null) {
            System.setProperty(OFFLINE, "true");
        }
        try {
            Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            // the task reports it
        }
    }

    private static void lookForCuda() {
        try {
            CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            // the engine's load meets it again
        }
    }

    private static int run(String task, Path dir, List<String> args) {
        try {
            return Class.forName(task)
                    .asSubclass(ChildTask.class)
                    .getDeclaredConstructor()
                    .newInstance()
                    .run(dir, args);
        } catch (OutOfMemoryError e) {
            return ChildJvm.OUT_OF_MEMORY;
        } catch (Exception | Error e) {
            e.printStackTrace(); // to the log: the parent names it as a crash, exit 1
            return 1;
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
